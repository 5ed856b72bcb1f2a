"""What streamguard prints: every string of a report passes through `shown` once, before any format.

RULES.md: nothing printed carries a secret or a control character. A scanned file decides many of
the strings a report holds (addresses, map keys, suppression reasons, file names, a parser's
problem text), so one function masks and escapes them all, for every output format and both
engines, rather than each writer or rule guarding its own fields.
"""

from __future__ import annotations

import dataclasses
import re

from streamguard.findings import Finding, ScanResult
from streamguard.inputs.errors import InputError
from streamguard.logic.credentials import masked_text

# C0 and C1 controls, DEL, line and paragraph separators, and the bidirectional formatting
# characters that reorder what a terminal or a code view shows ("Trojan Source").
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match) -> str:
    char = match.group(0)
    return _NAMED.get(char) or (f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}")


def shown(text: str) -> str:
    """A string as streamguard prints it: credentials masked first (an escape could split one),
    then every control character written as its escape, so one field stays one line of text."""
    return _CONTROL.sub(_escape, masked_text(text))


def shown_code_line(line: str) -> str:
    """A line of code as Checkov prints it for streamguard's records: control characters escaped
    but its indentation tabs and final line break kept."""
    body, end = (line[:-1], "\n") if line.endswith("\n") else (line, "")
    return _CONTROL.sub(lambda m: m.group(0) if m.group(0) == "\t" else _escape(m), body) + end


def _finding(f: Finding) -> Finding:
    return dataclasses.replace(f, file=shown(f.file), rule_id=shown(f.rule_id), resource=shown(f.resource),
                               severity=shown(f.severity), message=shown(f.message), engine=shown(f.engine),
                               suppression=None if f.suppression is None else shown(f.suppression))


def shown_result(result: ScanResult) -> ScanResult:
    """The result with every string it prints passed through `shown`."""
    out = ScanResult(findings=[_finding(f) for f in result.findings],
                     errors=[InputError(shown(e.path), shown(e.reason)) for e in result.errors],
                     files_scanned=result.files_scanned,
                     suppressed=[_finding(f) for f in result.suppressed])
    out.sort()
    return out
