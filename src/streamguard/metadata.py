"""Rule metadata at run time, read from the file `make generate` renders from the catalog.

The Checkov checks and the CLI read this JSON instead of the YAML catalog, so a scan neither
parses nor validates the catalog (and needs no jinja2 or jsonschema).
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

METADATA_FILE = Path(__file__).resolve().parent / "rules.json"


@lru_cache(maxsize=1)
def all_rules() -> dict[str, dict]:
    return json.loads(METADATA_FILE.read_text(encoding="utf-8"))["rules"]


def rule(rule_id: str) -> dict:
    return all_rules()[rule_id]


def finding_message(rule_id: str, fmt: str, reasons: list[str]) -> str:
    """The message both engines print: what is wrong, the details found, and what to set.

    policies/streamguard/lib/result/result.rego builds the same string for the Rego engine.
    """
    meta = rule(rule_id)
    fix = meta["remediation"].get(fmt) or meta["remediation"]["terraform"]
    return f"{meta['message']}: {'; '.join(sorted(set(reasons)))}. {fix}"
