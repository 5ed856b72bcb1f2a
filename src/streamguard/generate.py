"""`make generate`: render the catalog into policies, Checkov checks, run-time metadata and rule pages.

Deterministic: the same catalog gives byte-identical files (sorted keys, no dates), so the test
suite can regenerate into a temporary tree and fail on any difference from what is committed.
"""

from __future__ import annotations

import json
from pathlib import Path

import jinja2
import yaml

from streamguard import catalog, rego_source
from streamguard.fixture_annotations import Expectations, expectations, fixture_files
from streamguard.inputs.discover import discover
from streamguard.inputs.module_instances import directory_key
from streamguard.paths import CATALOG_DIR, ROOT, TEMPLATES_DIR

FMT_TITLES = {"terraform": "Terraform", "cloudformation": "CloudFormation"}

# Checkov check kinds: which base class a catalog type maps to.
_CHECK_KINDS = {
    "resource": ("TerraformRuleCheck", "terraform", "Terraform"),
    "data": ("TerraformDataRuleCheck", "terraform_data", "Terraform data source"),
    "provider": ("TerraformProviderRuleCheck", "terraform_provider", "Terraform provider"),
    "module": ("TerraformModuleRuleCheck", "terraform_module", "Terraform module call"),
    "terraform_sections": ("TerraformSectionRuleCheck", "terraform_sections",
                           "Terraform variables, locals and outputs"),
    "cloudformation": ("CloudFormationRuleCheck", "cloudformation", "CloudFormation"),
    "cloudformation_sections": ("CloudFormationSectionRuleCheck", "cloudformation_sections",
                                "CloudFormation Parameters, Mappings and Outputs"),
}

# The fixture documents the generated Rego tests evaluate, keyed by fixture path.
TESTDATA = Path("policies", "streamguard", "testdata", "fixtures.json")

# Entries Checkov's runners do not check; streamguard.checkov.sections runs their checks.
_TERRAFORM_SECTIONS = ("variable", "locals", "output")
_CLOUDFORMATION_SECTIONS = ("Parameters", "Mappings", "Outputs")


def _env() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(TEMPLATES_DIR), str(CATALOG_DIR)]),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def checkov_types(rule: catalog.Rule) -> dict[str, list[str]]:
    """Catalog types split by the Checkov check kind that checks them (_CHECK_KINDS); "*" is a wildcard."""
    kinds: dict[str, list[str]] = {}
    for t in rule.resource_types.get("terraform", []):
        if t.startswith("data."):
            kinds.setdefault("data", []).append(t[len("data."):])
        elif t == "provider.aws":
            kinds.setdefault("provider", []).append("aws")
        elif t == "module":  # Checkov checks HCL module calls; plan JSON ones are sections
            kinds.setdefault("module", []).append(t)
            kinds.setdefault("terraform_sections", []).append(t)
        elif t in _TERRAFORM_SECTIONS:
            kinds.setdefault("terraform_sections", []).append(t)
        else:
            kinds.setdefault("resource", []).append(t)
    for t in rule.resource_types.get("cloudformation", []):
        kind = "cloudformation_sections" if t in _CLOUDFORMATION_SECTIONS else "cloudformation"
        kinds.setdefault(kind, []).append(t)
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


def _rule_context(rule: catalog.Rule) -> dict:
    ctx = rule.as_dict()
    ctx["package"] = rule.package
    return ctx


class _Fixture:
    """One fixture input as the CLI reads it (a Terraform module directory, or one file), with
    the expectations of every file in it. A module directory is read with the fixture's whole
    format folder, as a scan reads it: a module called from there is named below its calls."""

    def __init__(self, root: Path, path: Path, files: list[Path]):
        self.path = path
        self.source = path.relative_to(root).as_posix()
        folder = root.joinpath(*path.relative_to(root).parts[:3]) if path.is_dir() else path
        found, errors = discover([str(folder)])
        sources = [s for s in found if directory_key(s.path) == directory_key(path)]
        if errors or len(sources) != 1:
            raise catalog.CatalogError(f"fixture {self.source} does not load: {[str(e) for e in errors]}")
        # The policies name a counted block once; fixtures name each instance, as findings do.
        block_of = {name: address for address, names in sources[0].reported.items() for name in names}
        self.expectations = Expectations()
        for file in files:
            found = expectations(file)
            for kind, table in (("ruleid", found.failing), ("ok", found.passing), ("suppressed", found.suppressed)):
                for rule_id, addresses in table.items():
                    for address in addresses:
                        self.expectations.add(kind, rule_id, block_of.get(address, address))
        self.document = dict(sources[0].document)
        if sources[0].suppressions:
            self.document["streamguard"] = {"suppressions": sources[0].suppressions}

    def test_for(self, rule_id: str) -> dict:
        name = self.source.removeprefix(f"fixtures/{rule_id}/").removeprefix("fixtures/")
        return {
            "name": "".join(c if c.isalnum() else "_" for c in name).lower(),
            "source": self.source,
            "failing": _rego_set(self.expectations.failing.get(rule_id, set())),
            "suppressed": _rego_set(self.expectations.suppressed.get(rule_id, set())),
        }


def _rego_set(items: set[str]) -> str:
    return "{" + ", ".join(json.dumps(i) for i in sorted(items)) + "}" if items else "set()"


def _fixtures(root: Path) -> list[_Fixture]:
    """Every fixture input under fixtures/: .tf files grouped by directory, other files alone."""
    files = fixture_files(root / "fixtures")
    modules: dict[Path, list[Path]] = {}
    for f in files:
        modules.setdefault(f.parent if f.suffix == ".tf" else f, []).append(f)
    return [_Fixture(root, path, group) for path, group in sorted(modules.items())]


_SNIPPET_LANG = {".tf": "hcl", ".yaml": "yaml", ".yml": "yaml"}


def _snippet(path: Path, address: str) -> str | None:
    """The block of an HCL or YAML fixture that an address names, as written."""
    lines = path.read_text(encoding="utf-8").splitlines()
    kind, _, name = address.rpartition(".")
    for i, line in enumerate(lines):
        if path.suffix == ".tf":
            rtype = kind.removeprefix("data.")
            if not (line.startswith(("resource ", "data ")) and f'"{rtype}" "{name}"' in line):
                continue
            depth, end = 0, i
            for end in range(i, len(lines)):
                depth += lines[end].count("{") - lines[end].count("}")
                if depth <= 0:
                    break
            return "\n".join(lines[i:end + 1])
        if line == f"  {name}:":
            end = i + 1
            while end < len(lines) and (lines[end].startswith("    ") or not lines[end].strip()):
                end += 1
            body = [ln for ln in lines[i:end] if not ln.lstrip().startswith("# ")]
            return "\n".join(ln[2:] for ln in body).rstrip()
    return None


def _examples(rule: catalog.Rule, fixtures: list[_Fixture]) -> list[dict]:
    """One failing and one passing example per language, taken from the rule's own fixtures."""
    examples = []
    for suffix, language in ((".tf", "Terraform"), (".yaml", "CloudFormation")):
        for verdict, table in (("Fails", "failing"), ("Passes", "passing")):
            found = None
            for fixture in fixtures:
                if not fixture.source.startswith(f"fixtures/{rule.id}/"):
                    continue
                # main.tf first: the other files of a fixture module hold the special shapes.
                files = [fixture.path] if fixture.path.is_file() else sorted(
                    fixture.path.glob("*.tf"), key=lambda f: (f.name != "main.tf", f.name))
                for file in files:
                    for address in sorted(getattr(fixture.expectations, table).get(rule.id, set())):
                        if file.suffix == suffix and (text := _snippet(file, address)):
                            found = {"title": f"{verdict}: {language} (`{address}`)", "lang": _SNIPPET_LANG[suffix],
                                     "text": text}
                            break
                    if found:
                        break
                if found:
                    break
            if found:
                examples.append(found)
    return examples


def render(root: Path = ROOT) -> dict[Path, str]:
    """Every generated file, path -> content."""
    env = _env()
    rules = catalog.rules()
    fixtures = _fixtures(root)
    docs_url = yaml.safe_load((CATALOG_DIR / "project.yaml").read_text(encoding="utf-8"))["docs_url"]
    out: dict[Path, str] = {}
    runtime = {}
    for rule in rules.values():
        meta = _runtime_metadata(rule, docs_url)
        runtime[rule.id] = meta
        ctx = _rule_context(rule)
        rule_dir = root / "policies" / "streamguard" / "rules" / rule.id.lower()
        implemented = (rule_dir / f"{rule.id.lower()}_rule.rego").is_file()
        meta["implemented"] = implemented
        if implemented:
            out[rule_dir / f"{rule.id.lower()}_meta.rego"] = env.get_template("policy.rego.j2").render(
                rule=ctx,
                metadata_yaml=_metadata_comment(rule, meta["help_uri"]),
                meta_json=json.dumps(_policy_meta(rule), sort_keys=True, ensure_ascii=False),
            )
            tests = [f.test_for(rule.id) for f in fixtures if rule.id in f.expectations.rules]
            out[rule_dir / f"{rule.id.lower()}_test.rego"] = env.get_template(
                "rule_test.rego.j2").render(rule=ctx, tests=tests)
            for kind in _check_kinds(rule):
                base, suffix, kind_title = _CHECK_KINDS[kind]
                class_name = f"{rule.id.replace('_', '')}{''.join(p.title() for p in suffix.split('_'))}"
                out[root / "checks" / f"{rule.id}_{suffix}.py"] = env.get_template("check.py.j2").render(
                    rule=ctx, base=base, class_name=class_name, kind_title=kind_title,
                    fmt="cloudformation" if kind.startswith("cloudformation") else "terraform",
                )
        out[root / "docs" / "rules" / f"{rule.id}.md"] = env.get_template("rule.md.j2").render(
            rule=ctx, fmt_titles=FMT_TITLES, examples=_examples(rule, fixtures),
        )
    # The generated Rego tests read their inputs from here (`opa test policies/` loads it as
    # data.streamguard.testdata), so each fixture document is written once, readably, not inlined.
    out[root / TESTDATA] = json.dumps(
        {f.source: f.document for f in fixtures}, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    out[root / "policies" / "streamguard" / "lib" / "worlds" / "worlds.rego"] = env.get_template(
        "worlds.rego.j2").render(names=sorted(rules[r].package.rsplit(".", 1)[1] for r in rules
                                              if runtime[r]["implemented"]))
    out[root / "docs" / "README.md"] = env.get_template("index.md.j2").render(
        rules=[rules[r].as_dict() for r in sorted(rules)], families=catalog.families(),
    )
    out[root / "docs" / "rego-library.md"] = env.get_template("rego_library.md.j2").render(
        packages=_public_packages(root))
    out[root / "src" / "streamguard" / "rules.json"] = json.dumps(
        {"generated_from": "catalog/", "rules": runtime}, indent=2, sort_keys=True, ensure_ascii=False
    ) + "\n"
    return out


def _public_packages(root: Path) -> list[dict]:
    """The library packages whose METADATA says custom.public, with their documented rules."""
    packages = []
    for path in sorted((root / "policies" / "streamguard" / "lib").glob("*/*.rego")):
        source = path.read_text(encoding="utf-8")
        meta = rego_source.package_metadata(source)
        if (meta.get("custom") or {}).get("public") is True:
            packages.append({"name": rego_source.package(source), "title": meta.get("title", ""),
                             "description": " ".join(str(meta.get("description", "")).split()),
                             "rules": rego_source.public_rules(source)})
    return packages


def _check_kinds(rule: catalog.Rule) -> list[str]:
    return list(checkov_types(rule))


def generated_on_disk(root: Path = ROOT) -> set[Path]:
    """Every file of the kinds `make generate` writes (a rule's own verdict, sg_nnn_rule.rego, is not one)."""
    rules_dir = root / "policies" / "streamguard" / "rules"
    return set(rules_dir.glob("*/sg_*_meta.rego")) | set(rules_dir.glob("*/sg_*_test.rego")) \
        | set((root / "checks").glob("SG_*.py")) | set((root / "docs" / "rules").glob("SG_*.md"))


def write(root: Path = ROOT) -> list[Path]:
    """Render and write; remove generated files of the same kinds that are no longer rendered."""
    files = render(root)
    for path in generated_on_disk(root) - set(files):
        path.unlink()
    changed = []
    for path, content in sorted(files.items()):
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.is_file() or path.read_text(encoding="utf-8") != content:
            path.write_text(content, encoding="utf-8")
            changed.append(path)
    return changed
