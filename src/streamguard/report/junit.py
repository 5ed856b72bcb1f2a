"""JUnit XML for CI test views: one test suite per rule, one failing test case per finding.

A rule with no findings gets one passing case, so the report shows every rule that ran.
Suppressed findings are skipped cases carrying their reason.
"""

from __future__ import annotations

from itertools import groupby

from junit_xml import TestCase, TestSuite, to_xml_report_string

from streamguard import metadata
from streamguard.findings import ScanResult
from streamguard.report import printable


def render(result: ScanResult, rule_ids: frozenset[str] | None = None) -> str:
    rules = metadata.all_rules()
    selected = sorted(rule_ids if rule_ids is not None else rules)
    by_rule = {rule_id: list(group) for rule_id, group in
               groupby(sorted(result.findings + result.suppressed, key=lambda f: (f.rule_id, f.file, f.resource)),
                       key=lambda f: f.rule_id)}
    suites = []
    for rule_id in selected:
        rule = rules[rule_id]
        cases = []
        for f in by_rule.get(rule_id, []):
            file = printable(f.file)
            case = TestCase(name=f"{f.resource} ({file}:{f.line})", classname=f"streamguard.{rule_id}",
                            file=file, line=f.line)
            if f.suppression is not None:
                case.add_skipped_info(message=f"suppressed: {f.suppression}")
            else:
                case.add_failure_info(message=f.message, failure_type=f.severity,
                                      output=f"{f.rule_id} {f.severity} {f.resource}\n{file}:{f.line}\n{f.message}")
            cases.append(case)
        if not cases:
            cases.append(TestCase(name="no findings", classname=f"streamguard.{rule_id}"))
        suites.append(TestSuite(f"{rule_id} {rule['title']}", cases))
    if result.errors:
        suites.append(TestSuite("input errors", [
            _error_case(e.path, e.reason) for e in result.errors]))
    return to_xml_report_string(suites, prettyprint=True, encoding="utf-8")


def _error_case(path: str, reason: str) -> TestCase:
    path = printable(path)
    case = TestCase(name=path, classname="streamguard.input", file=path)
    case.add_error_info(message=reason)
    return case
