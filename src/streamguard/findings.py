"""What a scan produces: findings and input errors, in the one shape every output format writes."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from streamguard.inputs.errors import InputError

SEVERITY_RANK = {"LOW": 1, "MEDIUM": 2, "HIGH": 3}


@dataclass(frozen=True, order=True)
class Finding:
    file: str
    line: int
    rule_id: str
    resource: str
    severity: str
    message: str
    engine: str
    suppression: str | None = None  # the reason, when an in-source skip suppressed the finding

    def as_json(self) -> dict:
        data = asdict(self)
        out = {k: data[k] for k in ("rule_id", "severity", "resource", "file", "line", "message", "engine")}
        if self.suppression is not None:
            out["reason"] = self.suppression
        return out


@dataclass
class ScanResult:
    findings: list[Finding] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    files_scanned: int = 0
    suppressed: list[Finding] = field(default_factory=list)

    def add(self, finding: Finding) -> None:
        (self.findings if finding.suppression is None else self.suppressed).append(finding)

    def select(self, rule_ids: frozenset[str]) -> None:
        """Keep what the selection (--check, --skip-check, --severity) reports."""
        self.findings = [f for f in self.findings if f.rule_id in rule_ids]
        self.suppressed = [f for f in self.suppressed if f.rule_id in rule_ids]

    def sort(self) -> None:
        self.suppressed = sorted(set(self.suppressed))
        self.findings = sorted(set(self.findings))
        self.errors = sorted(self.errors, key=lambda e: (e.path, e.reason))

    @property
    def exit_code(self) -> int:
        """0: clean; 1: findings; 2: some input could not be read (its neighbours still scanned)."""
        if self.errors:
            return 2
        return 1 if self.findings else 0
