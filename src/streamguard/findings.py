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

    def as_json(self) -> dict:
        data = asdict(self)
        return {k: data[k] for k in ("rule_id", "severity", "resource", "file", "line", "message", "engine")}


@dataclass
class ScanResult:
    findings: list[Finding] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    files_scanned: int = 0

    def sort(self) -> None:
        self.findings = sorted(set(self.findings))
        self.errors = sorted(self.errors, key=lambda e: (e.path, e.reason))

    @property
    def exit_code(self) -> int:
        """0: clean; 1: findings; 2: some input could not be read (its neighbours still scanned)."""
        if self.errors:
            return 2
        return 1 if self.findings else 0
