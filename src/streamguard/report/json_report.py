"""JSON output: exactly {"findings": [...], "errors": [{"file", "message"}]}, deterministic."""

from __future__ import annotations

import json

from streamguard.findings import ScanResult


def render(result: ScanResult) -> str:
    document = {
        "findings": [f.as_json() for f in result.findings],
        "errors": [{"file": e.path, "message": e.reason} for e in result.errors],
    }
    return json.dumps(document, indent=2, sort_keys=False, ensure_ascii=False) + "\n"
