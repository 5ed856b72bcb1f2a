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
from streamguard.scan import with_locations
from streamguard.units import split

SOURCES, _ = discover([str(ROOT / "fixtures")])


@pytest.fixture(scope="module")
def engine() -> RegoEngine:
    return RegoEngine()


def _pairs(findings: list[dict]) -> set[tuple[str, str]]:
    return {(f["id"], f["resource"]) for f in findings}


@pytest.mark.parametrize("source", SOURCES, ids=lambda s: s.path.split("fixtures/")[-1])
def test_splitting_into_the_smallest_units_keeps_every_verdict(source, engine):
    whole = _pairs(engine.evaluate(with_locations(source, source.document)))
    units = split(source.kind, source.document, size=1)
    split_findings: set[tuple[str, str]] = set()
    for unit in units:
        split_findings |= _pairs(engine.evaluate(with_locations(source, unit)))
    assert split_findings == whole


def test_malformed_intrinsics_do_not_break_the_split():
    """Found by the fuzzer: a GetAtt whose head is a list or a map is not a reference."""
    template = {"Resources": {
        "Key": {"Type": "AWS::KMS::Key"},
        "Stream": {"Type": "AWS::Kinesis::Stream", "Properties": {"StreamEncryption": {
            "KeyId": {"Fn::GetAtt": [["Key", "Key"], "Arn"]}, "Other": {"Fn::GetAtt": [{"a": 1}]},
            "Sub": {"Fn::Sub": [["Key"], {}]}, "Ref": {"Ref": ["Key"]}}}}}}
    units = list(split("cloudformation", template, size=1))
    assert sorted(name for unit in units for name in unit["Resources"]) == ["Key", "Stream"]
