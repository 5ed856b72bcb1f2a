"""The catalog is the single source of rule metadata: complete, valid, and faithful to RULES.md and the seeds."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from streamguard import catalog

pytestmark = pytest.mark.fast

SHARED = Path(__file__).resolve().parents[2] / "shared"
RULES_MD = SHARED / "RULES.md"


def _rules_md() -> str:
    if not RULES_MD.is_file():
        pytest.skip("shared/RULES.md is not beside this checkout")
    return RULES_MD.read_text(encoding="utf-8")


def test_catalog_loads_and_validates():
    assert len(catalog.rules()) == 26


def test_catalog_has_exactly_the_rules_of_rules_md():
    ids = set(re.findall(r"^\| (SG_\d{3}) \|", _rules_md(), re.M))
    assert set(catalog.rules()) == ids


def test_severities_match_rules_md():
    text = _rules_md()
    section = text[text.index("## Severity"):]
    for severity in ("HIGH", "MEDIUM", "LOW"):
        line = re.search(rf"{severity}: ([0-9, ]+)", section).group(1)
        for number in re.findall(r"\d{3}", line):
            assert catalog.rules()[f"SG_{number}"].severity == severity, number


def _plain(text: str) -> str:
    """Seed text as read: markdown links reduced to their text, escapes and extra spaces dropped."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text).replace("\\", "")
    return " ".join(text.split())


@pytest.mark.parametrize("rule", sorted(catalog.rules().values(), key=lambda r: r.id), ids=lambda r: r.id)
def test_seed_quote_is_verbatim(rule):
    seed = SHARED / "seeds" / rule.seed_file
    if not seed.is_file():
        pytest.skip("shared/seeds is not beside this checkout")
    assert _plain(rule.seed_quote) in _plain(seed.read_text(encoding="utf-8"))


def test_every_catalog_rule_is_implemented_in_both_engines():
    """A Rego policy, a Python verdict for each format it applies to, and generated Checkov checks."""
    from streamguard.logic import registry
    from streamguard.paths import CHECKS_DIR, POLICIES_DIR

    verdicts = registry.implemented()
    for rule in catalog.rules().values():
        verdict = POLICIES_DIR / "streamguard" / "rules" / rule.id.lower() / f"{rule.id.lower()}_rule.rego"
        assert verdict.is_file(), rule.id
        assert list(CHECKS_DIR.glob(f"{rule.id}_*.py")), rule.id
        for fmt in rule.formats:
            assert (rule.id, fmt) in verdicts, (rule.id, fmt)
