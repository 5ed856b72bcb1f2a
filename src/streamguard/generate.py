"""`make generate`: render the catalog into policies, Checkov checks, run-time metadata and rule pages.

Deterministic: the same catalog gives byte-identical files (sorted keys, no dates), so the test
suite can regenerate into a temporary tree and fail on any difference from what is committed.
"""

from __future__ import annotations

import json
from pathlib import Path

import jinja2
import yaml

from streamguard import catalog
from streamguard.paths import CATALOG_DIR, ROOT, TEMPLATES_DIR

FMT_TITLES = {"terraform": "Terraform", "cloudformation": "CloudFormation"}

# Every policy uses these; a rule body adds its own.
_POLICY_IMPORTS = {"import data.streamguard.lib.resources", "import data.streamguard.lib.result"}

# Checkov check kinds: which base class a Terraform type maps to.
_CHECK_KINDS = {
    "resource": ("TerraformRuleCheck", "terraform", "Terraform"),
    "data": ("TerraformDataRuleCheck", "terraform_data", "Terraform data source"),
    "provider": ("TerraformProviderRuleCheck", "terraform_provider", "Terraform provider"),
    "cloudformation": ("CloudFormationRuleCheck", "cloudformation", "CloudFormation"),
}


def _env() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(TEMPLATES_DIR), str(CATALOG_DIR)]),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def checkov_types(rule: catalog.Rule) -> dict[str, list[str]]:
    """Terraform types split by the Checkov registry that checks them (resource, data, provider)."""
    kinds: dict[str, list[str]] = {}
    for t in rule.resource_types.get("terraform", []):
        if t.startswith("data."):
            kinds.setdefault("data", []).append(t[len("data."):])
        elif t == "provider.aws":
            kinds.setdefault("provider", []).append("aws")
        elif t.startswith("aws_"):
            kinds.setdefault("resource", []).append(t)
    return kinds


def _runtime_metadata(rule: catalog.Rule, docs_url: str) -> dict:
    meta = rule.as_dict()
    meta["checkov_category"] = rule.family.checkov_category
    meta["checkov_types"] = checkov_types(rule)
    meta["help_uri"] = f"{docs_url}{rule.id}.md"
    meta["package"] = rule.package
    return meta


def _policy_meta(rule: catalog.Rule) -> dict:
    """The part of the metadata a policy needs at evaluation time (rego-cpp has no rego.metadata)."""
    return {
        "id": rule.id,
        "title": rule.title,
        "severity": rule.severity,
        "message": rule.message,
        "remediation": rule.remediation,
    }


def _metadata_comment(rule: catalog.Rule, help_uri: str) -> str:
    annotation = {
        "title": rule.title,
        "description": rule.description or rule.message,
        "related_resources": [{"ref": help_uri}] + [{"ref": r} for r in rule.references],
        "custom": {
            "id": rule.id,
            "severity": rule.severity,
            "family": rule.family.name,
            "input": {"selector": [{"type": fmt} for fmt in rule.formats]},
            "resource_types": rule.resource_types,
        },
    }
    text = yaml.safe_dump(annotation, sort_keys=False, width=100, allow_unicode=True)
    return "\n".join(f"# {line}".rstrip() for line in text.splitlines())


def _split_imports(body: str) -> tuple[list[str], str]:
    imports, rest = [], []
    for line in body.splitlines():
        (imports if line.startswith("import ") else rest).append(line)
    return imports, "\n".join(rest).strip("\n")


def _rule_context(rule: catalog.Rule) -> dict:
    ctx = rule.as_dict()
    ctx["package"] = rule.package
    return ctx


def render(root: Path = ROOT) -> dict[Path, str]:
    """Every generated file, path -> content."""
    env = _env()
    rules = catalog.rules()
    docs_url = yaml.safe_load((CATALOG_DIR / "project.yaml").read_text(encoding="utf-8"))["docs_url"]
    out: dict[Path, str] = {}
    runtime = {}
    for rule in rules.values():
        meta = _runtime_metadata(rule, docs_url)
        runtime[rule.id] = meta
        ctx = _rule_context(rule)
        body_name = f"{rule.id}.rego.j2"
        implemented = (CATALOG_DIR / body_name).is_file()
        meta["implemented"] = implemented
        if implemented:
            body = env.get_template(body_name).render(rule=ctx)
            imports, body = _split_imports(body)
            policy = env.get_template("policy.rego.j2").render(
                rule=ctx,
                metadata_yaml=_metadata_comment(rule, meta["help_uri"]),
                imports=sorted(set(imports) | _POLICY_IMPORTS),
                meta_json=json.dumps(_policy_meta(rule), sort_keys=True, ensure_ascii=False),
                body="\n" + body,
            )
            out[root / "policies" / "rules" / f"{rule.id.lower()}.rego"] = policy
            for kind in _check_kinds(rule):
                base, suffix, kind_title = _CHECK_KINDS[kind]
                class_name = f"{rule.id.replace('_', '')}{''.join(p.title() for p in suffix.split('_'))}"
                out[root / "checks" / f"{rule.id}_{suffix}.py"] = env.get_template("check.py.j2").render(
                    rule=ctx, base=base, class_name=class_name, kind_title=kind_title,
                    fmt="cloudformation" if kind == "cloudformation" else "terraform",
                )
        out[root / "docs" / "rules" / f"{rule.id}.md"] = env.get_template("rule.md.j2").render(
            rule=ctx, fmt_titles=FMT_TITLES, examples=[],
        )
    out[root / "src" / "streamguard" / "rules.json"] = json.dumps(
        {"generated_from": "catalog/", "rules": runtime}, indent=2, sort_keys=True, ensure_ascii=False
    ) + "\n"
    return out


def _check_kinds(rule: catalog.Rule) -> list[str]:
    kinds = list(checkov_types(rule))
    if "cloudformation" in rule.resource_types:
        kinds.append("cloudformation")
    return kinds


def write(root: Path = ROOT) -> list[Path]:
    """Render and write; remove generated files of the same kinds that are no longer rendered."""
    files = render(root)
    stale = set((root / "policies" / "rules").glob("sg_*.rego")) | set((root / "checks").glob("SG_*.py")) \
        | set((root / "docs" / "rules").glob("SG_*.md"))
    for path in stale - set(files):
        path.unlink()
    changed = []
    for path, content in sorted(files.items()):
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.is_file() or path.read_text(encoding="utf-8") != content:
            path.write_text(content, encoding="utf-8")
            changed.append(path)
    return changed
