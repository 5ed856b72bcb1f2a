"""streamguard.checkov.install(): the range it accepts is the one pyproject.toml declares, and a
Checkov it does not know stops the scan (one line, exit 3) instead of running checks that check less."""

from __future__ import annotations

import re
import subprocess
import sys

import checkov.version
import hcl2
import pytest

from streamguard.checkov import SUPPORTED, problem
from streamguard.paths import CHECKS_DIR, ROOT


def test_the_supported_range_is_the_declared_one_and_make_test_runs_its_newest():
    declared = re.search(r'"checkov>=([0-9.]+),<=([0-9.]+)"', (ROOT / "pyproject.toml").read_text()).groups()
    assert declared == SUPPORTED
    assert f"checkov=={SUPPORTED[1]}\n" in (ROOT / "constraints.txt").read_text()


def test_this_checkov_is_known():
    assert problem() is None


@pytest.mark.parametrize("version", ["3.3.31", "3.2.533", "not-a-version"])
def test_a_checkov_outside_the_range_is_refused(version, monkeypatch):
    monkeypatch.setattr(checkov.version, "version", version)
    assert problem() == f"Checkov {version} is not supported (streamguard's checks need Checkov >=3.3.0,<=3.3.30)"


def test_a_checkov_without_what_install_patches_is_refused(monkeypatch):
    monkeypatch.delattr(hcl2, "load")
    assert problem() == f"Checkov {checkov.version.version} has no hcl2.load, which streamguard's checks extend"


def test_install_stops_checkov_itself_on_an_unknown_checkov(tmp_path):
    """Checkov only logs a check that fails to import (and exits 2 on SystemExit): install() must end
    the whole run, with one line and exit status 3."""
    (tmp_path / "main.tf").write_text('resource "aws_kinesis_stream" "s" {\n  name = "s"\n}\n')
    run = ("import sys, checkov.version; checkov.version.version = '4.0.0'; "
           "from checkov.main import Checkov; sys.exit(Checkov(sys.argv[1:]).run())")
    proc = subprocess.run([sys.executable, "-c", run, "-d", str(tmp_path), "--external-checks-dir", str(CHECKS_DIR),
                           "--skip-download", "--framework", "terraform", "-o", "json"],
                          capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 3, proc.stderr[-2000:]
    assert proc.stderr.strip().splitlines() == [
        "streamguard: Checkov 4.0.0 is not supported (streamguard's checks need Checkov >=3.3.0,<=3.3.30)"]
