"""Rule metadata at run time, read from the file `make generate` renders from the catalog.

The Checkov checks and the CLI read this JSON instead of the YAML catalog, so a scan neither
parses nor validates the catalog (and needs no jinja2 or jsonschema). A scan given rule packs
(`--policy`) adds their rules, read from their METADATA (streamguard.custom.pack).
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

METADATA_FILE = Path(__file__).resolve().parent / "rules.json"


_added: dict[str, dict] = {}


@lru_cache(maxsize=1)
def builtin_rules() -> dict[str, dict]:
    return json.loads(METADATA_FILE.read_text(encoding="utf-8"))["rules"]


def all_rules() -> dict[str, dict]:
    """The built-in rules and those of the rule packs this run loaded."""
    return {**builtin_rules(), **_added} if _added else builtin_rules()


def add_rules(rules: dict[str, dict]) -> None:
    """Make a rule pack's rules known to selection, `list` and the reports of this run."""
    _added.update(rules)


def rule(rule_id: str) -> dict:
    return all_rules()[rule_id]


def finding_message(rule_id: str, fmt: str, reasons: list[str]) -> str:
    """The message both engines print: what is wrong, the details found, and what to set.

    policies/streamguard/lib/result/result.rego builds the same string for the Rego engine.
    """
    return format_message(rule(rule_id), fmt, reasons)


def format_message(meta: dict, fmt: str, reasons: list[str]) -> str:
    """finding_message() for a rule's metadata (a rule pack's rules are not in rules.json)."""
    fix = meta["remediation"].get(fmt) or meta["remediation"].get("terraform", "")
    return f"{meta['message']}: {'; '.join(sorted(set(reasons)))}. {fix}"
