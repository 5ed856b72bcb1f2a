"""`streamguard test-rules DIR`: prove a rule pack the way streamguard proves its own rules.

The pack's fixtures (DIR/fixtures, annotated `# ruleid:` / `# ok:` / `# suppressed:` inline, or in
a `<file>.expect` sidecar for JSON) are scanned by the embedded engine, by real OPA and by Checkov
with the pack's checks (DIR/checks). Each must report exactly the annotated verdicts, and OPA's and
Checkov's messages must be the embedded engine's. Real OPA is the Go library of
opa-golib-python-bindings when it is installed, else `opa` on PATH; without either the command
fails (exit 3): a pack is proven against the OPA its users run, or not at all.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from streamguard import metadata, scan
from streamguard.custom import opa_reference, pack
from streamguard.engines import checkov
from streamguard.engines.rego import EngineError
from streamguard.findings import ScanResult
from streamguard.fixture_annotations import expectations, fixture_files
from streamguard.inputs.discover import discover
from streamguard.inputs.errors import InputError

Key = tuple[str, str, str]  # (file, rule, address)


@dataclass
class Verdicts:
    failed: dict[Key, str] = field(default_factory=dict)  # -> message ("" when the engine gives none)
    suppressed: set[Key] = field(default_factory=set)
    passed: set[Key] = field(default_factory=set)
    errors: list[str] = field(default_factory=list)


def _expected(fixtures: Path, ids: set[str]) -> Verdicts:
    out = Verdicts()
    for file in fixture_files(fixtures):
        name = scan.display_path(str(file))
        found = expectations(file)
        for rule, addresses in found.failing.items():
            out.failed.update({(name, rule, a): "" for a in addresses if rule in ids})
        out.suppressed |= {(name, rule, a) for rule, addresses in found.suppressed.items() for a in addresses
                           if rule in ids}
        out.passed |= {(name, rule, a) for rule, addresses in found.passing.items() for a in addresses if rule in ids}
    return out


def _from_result(result: ScanResult, ids: set[str]) -> Verdicts:
    out = Verdicts(errors=[str(e) for e in result.errors])
    for f in result.findings:
        if f.rule_id in ids:
            out.failed[(f.file, f.rule_id, f.resource)] = f.message
    out.suppressed = {(f.file, f.rule_id, f.resource) for f in result.suppressed if f.rule_id in ids}
    return out


def _rego(root: Path, loaded: pack.Pack) -> Verdicts:
    return _from_result(scan.scan_rego([str(root / "fixtures")], loaded), set(loaded.rules))


def _opa(root: Path, loaded: pack.Pack) -> Verdicts:
    fixtures = str(root / "fixtures")
    if not opa_reference.available():
        if shutil.which("opa") is None:
            raise EngineError("test-rules needs real OPA: pip install opa-golib-python-bindings "
                              "(see docs/custom-rules.md), or put `opa` on PATH")
        print("  (opa-golib-python-bindings is not installed: using `opa` from PATH)")
        return _from_result(scan.scan_opa([fixtures], loaded), set(loaded.rules))
    sources, errors = discover([fixtures])
    documents = {str(i): scan.with_locations(s) for i, s in enumerate(sources)}
    with tempfile.TemporaryDirectory(prefix="streamguard-test-rules-") as tmp:
        request = Path(tmp) / "request.json"
        request.write_text(json.dumps({"policies": [str(root / "policies")], "documents": documents}),
                           encoding="utf-8")
        proc = subprocess.run([sys.executable, "-m", "streamguard.custom.opa_reference", str(request)],
                              capture_output=True, text=True, check=False, timeout=600)
    if proc.returncode != 0:
        raise EngineError(f"real OPA failed: {(proc.stderr.strip().splitlines() or ['no output'])[-1]}")
    answers = json.loads(proc.stdout)
    result = ScanResult(errors=errors)
    for i, source in enumerate(sources):
        raws = answers[str(i)]
        if isinstance(raws, dict):
            result.errors.append(InputError(scan.display_path(source.path), f"real OPA: {raws['error']}"))
            continue
        for raw in raws:
            for finding in scan.findings_of(source, raw, "opa"):
                result.add(finding)
    return _from_result(result, set(loaded.rules))


def _checkov(root: Path, loaded: pack.Pack) -> Verdicts:
    ids = set(loaded.rules)
    run = checkov.run([str((root / "fixtures").resolve())], checks_dir=str((root / "checks").resolve()),
                      rule_ids=sorted(ids))
    out = Verdicts(errors=[f"Checkov could not parse {p}" for p in run.parse_errors])
    for records, kind in ((run.failed, "failed"), (run.passed, "passed"), (run.skipped, "suppressed")):
        for record in records:
            key = (scan.display_path(record["file_abs_path"]), record["check_id"], checkov.address(record))
            if kind == "failed":
                out.failed[key] = (record.get("details") or [""])[0]
            else:
                getattr(out, kind).add(key)
    ran = {key[1] for key in [*out.failed, *out.passed, *out.suppressed]}
    out.errors += [f"Checkov ran no check of {rule_id}: is there a checks/__init__.py, and does the check import? "
                   f"(`checkov --external-checks-dir {root / 'checks'}` logs why)" for rule_id in sorted(ids - ran)]
    return out


def _problems(name: str, expected: Verdicts, got: Verdicts, reference: Verdicts | None) -> list[str]:
    problems = list(got.errors)
    for key in sorted(set(expected.failed) - set(got.failed)):
        problems.append(f"{key[1]} {key[2]} ({key[0]}): annotated to fail, {name} does not report it")
    for key in sorted(set(got.failed) - set(expected.failed)):
        problems.append(f"{key[1]} {key[2]} ({key[0]}): {name} reports it, the fixture does not say `ruleid`")
    for key in sorted(expected.suppressed ^ got.suppressed):
        annotated = "suppressed" if key in expected.suppressed else "not suppressed"
        problems.append(f"{key[1]} {key[2]} ({key[0]}): annotated {annotated}, {name} says otherwise")
    if reference is not None:
        for key, message in sorted(got.failed.items()):
            if message and key in reference.failed and message != reference.failed[key]:
                problems.append(f"{key[1]} {key[2]} ({key[0]}): {name}'s message differs from the embedded engine's:"
                                f"\n      {name}: {message}\n      rego: {reference.failed[key]}")
    return problems


def main(directory: str) -> int:
    """0 when every engine reports exactly the annotated verdicts (and the same messages), 1 when not."""
    root = Path(directory)
    for part in ("policies", "fixtures"):
        if not (root / part).is_dir():
            raise pack.PackError(f"{root / part}: a rule pack has policies/, checks/ and fixtures/ "
                                 "(`streamguard new-rule ID --dir DIR` writes them)")
    loaded = pack.load([str(root / "policies")])
    metadata.add_rules(loaded.rules)
    ids = set(loaded.rules)
    expected = _expected(root / "fixtures", ids)
    print(f"streamguard test-rules {directory}: {len(ids)} rules ({', '.join(sorted(ids))}), "
          f"{len(fixture_files(root / 'fixtures'))} fixture files, "
          f"{len(expected.failed) + len(expected.suppressed) + len(expected.passed)} annotated verdicts")
    untested = sorted(ids - {key[1] for key in [*expected.failed, *expected.suppressed, *expected.passed]})
    failed = bool(untested)
    for rule_id in untested:
        print(f"  {rule_id} has no annotated fixture")
    reference = None
    for label, name, engine in (("embedded engine (regorus)", "rego", _rego), ("real OPA", "opa", _opa),
                                ("Checkov", "checkov", _checkov)):
        start = time.monotonic()
        got = engine(root, loaded)
        problems = _problems(name, expected, got, reference)
        reference = reference or got
        verdict = "FAILED" if problems else "agrees"
        print(f"  {label:<27} {verdict:<7} {time.monotonic() - start:5.1f} s")
        for problem in problems:
            print(f"    {problem}")
        failed = failed or bool(problems)
    print("FAILED" if failed else "passed: the embedded engine, real OPA and Checkov agree with every fixture")
    return 1 if failed else 0

