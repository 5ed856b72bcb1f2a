"""Checkov with streamguard's checks, as an engine: one `checkov` run over the paths, JSON parsed back.

Every run passes --skip-download (no network at scan time) and selects streamguard's checks only.
streamguard's own loaders read every input first: a file they reject never reaches Checkov (a
deeply nested one crashes its whole run, a pipe hangs it), and every file Checkov cannot read is
an input error, as in the Rego engine.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from streamguard import metadata
from streamguard.engines.rego import EngineError
from streamguard.findings import Finding, ScanResult
from streamguard.inputs.discover import SKIP_DIRS, discover, distinct_paths, files_scanned
from streamguard.inputs.errors import InputError
from streamguard.paths import CHECKS_DIR

FRAMEWORKS = ("terraform", "terraform_plan", "cloudformation")
# The module calls an address starts with (`module.a.module.b["k"].`), and the rest.
_MODULE_CALLS = re.compile(r"^((?:module\.[^.\[]+(?:\[[^\]]*\])?\.)*)(.*)$", re.S)
TIMEOUT_S = int(os.environ.get("STREAMGUARD_CHECKOV_TIMEOUT", "1800"))
_SPACE = re.compile(r"\s*")


def checkov_executable() -> str:
    """The checkov installed beside this Python (streamguard's venv), else the one on PATH."""
    beside = Path(sys.executable).parent / "checkov"
    if beside.is_file():
        return str(beside)
    found = shutil.which("checkov")
    if found is None:
        raise EngineError("checkov is not installed")
    return found


def command(paths: list[str], output: str = "json", extra: tuple[str, ...] = (),
            checks_dir: str = str(CHECKS_DIR), rule_ids: list[str] | None = None) -> list[str]:
    """The checkov command line: streamguard's checks, or a rule pack's (checks_dir, rule_ids)."""
    cmd = [checkov_executable()]
    for path in paths:
        cmd += ["-d", path] if os.path.isdir(path) else ["-f", path]
    ids = rule_ids if rule_ids is not None else sorted(metadata.builtin_rules())
    cmd += ["--framework", *FRAMEWORKS, "--external-checks-dir", checks_dir,
            "--check", ",".join(ids), "--skip-download", "-o", output, *extra]
    return cmd


@dataclass
class CheckovRun:
    failed: list[dict] = field(default_factory=list)
    passed: list[dict] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)
    parse_errors: list[str] = field(default_factory=list)
    stderr: str = ""


def run(paths: list[str], extra: tuple[str, ...] = (), cwd: str | None = None,
        checks_dir: str = str(CHECKS_DIR), rule_ids: list[str] | None = None) -> CheckovRun:
    """One Checkov run with streamguard's checks (or a pack's): failed and passed records, unparseable files."""
    try:
        proc = subprocess.run(command(paths, "json", extra, checks_dir, rule_ids), capture_output=True, text=True,
                              check=False, cwd=cwd,
                              env={**os.environ, "LOG_LEVEL": os.environ.get("LOG_LEVEL", "WARNING")},
                              timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        raise EngineError(f"checkov did not finish within {TIMEOUT_S} s (its parallel runner can hang after "
                          "its own parser fails on an input)") from None
    try:
        documents = _json_documents(proc.stdout)
    except ValueError:
        documents = []
    if not documents:
        message = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        raise EngineError(f"checkov failed (exit {proc.returncode}): {message}")
    reports = [report for output in documents for report in (output if isinstance(output, list) else [output])]
    result = CheckovRun(stderr=proc.stderr)
    for report in reports:
        if not isinstance(report, dict):
            continue
        result.failed += (report.get("results") or {}).get("failed_checks") or []
        result.passed += (report.get("results") or {}).get("passed_checks") or []
        result.skipped += (report.get("results") or {}).get("skipped_checks") or []
        result.parse_errors += (report.get("results") or {}).get("parsing_errors") or []
    return result


def _json_documents(text: str) -> list:
    """Checkov prints one JSON document per directory it is given, one after the other."""
    decoder = json.JSONDecoder()
    documents = []
    position = _SPACE.match(text).end()
    while position < len(text):
        document, position = decoder.raw_decode(text, position)
        documents.append(document)
        position = _SPACE.match(text, position).end()
    return documents


def address(record: dict) -> str:
    """The resource address as RULES.md names it: Checkov prints data sources without `data.` (it
    goes after their module calls, `module.a.data.type.name`) and module calls without `module.`."""
    resource = record.get("resource", "")
    check_class = str(record.get("check_class", ""))
    if check_class.endswith("_terraform_data"):
        calls, name = _MODULE_CALLS.match(resource).groups()
        return resource if name.startswith("data.") else f"{calls}data.{name}"
    if check_class.endswith("_terraform_module") and not resource.startswith("module."):
        return f"module.{resource}"
    return resource


def scan(paths: list[str]) -> ScanResult:
    """Scan with Checkov: what streamguard's loaders reject is an input error and is kept from
    Checkov, which reads the rest at absolute paths (its --skip-path patterns match the paths it
    walks, which start with the root as given); each file Checkov could not parse is an error."""
    from streamguard.scan import display_path

    paths = distinct_paths(paths)
    sources, errors = discover(paths)
    errors += [InputError(s.path, "Checkov reads no resource of a JSON template that starts with a UTF-8 byte "
                                  "order mark (remove the mark)") for s in sources if _bom_template(s)]
    rejected = {os.path.abspath(e.path) for e in errors}
    roots = [root for root in map(os.path.abspath, paths) if os.path.isdir(root) or root not in rejected]
    modules = {os.path.abspath(e.module) for e in errors if e.module} | {p for p in rejected if os.path.isdir(p)}
    skipped: set[str] = rejected - modules
    for module in modules:  # an error about a module covers its .tf files, not the folders below
        skipped.update(map(str, Path(module).glob("*.tf")))
    patterns = [*map(_exactly, sorted(skipped)), *(f"/{name}$" for name in sorted(SKIP_DIRS))]
    extra = tuple(arg for pattern in patterns for arg in ("--skip-path", pattern))
    checkov_run = run(roots, extra=extra) if roots else CheckovRun()
    result = ScanResult(errors=errors, files_scanned=files_scanned(sources))
    for record in checkov_run.failed + checkov_run.skipped:
        check_result = record.get("check_result") or {}
        skipped = check_result.get("result") == "SKIPPED"
        result.add(Finding(
            file=display_path(record["file_abs_path"]), line=int((record.get("file_line_range") or [0])[0] or 0),
            rule_id=record["check_id"], resource=address(record),
            severity=metadata.rule(record["check_id"])["severity"], message=_message(record), engine="checkov",
            suppression=check_result.get("suppress_comment") if skipped else None))
    result.errors += [InputError(display_path(path), "Checkov could not parse this file")
                      for path in sorted(set(checkov_run.parse_errors)) if os.path.abspath(path) not in rejected]
    result.sort()
    return result


def _exactly(path: str) -> str:
    """A --skip-path pattern for this one path. Checkov 3.3's module finder also compiles
    `'|'.join(f"({patterns})")`, every character of the list's text an alternative, which fails on
    a quantifier (`[^/]*`) or, escaped or not, a `](` in a name and ends the whole run: so no
    character but a letter, digit, `/`, `_` or `-` is written as itself, each other one is `.` (a
    file whose name differs only there is skipped too)."""
    return "^" + re.sub(r"[^A-Za-z0-9/_-]", ".", path) + "$"


def _bom_template(source) -> bool:
    """A JSON template starting with a UTF-8 byte order mark: Checkov 3.3 parses it, then finds no
    resource in it (its line mapping takes the file for YAML) and says nothing."""
    if source.kind != "cloudformation" or not source.path.endswith(".json"):
        return False
    with open(source.path, "rb") as fh:
        return fh.read(3) == b"\xef\xbb\xbf"


def _message(record: dict) -> str:
    """Checkov's details carry the finding message; its CloudFormation records have none, so fall
    back to the catalog's statement and fix."""
    if record.get("details"):
        return record["details"][0]
    meta = metadata.rule(record["check_id"])
    fmt = "cloudformation" if str(record.get("check_class", "")).endswith("_cloudformation") else "terraform"
    return f"{meta['message']}. {meta['remediation'].get(fmt) or meta['remediation']['terraform']}"
