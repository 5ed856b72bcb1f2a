"""Read what each fixture file says it must produce (the tests and the generator both need it).

Terraform and YAML fixtures annotate inline, semgrep-style: `# ruleid: SG_101` above a block that
must fail, `# ok: SG_101` above one that must pass, `# suppressed: SG_101` above one that fails but
carries a Checkov skip for the rule (reported as suppressed, never as a finding). The address is
taken from the next block header (`resource "t" "n"`, `data "t" "n"`, `variable "n"`, `output "n"`,
`module "n"`, or a YAML key under Resources/Parameters/Mappings/Outputs), unless the annotation
names it:
`# ruleid: SG_304 locals.key_id`. JSON fixtures carry the same lines in a sidecar `<file>.expect`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from streamguard.inputs import cfn

_ANNOTATION = re.compile(r"^\s*#\s*(ruleid|ok|suppressed):\s*([A-Z][A-Z0-9]*_\d+)(?:\s+(\S+))?\s*$")
_SIDECAR = re.compile(r"^\s*(ruleid|ok|suppressed):\s*([A-Z][A-Z0-9]*_\d+)\s+(\S+)\s*$")
_HCL_HEADER = re.compile(r'^\s*(resource|data)\s+"([^"]+)"\s+"([^"]+)"|^\s*(variable|output|module)\s+"([^"]+)"')
_YAML_KEY = re.compile(r"^  ([A-Za-z0-9]+):")
_YAML_SECTION = re.compile(r"^([A-Za-z]+):")

FIXTURE_SUFFIXES = (".tf", ".yaml", ".yml", ".json", ".template")


@dataclass
class Expectations:
    failing: dict[str, set[str]] = field(default_factory=dict)  # rule -> addresses that must fail
    passing: dict[str, set[str]] = field(default_factory=dict)  # rule -> addresses that must pass
    suppressed: dict[str, set[str]] = field(default_factory=dict)  # rule -> failing, but skipped in source

    def add(self, kind: str, rule: str, address: str) -> None:
        target = {"ruleid": self.failing, "ok": self.passing, "suppressed": self.suppressed}[kind]
        target.setdefault(rule, set()).add(address)

    @property
    def rules(self) -> set[str]:
        return set(self.failing) | set(self.passing) | set(self.suppressed)


def _hcl_address(match: re.Match) -> str:
    if match.group(1) == "resource":
        return f"{match.group(2)}.{match.group(3)}"
    if match.group(1) == "data":
        return f"data.{match.group(2)}.{match.group(3)}"
    return f"{match.group(4)}.{match.group(5)}"


def _inline(path: Path) -> Expectations:
    expectations = Expectations()
    pending: list[tuple[str, str]] = []
    section = None
    resources = {}
    if path.suffix != ".tf":
        template = cfn.load(str(path))
        resources = (template.body.get("Resources") or {}) if template else {}
    for line in path.read_text(encoding="utf-8").splitlines():
        annotation = _ANNOTATION.match(line)
        if annotation:
            kind, rule, explicit = annotation.groups()
            if explicit:
                expectations.add(kind, rule, explicit)
            else:
                pending.append((kind, rule))
            continue
        if path.suffix == ".tf":
            header = _HCL_HEADER.match(line)
            address = _hcl_address(header) if header else None
        else:
            top = _YAML_SECTION.match(line)
            if top:
                section = top.group(1)
            key = _YAML_KEY.match(line)
            address = None
            if key and section == "Resources":
                address = f"{(resources.get(key.group(1)) or {}).get('Type')}.{key.group(1)}"
            elif key and section in ("Parameters", "Mappings", "Outputs"):
                address = f"{section}.{key.group(1)}"
        if address:
            for kind, rule in pending:
                expectations.add(kind, rule, address)
            pending = []
    if pending:
        raise ValueError(f"{path}: annotation {pending} is not followed by a block")
    return expectations


def _sidecar(path: Path) -> Expectations:
    expectations = Expectations()
    sidecar = path.with_name(path.name + ".expect")
    for line in sidecar.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = _SIDECAR.match(line)
        if not match:
            raise ValueError(f"{sidecar}: cannot read line {line!r}")
        expectations.add(*match.groups())
    return expectations


def expectations(path: Path) -> Expectations:
    return _sidecar(path) if path.suffix == ".json" else _inline(path)


def fixture_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.suffix in FIXTURE_SUFFIXES and p.is_file())


def fixture_format(path: Path) -> str:
    """terraform | plan | cloudformation-yaml | cloudformation-json, from the fixture's folder and name."""
    folder = path.parent.name
    if folder == "cloudformation":
        return "cloudformation-json" if path.suffix == ".json" else "cloudformation-yaml"
    return folder


def load_yaml(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))
