"""Load a rule pack's Rego policies (`streamguard scan --policy DIR`) and the metadata of its rules.

A pack is a folder of Rego modules under the team's own package root (`acme.rules.acme_001`);
every package that defines `deny` or `warn` is a rule, described by its package METADATA
(title, description, custom.id, custom.severity, custom.message, custom.remediation,
custom.resource_types). That METADATA is the rule's one catalog entry: the SARIF descriptors,
`streamguard list`, `--check`/`--skip-check`, the findings' severities and the Checkov checks all
read it from there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from streamguard import metadata, rego_source

SEVERITIES = ("LOW", "MEDIUM", "HIGH")
_VERDICT = re.compile(r"^(deny|warn)\b", re.M)
_ID = re.compile(r"^[A-Z][A-Z0-9]*_[A-Z0-9_]+$")
# regorus has no rego.metadata builtins: the CLI answers the call from the same METADATA.
_CHAIN_CALL = re.compile(r"\brego\.metadata\.chain\(\s*\)")
CHAIN_EXTENSION = "streamguard.metadata_chain"


class PackError(ValueError):
    """A pack that cannot be loaded; the message names the file."""


@dataclass
class Pack:
    modules: dict[str, str] = field(default_factory=dict)  # file -> source as written
    packages: dict[str, str] = field(default_factory=dict)  # rule package -> rule id
    rules: dict[str, dict] = field(default_factory=dict)  # rule id -> metadata, as metadata.all_rules()
    annotations: dict[str, dict] = field(default_factory=dict)  # package -> its METADATA

    def engine_modules(self) -> dict[str, str]:
        """The modules as the embedded engine takes them: rego.metadata.chain() answered by an extension."""
        return {name: _CHAIN_CALL.sub(f'{CHAIN_EXTENSION}("{rego_source.package(source)}")', source)
                for name, source in self.modules.items()}

    def chain(self, package: str) -> list[dict]:
        """What OPA's rego.metadata.chain() gives inside the package (its package annotation)."""
        return [{"path": ["data", *package.split(".")],
                 "annotations": {"scope": "package", **self.annotations.get(package, {})}}]

    def report_module(self) -> str:
        """A module that collects the built-in report and every pack rule's deny/warn/suppressed."""
        entries = ", ".join(
            f'"{pkg}": {{' + ", ".join(f'"{key}": {{f | some f in data.{pkg}.{key}}}'
                                       for key in ("deny", "warn", "suppressed")) + "}"
            for pkg in sorted(self.packages))
        return ("package streamguard.packs\n\nimport rego.v1\n\n"
                f"report := {{\"streamguard\": data.streamguard.lib.findings.report, \"packs\": {{{entries}}}}}\n")

    def findings(self, report: dict) -> list[dict]:
        """The pack's results in the shape of the built-in ones: a plain string result becomes msg,
        and id, severity and title come from METADATA where the result does not carry them."""
        out = []
        for pkg, results in sorted((report.get("packs") or {}).items()):
            rule_id = self.packages.get(pkg)
            if rule_id is None:
                continue
            rule = self.rules[rule_id]
            for key in ("deny", "warn", "suppressed"):
                for item in results.get(key) or []:
                    raw = dict(item) if isinstance(item, dict) else {"msg": str(item)}
                    raw.setdefault("id", rule_id)
                    raw.setdefault("severity", rule["severity"])
                    raw.setdefault("title", rule["title"])
                    out.append(raw)
        return out


def _rule_metadata(annotation: dict, package: str, file: str) -> dict:
    custom = annotation.get("custom")
    if not isinstance(custom, dict) or not isinstance(custom.get("id"), str):
        raise PackError(f"{file}: package {package} defines deny or warn but its METADATA has no custom.id")
    rule_id = custom["id"]
    if not _ID.match(rule_id):
        raise PackError(f"{file}: custom.id {rule_id!r} is not an ID like ACME_001")
    severity = str(custom.get("severity", "")).upper()
    if severity not in SEVERITIES:
        raise PackError(f"{file}: custom.severity of {rule_id} must be one of {', '.join(SEVERITIES)}")
    title = annotation.get("title")
    if not isinstance(title, str) or not title.strip():
        raise PackError(f"{file}: METADATA of {rule_id} has no title")
    fix = custom.get("remediation", "")
    remediation = {"terraform": fix, "cloudformation": fix} if isinstance(fix, str) else dict(fix)
    refs = [r.get("ref") for r in annotation.get("related_resources") or [] if isinstance(r, dict)]
    return {
        "title": title,
        "severity": severity,
        "family": str(custom.get("family", "custom")),
        "description": " ".join(str(annotation.get("description", "")).split()),
        "message": str(custom.get("message", title)),
        "remediation": {k: str(v) for k, v in remediation.items()},
        "resource_types": custom.get("resource_types") or {},
        "help_uri": next((r for r in refs if isinstance(r, str)), ""),
        "package": package,
        "file": file,
    }


def rego_files(directory: Path) -> list[Path]:
    """A pack's modules: every .rego file below the folder, its *_test.rego files excepted."""
    return sorted(p for p in directory.rglob("*.rego") if not p.name.endswith("_test.rego"))


def load(directories: list[str]) -> Pack:
    """Read every pack folder; PackError names the first file that cannot be used. A rule package
    may span several modules (METADATA in one, `deny` in another), so rules are read at the end."""
    pack = Pack()
    verdicts: dict[str, str] = {}  # package that defines deny or warn -> one of its files
    files: dict[str, str] = {}  # package -> the file of its METADATA
    for directory in directories:
        root = Path(directory)
        if not root.is_dir():
            raise PackError(f"{directory}: --policy needs a folder of .rego files")
        paths = rego_files(root)
        if not paths:
            raise PackError(f"{directory}: no .rego files")
        for path in paths:
            pkg, source, annotation = _read_module(path)
            pack.modules[str(path)] = source
            if annotation:
                pack.annotations[pkg] = annotation
                files[pkg] = str(path)
            if _VERDICT.search(source):
                verdicts.setdefault(pkg, str(path))
    for pkg, file in sorted(verdicts.items()):
        if pkg not in pack.annotations:
            raise PackError(f"{file}: package {pkg} defines deny or warn but has no METADATA above its package line")
        _add_rule(pack, pkg, files[pkg])
    return pack


def _read_module(path: Path) -> tuple[str, str, dict]:
    name = str(path)
    try:
        source = path.read_text(encoding="utf-8")
        pkg = rego_source.package(source)
        annotation = rego_source.package_metadata(source)
    except (OSError, UnicodeDecodeError, rego_source.RegoSourceError) as exc:
        raise PackError(f"{name}: {exc}") from None
    if pkg is None:
        raise PackError(f"{name}: no package declaration")
    if pkg == "streamguard" or pkg.startswith("streamguard."):
        raise PackError(f"{name}: package {pkg} is streamguard's own; put custom rules under your own root "
                        "(for example acme.rules.acme_001)")
    return pkg, source, annotation


def _add_rule(pack: Pack, pkg: str, file: str) -> None:
    annotation = pack.annotations[pkg]
    rule = _rule_metadata(annotation, pkg, file)
    rule_id = annotation["custom"]["id"]
    if rule_id in metadata.builtin_rules():
        raise PackError(f"{file}: {rule_id} is a built-in rule ID; choose your own prefix")
    other = pack.rules.get(rule_id)
    if other is not None:
        raise PackError(f"{file}: {rule_id} is also the ID of package {other['package']} ({other['file']})")
    pack.packages[pkg] = rule_id
    pack.rules[rule_id] = rule
