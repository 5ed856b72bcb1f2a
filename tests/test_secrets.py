"""No secret of the credential fixtures reaches any output (RULES.md: never print a secret).

Findings mask a secret to its last 4 characters; Checkov also prints the code of what it checked,
which streamguard.checkov.masking masks. These tests scan the SG_3xx fixtures with the streamguard
CLI in every --format it offers (read from its parser, so a new format is covered when it is
added), with the embedded Rego engine and the Checkov engine, and with Checkov itself and
streamguard's checks in its cli, --compact, json, sarif and junitxml outputs, and grep stdout,
stderr and every file written for the fixtures' secrets. They also hold the two credential
detectors (streamguard.logic.credentials and policies/streamguard/lib/credentials/credentials.rego)
to the same answers on texts that tripped rego-cpp's string handling.
"""

from __future__ import annotations

import argparse
import base64
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from streamguard import cli
from streamguard.engines import checkov
from streamguard.engines.rego import EngineError, RegoEngine
from streamguard.logic import credentials
from streamguard.paths import ROOT

FIXTURES = sorted((ROOT / "fixtures").glob("SG_30[1-6]"))
STREAMGUARD = str(Path(sys.executable).parent / "streamguard")

# Every secret the SG_3xx fixtures hold (a base64 value that decodes to credentials counts).
SECRETS = (
    "AKIAIOSFODNN7EXAMPLE",
    "ASIAIOSFODNN7EXAMPLE",
    "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    "FwoGZXIvYXdzEXAMPLESESSIONTOKEN0123456789",
    "9f3c2a7e5b1d4c8a0e6f2b7d9c1a3e5f",
    "Str3am!ngPassw0rdExample",
    "Str3am!ngPassphraseExample",
    "0f8e2d4c-6b1a-4e3f-9d7c-5a2b8e1f4c6d",
    "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQCexampleKey",
    "W2RlZmF1bHRdCmF3c19hY2Nlc3Nfa2V5X2lkID0gQUtJQUlPU0ZPRE5ON0VYQU1QTEUKYXdzX3NlY3JldF9hY2Nlc3Nfa2V5ID0g"
    "d0phbHJYVXRuRkVNSS9LN01ERU5HL2JQeFJmaUNZRVhBTVBMRUtFWQo=",
    "ewogICJ1c2VyIjogImZpcmVob3NlIiwKICAicGFzc3dvcmQiOiAiU3RyM2FtIW5nUGFzc3cwcmRFeGFtcGxlIgp9Cg==",
)


def _forms(secret: str) -> set[str]:
    """A secret as an output may write it: raw, JSON-escaped, with `/` escaped, XML-escaped."""
    return {secret, json.dumps(secret)[1:-1], secret.replace("/", "\\/"), secret.replace("&", "&amp;")}


def _leaks(text: str) -> list[str]:
    return sorted(secret for secret in SECRETS if any(form in text for form in _forms(secret)))


def _outputs(proc: subprocess.CompletedProcess, cwd: Path) -> dict[str, str]:
    """stdout, stderr and every file the command wrote into its working directory."""
    found = {"stdout": proc.stdout, "stderr": proc.stderr}
    for path in sorted(p for p in cwd.rglob("*") if p.is_file()):
        found[str(path.relative_to(cwd))] = path.read_text(encoding="utf-8", errors="replace")
    return found


def _formats() -> list[str]:
    scan = next(a for a in cli.parser()._actions if isinstance(a, argparse._SubParsersAction)).choices["scan"]
    return list(next(a for a in scan._actions if "--format" in a.option_strings).choices)


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> Path:
    """A copy of the credential fixtures, so a scan of one directory covers exactly them."""
    root = tmp_path_factory.mktemp("credentials")
    for folder in FIXTURES:
        shutil.copytree(folder, root / folder.name)
    return root


def test_every_secret_is_in_the_fixtures():
    text = "".join(p.read_text(encoding="utf-8") for folder in FIXTURES for p in folder.rglob("*") if p.is_file())
    assert [s for s in SECRETS if s not in text] == []


@pytest.mark.parametrize("engine", ["rego", "checkov"])
@pytest.mark.parametrize("fmt", _formats())
def test_streamguard_prints_no_secret(inputs, tmp_path, engine, fmt):
    report = tmp_path / f"report.{fmt}"
    for extra in ([], ["--output", str(report)]):
        proc = subprocess.run([STREAMGUARD, "scan", str(inputs), "--engine", engine, "--format", fmt, *extra],
                              capture_output=True, text=True, cwd=tmp_path, check=False)
        assert proc.returncode == 1, proc.stderr
        outputs = _outputs(proc, tmp_path)
        assert "****MPLE" in "".join(outputs.values()), "the scan reported no masked access key ID"
        assert {name: _leaks(text) for name, text in outputs.items() if _leaks(text)} == {}


@pytest.mark.parametrize("options", [
    ("-o", "cli", "-o", "json", "-o", "sarif", "-o", "junitxml", "--output-file-path", "reports"),
    ("-o", "cli", "--compact"),
], ids=["cli-json-sarif-junitxml", "compact"])
def test_checkov_with_streamguard_checks_prints_no_secret(inputs, tmp_path, options):
    command = checkov.command([str(inputs)], output=options[1], extra=options[2:])
    proc = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path, check=False)
    assert proc.returncode == 1, proc.stderr
    outputs = _outputs(proc, tmp_path)
    assert "FAILED for resource: variable.legacy_access_key_id" in proc.stdout  # the section checks ran
    assert {name: _leaks(text) for name, text in outputs.items() if _leaks(text)} == {}


# ---- the two detectors agree ------------------------------------------------------------------

_KEY_ID = "AKIAIOSFODNN7EXAMPLE"
_SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
TEXTS = [
    f"[default]\naws_access_key_id = {_KEY_ID}\naws_secret_access_key = {_SECRET_KEY}\n",
    f"{_KEY_ID}\n{_SECRET_KEY}\n",
    f"{_KEY_ID}\t{_SECRET_KEY}",
    f"key_id: {_KEY_ID}\r\nsecret: {_SECRET_KEY}\r\n",
    '{\n  "user": "firehose",\n  "password": "Str3am!ngPassw0rdExample"\n}\n',
    f"export AWS_SECRET_ACCESS_KEY={_SECRET_KEY}\n",
    "password_policy = strict\ntoken_url = https://auth.example.com/token\naws_secret_access_key =\n",
    "db.password: {{resolve:secretsmanager:db:SecretString:password}}\n",
    "ASIAIOSFODNN7EXAMPLE in a sentence, and no secret key",
    # placeholders (RULES.md): none is a secret; a real secret beside them still is
    "aws_secret_access_key=<paste-from-secrets-manager>\ntoken = $TOKEN\npassword: changeme\n"
    "api_key = ********\nsigning_key = %SIGNING_KEY%\nsecret = ${SECRET}\nclient_secret: Example\n",
    f"session_token = TODO\nsecret: x\nx\npassword = {{{{ vault }}}}s3cr3t-value\nkey_id = {_KEY_ID}\n",
]

_PROBE = """package streamguard.rules.credentials_probe

import rego.v1

import data.streamguard.lib.credentials

deny contains {"text": pairs} if pairs := credentials.text_credentials(input.text)

deny contains {"decoded": pairs} if pairs := credentials.text_credentials(credentials.base64_text(input.encoded))
"""


@pytest.fixture(scope="module")
def probe() -> RegoEngine:
    return RegoEngine(extra_modules={"credentials_probe.rego": _PROBE})


@pytest.mark.parametrize("text", TEXTS, ids=range(len(TEXTS)))
def test_detectors_agree(probe, text):
    want = sorted(map(list, credentials.text_credentials(text)))
    found = probe.evaluate({"text": text, "encoded": base64.b64encode(text.encode()).decode()})
    by_source = {key: sorted(pairs) for result in found for key, pairs in result.items()}
    assert by_source == {"text": want, "decoded": want}


def test_an_evaluation_error_quotes_no_value(capfd):
    """rego-cpp prints a conflict's two values to stdout and into its error; neither may come out.
    (The loaders reject such documents first: this is the engine's own guard.)"""
    stream = {"address": "aws_kinesis_stream.s", "type": "aws_kinesis_stream", "name": "s"}
    document = {"format_version": "1.2", "planned_values": {"root_module": {"resources": [
        {**stream, "values": {"name": "a"}}, {**stream, "values": {"name": "b", "tags": {"key": SECRETS[2]}}}]}}}
    with pytest.raises(EngineError) as raised:
        RegoEngine().evaluate(document)
    captured = capfd.readouterr()
    assert _leaks(str(raised.value) + captured.out + captured.err) == []
