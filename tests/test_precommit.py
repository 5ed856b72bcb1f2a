"""The published pre-commit hooks, run by pre-commit itself against a small repository.

The test is offline: pre-commit would build a `language: python` environment by downloading
streamguard's dependencies, so the hooks run as `repo: local` hooks with exactly the published
definitions (id, entry, args, files, pass_filenames) and `language: system`, the entry resolved
to this environment's streamguard.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from streamguard.paths import ROOT

BIN = Path(sys.executable).parent
HOOKS = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
INSECURE = 'resource "aws_kinesis_stream" "raw" {\n  name = "raw"\n}\n'
SECURE = ('resource "aws_kinesis_stream" "raw" {\n  name = "raw"\n  encryption_type = "KMS"\n'
          '  kms_key_id = "alias/aws/kinesis"\n}\n')


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True,
                   env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
                        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"})


def _repo(tmp_path: Path, terraform: str) -> Path:
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q")
    local_hooks = []
    for hook in HOOKS:
        local = {**hook, "language": "system", "entry": str(BIN / hook["entry"]), "verbose": True}
        local_hooks.append(local)
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump({"repos": [{"repo": "local", "hooks": local_hooks}]}))
    (repo / "main.tf").write_text(terraform)
    _git(repo, "add", ".")
    return repo


def _run(repo: Path, hook_id: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "pre-commit"), "run", hook_id, "--all-files"], cwd=repo,
                          capture_output=True, text=True, check=False,
                          env={**os.environ, "PRE_COMMIT_HOME": str(repo.parent / "pre-commit-home")})


@pytest.mark.skipif(shutil.which("git") is None, reason="git is needed by pre-commit")
@pytest.mark.parametrize("hook_id", [h["id"] for h in HOOKS])
def test_published_hook_fails_on_findings_and_passes_when_fixed(tmp_path, hook_id):
    repo = _repo(tmp_path, INSECURE)
    failing = _run(repo, hook_id)
    assert failing.returncode == 1, failing.stdout + failing.stderr
    assert "SG_101" in failing.stdout and "aws_kinesis_stream.raw" in failing.stdout
    (repo / "main.tf").write_text(SECURE)
    _git(repo, "add", ".")
    passing = _run(repo, hook_id)
    assert passing.returncode == 0, passing.stdout + passing.stderr
    assert "Traceback" not in failing.stdout + passing.stdout
