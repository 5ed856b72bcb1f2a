"""Human-readable output: findings grouped by file, errors, and a summary line.

Coloured on a terminal; plain when piped or when NO_COLOR is set (https://no-color.org).
"""

from __future__ import annotations

import os
from collections import Counter
from itertools import groupby

from streamguard.findings import ScanResult
from streamguard.report import printable

_COLOURS = {"HIGH": "\033[1;31m", "MEDIUM": "\033[33m", "LOW": "\033[36m", "dim": "\033[2m", "bold": "\033[1m"}
_RESET = "\033[0m"


def use_colour(stream) -> bool:
    return "NO_COLOR" not in os.environ and hasattr(stream, "isatty") and stream.isatty()


def render(result: ScanResult, colour: bool = False) -> str:
    def paint(text: str, style: str) -> str:
        return f"{_COLOURS[style]}{text}{_RESET}" if colour else text

    lines: list[str] = []
    for file, group in groupby(result.findings, key=lambda f: f.file):
        lines.append(paint(file, "bold"))
        for f in group:
            where = f"{f.file}:{f.line}" if f.line else f.file
            lines.append(f"  {f.rule_id} {paint(f'{f.severity:<6}', f.severity)} {f.resource}  {paint(where, 'dim')}")
            lines.append(f"      {f.message}")
        lines.append("")
    for f in result.suppressed:
        lines.append(paint(f"suppressed: {f.rule_id} {f.resource} ({f.file}:{f.line}): {f.suppression}", "dim"))
    if result.suppressed:
        lines.append("")
    for error in result.errors:
        lines.append(f"{paint('error:', 'HIGH')} {printable(error.path)}: {error.reason}")
    if result.errors:
        lines.append("")
    lines.append(summary(result))
    return "\n".join(lines) + "\n"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def summary(result: ScanResult) -> str:
    counts = Counter(f.severity for f in result.findings)
    by_severity = ", ".join(f"{counts[s]} {s}" for s in ("HIGH", "MEDIUM", "LOW") if counts[s])
    text = _plural(len(result.findings), "finding") + (f" ({by_severity})" if by_severity else "")
    if result.suppressed:
        text += f", {len(result.suppressed)} suppressed"
    text += f"; {_plural(result.files_scanned, 'file')} scanned"
    if result.errors:
        text += f"; {_plural(len(result.errors), 'file')} could not be read"
    return text
