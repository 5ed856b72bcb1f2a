"""In-process parity: on every CloudFormation fixture, each Python verdict's reasons are Rego's.

Checkov's CloudFormation records carry no details, so the Checkov-engine tests compare only which
resources fail there; this calls each rule's Python verdict on every resource and template entry
of the fixture (the views the checks build: the whole template, through streamguard's loader) and
compares its reasons, resource by resource, with the rule's `_verdict` in the embedded engine (its
`_reasons`, or what fails in every world of the template's unknown conditions).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from streamguard import metadata
from streamguard.engines.rego import RegoEngine
from streamguard.inputs import cfn as cfn_input
from streamguard.inputs.discover import discover
from streamguard.logic import registry
from streamguard.logic.cfn import CfnResource
from streamguard.logic.sections import cloudformation_sections
from streamguard.paths import ROOT
from streamguard.scan import with_locations

pytestmark = pytest.mark.fast

# Every rule's `_verdict`, keyed by rule ID (one complete rule: regorus evaluates rules, not partial
# keys; and an empty one is undefined there, so read it from the package).
_REASONS = "package streamguard.parity\n\nimport rego.v1\n\nreasons := {\n" + "".join(
    f'\t"{rule_id}": object.get(data.streamguard.rules.{rule_id.lower()}, "_verdict", {{}}),\n'
    for rule_id in metadata.all_rules()) + "}\n"


def _sources() -> dict[str, object]:
    sources, errors = discover([str(ROOT / "fixtures")])
    assert not errors, errors
    return {str(Path(s.path).relative_to(ROOT)): s for s in sources if s.kind == "cloudformation"}


SOURCES = _sources()


@pytest.fixture(scope="module")
def engine() -> RegoEngine:
    return RegoEngine(extra_modules={"streamguard_parity.rego": _REASONS}, entrypoint="data.streamguard.parity.reasons")


def _applies(types: list[str], rtype: str) -> bool:
    return "*" in types or rtype in types


def _python_reasons(path: str) -> dict[tuple[str, str], set[str]]:
    """(rule, address) -> reasons of every Python verdict that fails on the template."""
    template = cfn_input.load(path)
    found: dict[tuple[str, str], set[str]] = {}
    resources = [CfnResource(lid, body, template.body) for lid, body in (template.body.get("Resources") or {}).items()
                 if isinstance(body, dict) and isinstance(body.get("Type"), str)]
    sections = cloudformation_sections(template.body)
    for rule_id, meta in metadata.all_rules().items():
        if (rule_id, "cloudformation") not in registry.implemented():
            continue
        verdict = registry.lookup(rule_id, "cloudformation")
        types = meta["checkov_types"]
        views = [r for r in resources if _applies(types.get("cloudformation", []), r.type)]
        views += [s for s in sections if s.kind in types.get("cloudformation_sections", [])]
        for view in views:
            reasons = (registry.cloudformation_reasons(rule_id, view) if isinstance(view, CfnResource)
                       else verdict(view))
            if reasons:
                found[(rule_id, view.address)] = set(reasons)
                # the check's precheck must never rule out a resource the rule fails
                assert not isinstance(view, CfnResource) or registry.applies(rule_id, "cloudformation")(view.body)
    return found


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_python_reasons_are_regos_on_cloudformation(name, engine):
    rego = engine.query_json(json.dumps(with_locations(SOURCES[name]))) or {}
    expected = {(rule_id, address): set(reasons)
                for rule_id, by_address in rego.items() for address, reasons in by_address.items()}
    actual = _python_reasons(SOURCES[name].path)
    assert actual == expected, {"Python": {k: sorted(v) for k, v in actual.items() if expected.get(k) != v},
                                "Rego": {k: sorted(v) for k, v in expected.items() if actual.get(k) != v}}
