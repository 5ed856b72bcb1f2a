"""Run a scan: discover inputs, evaluate each one whole, collect findings."""

from __future__ import annotations

import json
import os
import shutil

from streamguard.custom.pack import Pack
from streamguard.engines.rego import EngineError, RegoEngine
from streamguard.findings import Finding, ScanResult
from streamguard.inputs.discover import Source, discover, files_scanned
from streamguard.inputs.errors import InputError
from streamguard.parallel import Pool
from streamguard.progress import Progress


def display_path(path: str) -> str:
    """Paths in findings: relative to the working directory when below it, as CI annotations expect."""
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return path
    return path if rel.startswith("..") else rel


def findings_of(source: Source, raw: dict, engine: str) -> list[Finding]:
    """One finding per address Checkov gives the resource (its instances, each call of its module)."""
    address = str(raw.get("resource", ""))
    return [_finding(source, raw, engine, address, reported) for reported in source.addresses_of(address)]


def _finding(source: Source, raw: dict, engine: str, address: str, reported: str) -> Finding:
    loc = source.locations.get(address) or {}
    return Finding(
        file=display_path(loc.get("file") or source.path),
        line=int(loc.get("line") or 0),
        rule_id=str(raw.get("id", "")),
        resource=reported,
        severity=str(raw.get("severity", "")),
        message=str(raw.get("msg", "")),
        engine=engine,
        suppression=str(raw["suppression"]) if "suppression" in raw else None,
    )


def with_locations(source: Source) -> dict:
    """The input as the policies read it, with where each resource was found (for _loc) and the
    in-source suppression comments that apply to them."""
    return {**source.document, "streamguard": {
        "file": display_path(source.path),
        "locations": source.locations,
        "suppressions": source.suppressions,
    }}


_worker_engine: RegoEngine | None = None
_worker_pack: Pack | None = None


def _evaluate_in_worker(document_json: str) -> list[dict] | str:
    """Evaluate one input with this process's engine (compiled once per process); an evaluation
    failure comes back as its message, so the scan reports that input and goes on."""
    global _worker_engine
    if _worker_engine is None:
        _worker_engine = RegoEngine(pack=_worker_pack)
    try:
        return _worker_engine.evaluate_json(document_json)
    except EngineError as exc:
        return str(exc)


def _use(pack: Pack | None) -> None:
    """Evaluate the rule pack's policies (`--policy`) with the built-in ones, or the built-in ones
    alone. A pack is compiled here, before any input is read: one that does not compile, or fails on
    an empty input, raises EngineError naming its file (exit 3)."""
    global _worker_engine, _worker_pack
    if pack is _worker_pack:
        return
    engine = None
    if pack is not None:
        engine = RegoEngine(pack=pack)
        engine.evaluate({})
    _worker_engine, _worker_pack = engine, pack


def scan_rego(paths: list[str], pack: Pack | None = None) -> ScanResult:
    """Scan with the embedded engine, with a rule pack's policies when given: one evaluation per input
    (the policies are linear in the size of a document), spread over the cores."""
    _use(pack)
    progress = Progress()
    with Pool() as pool:
        sources, errors = discover(paths, pool)
        result = ScanResult(errors=errors, files_scanned=files_scanned(sources))
        documents = [json.dumps(with_locations(source)) for source in sources]
        outputs = pool.map(_evaluate_in_worker, documents,
                           on_progress=lambda done, total: progress.update(done, total, "evaluating inputs"))
    progress.close()
    for source, raws in zip(sources, outputs, strict=True):
        if isinstance(raws, str):
            result.errors.append(InputError(display_path(source.path), f"policy {raws}"))
            continue
        for raw in raws:
            for finding in findings_of(source, raw, "rego"):
                result.add(finding)
    result.sort()
    return result


def scan_opa(paths: list[str], pack: Pack | None = None) -> ScanResult:
    """Scan with `opa eval` from PATH: whole inputs, one process per input."""
    from streamguard.engines import opa

    sources, errors = discover(paths)
    result = ScanResult(errors=errors, files_scanned=files_scanned(sources))
    for source in sources:
        for raw in opa.evaluate(with_locations(source), pack):
            for finding in findings_of(source, raw, "opa"):
                result.add(finding)
    result.sort()
    return result


def opa_available() -> bool:
    return shutil.which("opa") is not None
