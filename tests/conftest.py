"""Shared scans: Checkov runs once over fixtures/ and the Rego engine scans it once, per test session.

Every fixture test compares against these two results, so the suite runs each engine once, not
once per assertion; under pytest-xdist the first worker that needs Checkov's result runs it and
the others read it (Checkov is the costly one), so it runs once per session, not once per worker.
"""

from __future__ import annotations

import dataclasses
import json
from collections import defaultdict
from pathlib import Path

import pytest
from filelock import FileLock

from streamguard.engines import checkov
from streamguard.scan import scan_rego

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"


class EngineResults:
    """(rule, address) pairs per fixture file (repo-relative path)."""

    def __init__(self):
        self.failed: dict[str, set[tuple[str, str]]] = defaultdict(set)
        self.passed: dict[str, set[tuple[str, str]]] = defaultdict(set)
        self.suppressed: dict[str, set[tuple[str, str]]] = defaultdict(set)
        self.check_modules: set[str] = set()
        self.parse_errors: list[str] = []
        self.messages: dict[tuple[str, str, str], str] = {}
        self.stderr = ""
        self.errors: list[str] = []


@pytest.fixture(scope="session")
def checkov_run(tmp_path_factory, worker_id) -> checkov.CheckovRun:
    if worker_id == "master":
        return checkov.run([str(FIXTURES)], cwd=str(ROOT))
    shared = tmp_path_factory.getbasetemp().parent / "checkov_fixtures.json"
    with FileLock(f"{shared}.lock"):
        if not shared.is_file():
            shared.write_text(json.dumps(dataclasses.asdict(checkov.run([str(FIXTURES)], cwd=str(ROOT)))))
        return checkov.CheckovRun(**json.loads(shared.read_text()))


@pytest.fixture(scope="session")
def checkov_results(checkov_run) -> EngineResults:
    results = EngineResults()
    run = checkov_run
    results.parse_errors = run.parse_errors
    results.stderr = run.stderr
    for records, bucket in ((run.failed, results.failed), (run.passed, results.passed),
                            (run.skipped, results.suppressed)):
        for record in records:
            file = str(Path("fixtures") / record["file_path"].lstrip("/"))
            bucket[file].add((record["check_id"], checkov.address(record)))
            results.check_modules.add(record.get("check_class", ""))
    for record in run.failed:
        file = str(Path("fixtures") / record["file_path"].lstrip("/"))
        results.messages[(file, record["check_id"], checkov.address(record))] = (record.get("details") or [""])[0]
    return results


@pytest.fixture(scope="session")
def rego_results() -> EngineResults:
    results = EngineResults()
    import os

    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        scan = scan_rego(["fixtures"])
    finally:
        os.chdir(cwd)
    results.errors = [str(e) for e in scan.errors]
    for f in scan.findings:
        results.failed[f.file].add((f.rule_id, f.resource))
        results.messages[(f.file, f.rule_id, f.resource)] = f.message
    for f in scan.suppressed:
        results.suppressed[f.file].add((f.rule_id, f.resource))
    return results
