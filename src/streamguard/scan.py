"""Run a scan: discover inputs, split them into evaluation units, evaluate, collect findings."""

from __future__ import annotations

import os
import shutil

from streamguard.engines.rego import RegoEngine
from streamguard.findings import Finding, ScanResult
from streamguard.inputs.discover import Source, discover
from streamguard.units import split


def display_path(path: str) -> str:
    """Paths in findings: relative to the working directory when below it, as CI annotations expect."""
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return path
    return path if rel.startswith("..") else rel


def _finding(source: Source, raw: dict, engine: str) -> Finding:
    address = str(raw.get("resource", ""))
    loc = source.locations.get(address) or {}
    return Finding(
        file=display_path(loc.get("file") or source.path),
        line=int(loc.get("line") or 0),
        rule_id=str(raw.get("id", "")),
        resource=address,
        severity=str(raw.get("severity", "")),
        message=str(raw.get("msg", "")),
        engine=engine,
    )


def _with_locations(source: Source, unit: dict) -> dict:
    """The unit as the policies read it, with where each resource was found (for _loc)."""
    return {**unit, "streamguard": {"file": display_path(source.path), "locations": source.locations}}


def scan_rego(paths: list[str], engine: RegoEngine | None = None) -> ScanResult:
    """Scan with the embedded engine: one small evaluation per unit, one compiled bundle."""
    sources, errors = discover(paths)
    engine = engine or RegoEngine()
    result = ScanResult(errors=errors, files_scanned=_count_files(sources))
    for source in sources:
        for unit in split(source.kind, source.document):
            for raw in engine.evaluate(_with_locations(source, unit)):
                result.findings.append(_finding(source, raw, "rego"))
    result.sort()
    return result


def scan_opa(paths: list[str]) -> ScanResult:
    """Scan with `opa eval` from PATH: whole inputs, one process per input."""
    from streamguard.engines import opa

    sources, errors = discover(paths)
    result = ScanResult(errors=errors, files_scanned=_count_files(sources))
    for source in sources:
        for raw in opa.evaluate(_with_locations(source, source.document)):
            result.findings.append(_finding(source, raw, "opa"))
    result.sort()
    return result


def _count_files(sources: list[Source]) -> int:
    return len({loc["file"] for s in sources for loc in s.locations.values()} | {
        s.path for s in sources if s.kind != "terraform"})


def opa_available() -> bool:
    return shutil.which("opa") is not None
