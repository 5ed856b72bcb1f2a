"""`streamguard new-rule ID --dir DIR`: a working rule in a rule pack, to edit into the team's own.

It writes the Rego rule (whose METADATA is the rule's catalog entry), the Checkov checks for
Terraform and CloudFormation, and annotated fixtures in the four formats, so that `streamguard
test-rules DIR` is green before the first edit. Existing files are never overwritten.
"""

from __future__ import annotations

import re
from pathlib import Path

import jinja2

from streamguard import metadata
from streamguard.custom.pack import PackError
from streamguard.paths import TEMPLATES_DIR

_ID = re.compile(r"^([A-Z][A-Z0-9]*)_([0-9]+)$")

# template -> path in the pack ({id}, {lower}, {prefix} filled in)
_FILES = {
    "rule.rego.j2": "policies/{prefix}/rules/{lower}/{lower}.rego",
    "check_terraform.py.j2": "checks/{id}_terraform.py",
    "check_cloudformation.py.j2": "checks/{id}_cloudformation.py",
    "main.tf.j2": "fixtures/{id}/terraform/main.tf",
    "tfplan.json.j2": "fixtures/{id}/plan/tfplan.json",
    "tfplan.json.expect.j2": "fixtures/{id}/plan/tfplan.json.expect",
    "template.yaml.j2": "fixtures/{id}/cloudformation/template.yaml",
    "template.json.j2": "fixtures/{id}/cloudformation/template.json",
    "template.json.expect.j2": "fixtures/{id}/cloudformation/template.json.expect",
}
# Written once per pack: Checkov loads a checks folder only when it is a package.
_PACK_FILES = {"checks/__init__.py": "", "README.md": None}


def write(rule_id: str, directory: str) -> list[Path]:
    """Write the files of a new rule (and of the pack, the first time); the paths written."""
    match = _ID.match(rule_id)
    if not match:
        raise PackError(f"{rule_id!r} is not a rule ID like ACME_001 (your prefix, `_`, a number)")
    if rule_id in metadata.builtin_rules() or match.group(1) == "SG":
        raise PackError(f"{rule_id}: SG_ is streamguard's own prefix; use your team's (ACME_001)")
    prefix, lower = match.group(1).lower(), rule_id.lower()
    root = Path(directory)
    names = {"id": rule_id, "lower": lower, "prefix": prefix}
    targets = {template: root / path.format(**names) for template, path in _FILES.items()}
    existing = [str(p) for p in targets.values() if p.exists()]
    if existing:
        raise PackError(f"{existing[0]} exists already: new-rule never overwrites a file")
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR / "new_rule")),
                             undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    context = {**names, "package": f"{prefix}.rules.{lower}", "directory": directory,
               "class_name": "".join(part.title() for part in lower.split("_")),
               "rego_path": _FILES["rule.rego.j2"].format(**names)}
    written = []
    for template, path in targets.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(env.get_template(template).render(context), encoding="utf-8")
        written.append(path)
    for relative, content in _PACK_FILES.items():
        path = root / relative
        if not path.exists():
            text = env.get_template(f"{path.name}.j2").render(context) if content is None else content
            path.write_text(text, encoding="utf-8")
            written.append(path)
    return written
