"""Human-readable output: findings grouped by file, errors, and a summary line."""

from __future__ import annotations

from collections import Counter
from itertools import groupby

from streamguard.findings import ScanResult


def render(result: ScanResult) -> str:
    lines: list[str] = []
    for file, group in groupby(result.findings, key=lambda f: f.file):
        lines.append(file)
        for f in group:
            where = f"{f.file}:{f.line}" if f.line else f.file
            lines.append(f"  {f.rule_id} {f.severity:<6} {f.resource}  ({where})")
            lines.append(f"      {f.message}")
        lines.append("")
    for error in result.errors:
        lines.append(f"error: {error.path}: {error.reason}")
    if result.errors:
        lines.append("")
    counts = Counter(f.severity for f in result.findings)
    by_severity = ", ".join(f"{counts[s]} {s}" for s in ("HIGH", "MEDIUM", "LOW") if counts[s])
    summary = f"{len(result.findings)} finding{'s' if len(result.findings) != 1 else ''}"
    if by_severity:
        summary += f" ({by_severity})"
    summary += f"; {result.files_scanned} file{'s' if result.files_scanned != 1 else ''} scanned"
    if result.errors:
        summary += f"; {len(result.errors)} file{'s' if len(result.errors) != 1 else ''} could not be read"
    lines.append(summary)
    return "\n".join(lines) + "\n"
