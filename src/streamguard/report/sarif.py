"""SARIF 2.1.0 for code-scanning uploads: one reportingDescriptor per catalog rule, results with
file/line regions relative to the scan root, suppressed findings under `suppressions`.

The document is built as plain data and validated against the OASIS schema by the tests.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from urllib.parse import quote

from streamguard import __version__, metadata
from streamguard.findings import ScanResult

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVELS = {"HIGH": "error", "MEDIUM": "warning", "LOW": "note"}
# GitHub code scanning reads properties.security-severity (CVSS-like 0-10) for its severity.
_SECURITY_SEVERITY = {"HIGH": "8.0", "MEDIUM": "5.5", "LOW": "3.0"}


def _descriptor(rule_id: str, rule: dict) -> dict:
    """One rule's reportingDescriptor; a rule pack's rule without related_resources has no helpUri."""
    fixes = "\n".join(f"- {fmt}: {text}" for fmt, text in sorted(rule["remediation"].items()))
    descriptor = {
        "id": rule_id,
        "name": "".join(word.title() for word in rule["title"].replace("-", " ").split() if word.isalnum()),
        "shortDescription": {"text": rule["title"]},
        "fullDescription": {"text": rule["description"] or rule["message"]},
        "help": {
            "text": f"{rule['message']}.\n\nHow to fix:\n{fixes}",
            "markdown": f"**{rule['message']}.**\n\n{rule['description']}\n\nHow to fix:\n\n{fixes}",
        },
        "helpUri": rule["help_uri"],
        "defaultConfiguration": {"level": _LEVELS[rule["severity"]]},
        "properties": {
            "security-severity": _SECURITY_SEVERITY[rule["severity"]],
            "tags": ["security", rule["family"], "aws", "streaming"],
            "precision": "high",
        },
    }
    if not rule["help_uri"]:
        del descriptor["helpUri"]
    return descriptor


def _uri(path: str) -> str:
    """The path as a relative URI reference: a space, `%`, `#`, `?`, `[` or a non-ASCII character
    is percent-encoded (as UTF-8; a file name that is not UTF-8 keeps its own bytes)."""
    return quote(Path(path).as_posix(), safe="/", errors="surrogateescape")


def _fingerprint(rule_id: str, file: str, resource: str) -> str:
    key = f"{rule_id}|{Path(file).as_posix()}|{resource}"
    return hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()


def render(result: ScanResult) -> str:
    rules = metadata.all_rules()
    ids = sorted(rules)
    index = {rule_id: i for i, rule_id in enumerate(ids)}
    results = []
    for f in result.findings + result.suppressed:
        entry = {
            "ruleId": f.rule_id,
            "ruleIndex": index[f.rule_id],
            "level": _LEVELS.get(f.severity, "warning"),
            "message": {"text": f.message},
            "locations": [{
                "physicalLocation": {
                    "artifactLocation": {"uri": _uri(f.file), "uriBaseId": "%SRCROOT%"},
                    "region": {"startLine": max(f.line, 1)},
                },
                "logicalLocations": [{"name": f.resource, "kind": "resource"}],
            }],
            "partialFingerprints": {"streamguard/v1": _fingerprint(f.rule_id, f.file, f.resource)},
        }
        if f.suppression is not None:
            entry["suppressions"] = [{"kind": "inSource", "justification": f.suppression}]
        results.append(entry)
    log = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "streamguard",
                "version": __version__,
                "informationUri": next(iter(metadata.builtin_rules().values()))["help_uri"].rsplit("/docs/", 1)[0],
                "rules": [_descriptor(rule_id, rules[rule_id]) for rule_id in ids],
            }},
            "originalUriBaseIds": {"%SRCROOT%": {"uri": Path.cwd().as_uri() + "/"}},
            "results": results,
            "invocations": [{
                "executionSuccessful": not result.errors,
                "toolExecutionNotifications": [
                    {"level": "error", "message": {"text": e.reason},
                     "locations": [{"physicalLocation": {"artifactLocation": {"uri": _uri(e.path)}}}]}
                    for e in result.errors
                ],
            }],
        }],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"
