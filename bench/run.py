"""`make bench`: wall time, CPU time and peak memory of five ways to check one corpus, side by side.

All of them scan the same generated corpus in one directory (bench/corpus.py), in the same run, so
the ratios compare like with like on this machine:

- plain Checkov, the baseline of every ratio;
- Checkov with streamguard's checks (--external-checks-dir checks);
- Checkov with do-nothing checks of the same IDs and resource types (bench/floor_checks.py): what
  Checkov itself spends on each result of an added check, the floor under streamguard's overhead;
- `streamguard scan`;
- real OPA (the Go library, through opa_bindings) evaluating the policies once on the whole corpus
  as one plan JSON document (bench/opa_whole.py). The document is written before the rounds, so
  the command timed is a fresh Python process loading the policies and evaluating once.

Every Checkov run uses --skip-download (no network) and the Terraform framework only (the corpus
is HCL). Each command runs as a child process; besides its wall time, os.wait4 gives its CPU time
(user + system) and peak RSS, counting the child and every descendant it waited for (Checkov and
`streamguard scan` wait for their worker processes). Peak RSS is that of the largest single
process of the tree, not a sum.

A shared 2-core machine's speed drifts by 10 % and more between two runs of the same command, as
much as the overhead measured: other jobs take the cores, and wall time counts the waiting. CPU
time counts only the command's own work, so it drifts less (not zero: contention still slows
caches), and it shows work spread over both cores that wall time hides. Both are kept, and the
commands run in interleaved rounds (--repeat): each is timed by its fastest round, wall and CPU
separately (the run least disturbed), and each ratio is given twice, fastest over fastest and the
median of the ratios within one round (neighbouring runs share the machine's state); every round
is kept in bench/results/latest.json. Prints a table, with the number of streamguard findings of
each engine that runs the rules, so a reader can see that they agree.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import corpus  # noqa: E402
import floor_checks  # noqa: E402

BIN = Path(sys.executable).parent
OPA_WHOLE = ROOT / "bench" / "opa_whole.py"

# name: (label in the table, stem of its ratio keys in latest.json, key of its finding count)
COMMANDS = {
    "checkov_plain": ("checkov", None, None),
    "checkov_with_streamguard": ("checkov + streamguard", "checks_overhead", "streamguard_findings_checkov"),
    "checkov_with_floor_checks": ("checkov + floor checks", "floor_checks_overhead", None),
    "streamguard_scan": ("streamguard scan", "scan_vs_checkov", "streamguard_findings_rego"),
    "opa_whole_document": ("OPA, one plan document", "opa_vs_checkov", "streamguard_findings_opa"),
}


@dataclass
class Run:
    wall_s: float
    cpu_s: float  # user + system time of the child and every descendant it waited for
    max_rss_mb: float  # peak resident set of the largest single process among them
    returncode: int
    stdout: str
    stderr: str


def _run(cmd: list[str]) -> Run:
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:  # files: no pipe to drain
        start = time.perf_counter()
        child = subprocess.Popen(cmd, stdout=out, stderr=err, cwd=ROOT)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)  # reaped by wait4, not by Popen
        out.seek(0)
        err.seek(0)
        return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, child.returncode,
                   out.read().decode(), err.read().decode())


def _checkov(directory: Path, checks: Path | None) -> list[str]:
    cmd = [str(BIN / "checkov"), "-d", str(directory), "--framework", "terraform", "--skip-download",
           "-o", "json", "--quiet"]
    if checks is not None:
        cmd += ["--external-checks-dir", str(checks)]
    return cmd


def _count_failed(stdout: str) -> int:
    """Checkov's failed checks of streamguard's rules (SG_ IDs); -1 if its output is not JSON."""
    try:
        output = json.loads(stdout)
    except ValueError:
        return -1
    reports = output if isinstance(output, list) else [output]
    return sum(1 for r in reports if isinstance(r, dict)
               for c in (r.get("results") or {}).get("failed_checks") or []
               if c["check_id"].startswith("SG_"))


def _ratios(rounds: dict[str, list[float]], name: str) -> tuple[float, float]:
    """name's fastest / plain Checkov's fastest, and the median over rounds of name / plain Checkov
    in the same round."""
    plain = rounds["checkov_plain"]
    return (round(min(rounds[name]) / min(plain), 3),
            round(statistics.median(t / p for t, p in zip(rounds[name], plain, strict=True)), 3))


def measure(stacks: int, workdir: Path, repeat: int) -> dict:
    directory = workdir / f"corpus_{stacks}"
    resources = corpus.write(directory, stacks)
    plan = workdir / f"plan_{stacks}.json"  # beside the corpus directory, which the others scan
    subprocess.run([sys.executable, str(OPA_WHOLE), "write", str(directory), str(plan)], check=True, cwd=ROOT)
    commands = {
        "checkov_plain": _checkov(directory, None),
        "checkov_with_streamguard": _checkov(directory, ROOT / "checks"),
        "checkov_with_floor_checks": _checkov(directory, floor_checks.write(workdir / "floor_checks")),
        "streamguard_scan": [str(BIN / "streamguard"), "scan", str(directory), "--format", "json"],
        "opa_whole_document": [sys.executable, str(OPA_WHOLE), "eval", str(plan)],
    }
    runs: dict[str, list[Run]] = {name: [] for name in commands}
    for _ in range(repeat):
        for name, cmd in commands.items():
            runs[name].append(_run(cmd))
    scan, opa = runs["streamguard_scan"][-1], runs["opa_whole_document"][-1]
    if scan.returncode not in (0, 1):
        raise SystemExit(f"streamguard scan failed: {scan.stderr.strip()}")
    if opa.returncode != 0:
        raise SystemExit(f"OPA on the plan document failed: {opa.stderr.strip()}")
    wall = {name: [round(r.wall_s, 2) for r in rs] for name, rs in runs.items()}
    cpu = {name: [round(r.cpu_s, 2) for r in rs] for name, rs in runs.items()}
    rss = {name: [round(r.max_rss_mb) for r in rs] for name, rs in runs.items()}
    row = {
        "stacks": stacks,
        "resources": resources,
        **{f"{name}_s": min(wall[name]) for name in commands},
        **{f"{name}_cpu_s": min(cpu[name]) for name in commands},
        **{f"{name}_max_rss_mb": max(rss[name]) for name in commands},
    }
    for name, (_, stem, _) in COMMANDS.items():
        if stem is not None:
            for prefix, rounds in (("", wall), ("cpu_", cpu)):
                row[f"{prefix}{stem}_ratio"], row[f"paired_{prefix}{stem}_ratio"] = _ratios(rounds, name)
    return {
        **row,
        "streamguard_findings_checkov": _count_failed(runs["checkov_with_streamguard"][-1].stdout),
        "streamguard_findings_rego": len(json.loads(scan.stdout)["findings"]),
        "streamguard_findings_opa": int(opa.stdout),
        "rounds_s": wall,
        "rounds_cpu_s": cpu,
        "rounds_max_rss_mb": rss,
    }


def _ratio(row: dict, stem: str | None) -> str:
    return "" if stem is None else f"{row[stem + '_ratio']:.3f} ({row['paired_' + stem + '_ratio']:.3f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stacks", type=int, nargs="+", default=[200, 1000],
                        help="corpus sizes in stacks of 9 resources (default: 1,800 and 9,000 resources)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="interleaved rounds of the commands; each is timed by its fastest (default: 3)")
    parser.add_argument("--workdir", type=Path, default=ROOT / "bench" / "corpus")
    args = parser.parse_args()
    rows = [measure(n, args.workdir, max(1, args.repeat)) for n in args.stacks]
    print(f"wall and CPU (user+sys, child processes included): fastest of {max(1, args.repeat)} interleaved "
          "rounds; peak RSS: largest process, largest round;\nratios to plain Checkov: fastest / fastest "
          "(median over rounds of the ratio within one round); findings: streamguard's")
    print(f"{'resources':>9}  {'command':<22}  {'wall':>7}  {'CPU':>7}  {'peak RSS':>8}  "
          f"{'wall / checkov':>14}  {'CPU / checkov':>14}  {'findings':>8}")
    for r in rows:
        for name, (label, stem, findings) in COMMANDS.items():
            print(f"{r['resources']:>9}  {label:<22}  {r[name + '_s']:>6.2f}s  {r[name + '_cpu_s']:>6.2f}s  "
                  f"{r[name + '_max_rss_mb']:>5} MB  {_ratio(r, stem):>14}  "
                  f"{_ratio(r, stem and 'cpu_' + stem):>14}  {'' if findings is None else r[findings]:>8}")
    results = ROOT / "bench" / "results"
    results.mkdir(parents=True, exist_ok=True)
    (results / "latest.json").write_text(json.dumps(rows, indent=2) + "\n")


if __name__ == "__main__":
    main()
