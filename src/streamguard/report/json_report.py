"""JSON output: exactly {"findings": [...], "errors": [{"file", "message"}]}, deterministic.

Consumers validate this shape strictly, so suppressed findings (the finding fields plus "reason";
they never count as findings) are added as a third key, "suppressed", only when asked for.
"""

from __future__ import annotations

import json

from streamguard.findings import ScanResult
from streamguard.report import printable


def render(result: ScanResult, include_suppressed: bool = False) -> str:
    document = {
        "findings": [f.as_json() for f in result.findings],
        "errors": [{"file": printable(e.path), "message": e.reason} for e in result.errors],
    }
    if include_suppressed:
        document["suppressed"] = [f.as_json() for f in result.suppressed]
    return json.dumps(document, indent=2, sort_keys=False, ensure_ascii=False) + "\n"
