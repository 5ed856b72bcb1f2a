"""Checkov with streamguard's checks, as an engine: one `checkov` run over the paths, JSON parsed back.

Every run passes --skip-download (no network at scan time) and selects streamguard's checks only.
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
from streamguard.paths import CHECKS_DIR

FRAMEWORKS = ("terraform", "terraform_plan", "cloudformation")
# The module calls an address starts with (`module.a.module.b["k"].`), and the rest.
_MODULE_CALLS = re.compile(r"^((?:module\.[^.\[]+(?:\[[^\]]*\])?\.)*)(.*)$", re.S)
TIMEOUT_S = int(os.environ.get("STREAMGUARD_CHECKOV_TIMEOUT", "1800"))


def checkov_executable() -> str:
    """The checkov installed beside this Python (streamguard's venv), else the one on PATH."""
    beside = Path(sys.executable).parent / "checkov"
    if beside.is_file():
        return str(beside)
    found = shutil.which("checkov")
    if found is None:
        raise EngineError("checkov is not installed")
    return found


def command(paths: list[str], output: str = "json", extra: tuple[str, ...] = ()) -> list[str]:
    cmd = [checkov_executable()]
    for path in paths:
        cmd += ["-d", path] if os.path.isdir(path) else ["-f", path]
    cmd += ["--framework", *FRAMEWORKS, "--external-checks-dir", str(CHECKS_DIR),
            "--check", ",".join(sorted(metadata.all_rules())), "--skip-download", "-o", output, *extra]
    return cmd


@dataclass
class CheckovRun:
    failed: list[dict] = field(default_factory=list)
    passed: list[dict] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)
    parse_errors: list[str] = field(default_factory=list)
    stderr: str = ""


def run(paths: list[str], extra: tuple[str, ...] = (), cwd: str | None = None) -> CheckovRun:
    """One Checkov run with streamguard's checks: failed and passed records, unparseable files."""
    try:
        proc = subprocess.run(command(paths, "json", extra), capture_output=True, text=True, check=False, cwd=cwd,
                              env={**os.environ, "LOG_LEVEL": os.environ.get("LOG_LEVEL", "WARNING")},
                              timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        raise EngineError(f"checkov did not finish within {TIMEOUT_S} s (its parallel runner can hang after "
                          "its own parser fails on an input)") from None
    try:
        output = json.loads(proc.stdout)
    except ValueError:
        message = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        raise EngineError(f"checkov failed (exit {proc.returncode}): {message}") from None
    reports = output if isinstance(output, list) else [output]
    result = CheckovRun(stderr=proc.stderr)
    for report in reports:
        if not isinstance(report, dict):
            continue
        result.failed += (report.get("results") or {}).get("failed_checks") or []
        result.passed += (report.get("results") or {}).get("passed_checks") or []
        result.skipped += (report.get("results") or {}).get("skipped_checks") or []
        result.parse_errors += (report.get("summary") or {}).get("parsing_errors_files") or []
    return result


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
