"""No network at scan time, and the same inputs give byte-identical reports."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from streamguard.paths import ROOT

SCAN = [sys.executable, "-m", "streamguard.cli", "scan"]
PATHS = ["fixtures/SG_101", "fixtures/SG_201", "fixtures/suppressions", "examples"]


def _run(args: list[str], prefix: list[str] | None = None, jobs: str = "2") -> subprocess.CompletedProcess:
    return subprocess.run([*(prefix or []), *SCAN, *args], capture_output=True, text=True, cwd=ROOT, check=False,
                          env={**os.environ, "STREAMGUARD_JOBS": jobs})


def _unshare_works() -> bool:
    if shutil.which("unshare") is None:
        return False
    return subprocess.run(["unshare", "-n", "true"], capture_output=True, check=False).returncode == 0


@pytest.mark.skipif(not _unshare_works(), reason="needs `unshare -n` (a new network namespace)")
@pytest.mark.parametrize("engine", ["rego", "checkov"])
def test_scan_without_any_network_gives_identical_findings(engine):
    """In a new network namespace nothing outside the process is reachable, not even loopback."""
    online = _run([*PATHS, "--format", "json", "--engine", engine])
    offline = _run([*PATHS, "--format", "json", "--engine", engine], prefix=["unshare", "-n", "--"])
    assert offline.returncode == online.returncode == 1, offline.stderr
    assert offline.stdout == online.stdout
    assert "Traceback" not in offline.stderr


@pytest.mark.parametrize("fmt", ["json", "sarif", "junit", "text"])
def test_reports_are_byte_identical_across_runs_orderings_and_worker_counts(fmt):
    first = _run([*PATHS, "--format", fmt], jobs="2")
    again = _run([*reversed(PATHS), "--format", fmt], jobs="1")
    assert first.returncode == again.returncode == 1
    assert first.stdout == again.stdout
