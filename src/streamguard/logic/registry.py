"""Which Python function decides each (rule, format): the Checkov checks look their verdict up here.

A verdict takes a resource view and returns the reasons it fails (empty: it passes). Reasons are
the same strings the rule's Rego policy produces, so both engines print the same message.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable

Verdict = Callable[[object], list[str]]

_VERDICTS: dict[tuple[str, str], Verdict] = {}
_EVERY_BLOCK: set[tuple[str, str]] = set()
# Cheap tests on the configuration Checkov hands a check: False means the rule cannot apply.
_PRECHECKS: dict[tuple[str, str], Callable[[dict], bool]] = {}

# The modules that register verdicts, one per rule family.
FAMILY_MODULES = (
    "streamguard.logic.encryption",
    "streamguard.logic.keys",
    "streamguard.logic.credentials",
    "streamguard.logic.iam",
    "streamguard.logic.transit",
    "streamguard.logic.audit",
    "streamguard.logic.resilience",
)


def verdict(rule_id: str, fmt: str, every_block: bool = False) -> Callable[[Verdict], Verdict]:
    """Register fn as the verdict of rule_id for fmt ("terraform" or "cloudformation"); every_block:
    it also reads what the template does not create (literal credentials are committed anyway)."""

    def register(fn: Verdict) -> Verdict:
        _VERDICTS[(rule_id, fmt)] = fn
        if every_block:
            _EVERY_BLOCK.add((rule_id, fmt))
        return fn

    return register


def precheck(rule_id: str, fmt: str) -> Callable[[Callable[[dict], bool]], Callable[[dict], bool]]:
    """Register fn as the test a Checkov check of rule_id for fmt runs before building its view."""

    def register(fn: Callable[[dict], bool]) -> Callable[[dict], bool]:
        _PRECHECKS[(rule_id, fmt)] = fn
        return fn

    return register


@functools.cache
def _load() -> None:
    """Import the family modules, once: a check looks its verdict up for every resource."""
    for module in FAMILY_MODULES:
        importlib.import_module(module)


def lookup(rule_id: str, fmt: str) -> Verdict:
    _load()
    return _VERDICTS[(rule_id, fmt)]


def reads_every_block(rule_id: str, fmt: str) -> bool:
    _load()
    return (rule_id, fmt) in _EVERY_BLOCK


def cloudformation_reasons(rule_id: str, view) -> list[str]:
    """The reasons a CloudFormation resource fails (RULES.md "CloudFormation conditions"): none
    when its Condition leaves it uncreated (unless the rule reads every block), else the reasons
    of every world of the template's unknown conditions when it fails in all of them."""
    if not view.created and not reads_every_block(rule_id, "cloudformation"):
        return []
    verdict = lookup(rule_id, "cloudformation")
    per_world = [verdict(v) for v in view.in_worlds() or [view]]
    return [reason for reasons in per_world for reason in reasons] if all(per_world) else []


def applies(rule_id: str, fmt: str) -> Callable[[dict], bool]:
    """The rule's precheck; a rule without one may apply to every resource of its types."""
    _load()
    return _PRECHECKS.get((rule_id, fmt), _always)


def _always(conf: dict) -> bool:
    return True


def implemented() -> set[tuple[str, str]]:
    """Every (rule, format) that has a Python verdict."""
    _load()
    return set(_VERDICTS)
