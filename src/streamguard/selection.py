"""Which rules a scan reports: --check, --skip-check and --severity, with Checkov's meanings.

Items are rule IDs (SG_201), ID patterns (SG_2*), family names (keys, credentials...) or
severities. As in Checkov, a severity in --check selects that severity and above, and a severity in
--skip-check skips that severity and below. --severity is a threshold on what is reported.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass

from streamguard import metadata

SEVERITIES = ("LOW", "MEDIUM", "HIGH")


class SelectionError(ValueError):
    """An item names no rule, family or severity."""


def _split(values: list[str] | None) -> list[str]:
    return [item.strip() for value in values or [] for item in value.split(",") if item.strip()]


def _matches(rule_id: str, rule: dict, item: str, severity_rule) -> bool:
    upper = item.upper()
    if upper in SEVERITIES:
        return severity_rule(SEVERITIES.index(rule["severity"]), SEVERITIES.index(upper))
    if item.lower() == rule["family"]:
        return True
    return fnmatch.fnmatchcase(rule_id, upper)


def _validate(items: list[str]) -> None:
    rules = metadata.all_rules()
    families = {r["family"] for r in rules.values()}
    for item in items:
        if item.upper() in SEVERITIES or item.lower() in families:
            continue
        if not any(fnmatch.fnmatchcase(rule_id, item.upper()) for rule_id in rules):
            raise SelectionError(f"{item!r} names no rule, family or severity (see `streamguard list`)")


@dataclass(frozen=True)
class Selection:
    rule_ids: frozenset[str]

    @classmethod
    def from_options(cls, check: list[str] | None, skip_check: list[str] | None,
                     severity: str | None) -> Selection:
        checks, skips = _split(check), _split(skip_check)
        _validate(checks + skips)
        chosen = set()
        for rule_id, rule in metadata.all_rules().items():
            if checks and not any(_matches(rule_id, rule, i, lambda r, s: r >= s) for i in checks):
                continue
            if any(_matches(rule_id, rule, i, lambda r, s: r <= s) for i in skips):
                continue
            if severity and SEVERITIES.index(rule["severity"]) < SEVERITIES.index(severity.upper()):
                continue
            chosen.add(rule_id)
        return cls(frozenset(chosen))

    @property
    def everything(self) -> bool:
        return self.rule_ids == frozenset(metadata.all_rules())
