"""Splitting inputs into evaluation units must never change a verdict.

Every fixture is evaluated whole and split into units of a single connected group each: a rule
that follows a link units.py does not know (a reference, a name used as a literal) would lose or
gain findings here.
"""

from __future__ import annotations

import pytest

from streamguard.engines.rego import RegoEngine
from streamguard.inputs.discover import discover
from streamguard.paths import ROOT
from streamguard.scan import _with_locations
from streamguard.units import split

SOURCES, _ = discover([str(ROOT / "fixtures")])


@pytest.fixture(scope="module")
def engine() -> RegoEngine:
    return RegoEngine()


def _pairs(findings: list[dict]) -> set[tuple[str, str]]:
    return {(f["id"], f["resource"]) for f in findings}


@pytest.mark.parametrize("source", SOURCES, ids=lambda s: s.path.split("fixtures/")[-1])
def test_splitting_into_the_smallest_units_keeps_every_verdict(source, engine):
    whole = _pairs(engine.evaluate(_with_locations(source, source.document)))
    units = split(source.kind, source.document, size=1)
    split_findings: set[tuple[str, str]] = set()
    for unit in units:
        split_findings |= _pairs(engine.evaluate(_with_locations(source, unit)))
    assert split_findings == whole
