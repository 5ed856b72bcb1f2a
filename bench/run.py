"""`make bench`: time plain Checkov, Checkov with streamguard's checks, and `streamguard scan`.

All three scan the same generated corpus in one directory (bench/corpus.py), in the same run, so
the ratios compare like with like on this machine. Every Checkov run uses --skip-download (no
network) and the Terraform framework only (the corpus is HCL).

A shared 2-core machine's speed drifts by 10 % and more between two runs of the same command, as
much as the overhead measured. So the three commands run in interleaved rounds (--repeat) and each
is timed by its fastest round, the run least disturbed; every round is kept in
bench/results/latest.json. Prints a table.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import corpus  # noqa: E402

BIN = Path(sys.executable).parent


def _timed(cmd: list[str]) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False, cwd=ROOT)
    return time.perf_counter() - start, proc


def _checkov(directory: Path, with_streamguard: bool) -> list[str]:
    cmd = [str(BIN / "checkov"), "-d", str(directory), "--framework", "terraform", "--skip-download",
           "-o", "json", "--quiet"]
    if with_streamguard:
        cmd += ["--external-checks-dir", str(ROOT / "checks")]
    return cmd


def _count_failed(stdout: str, prefix: str | None = None) -> int:
    try:
        output = json.loads(stdout)
    except ValueError:
        return -1
    reports = output if isinstance(output, list) else [output]
    return sum(1 for r in reports if isinstance(r, dict)
               for c in (r.get("results") or {}).get("failed_checks") or []
               if prefix is None or c["check_id"].startswith(prefix))


def measure(stacks: int, workdir: Path, repeat: int) -> dict:
    directory = workdir / f"corpus_{stacks}"
    resources = corpus.write(directory, stacks)
    commands = {
        "checkov_plain": _checkov(directory, with_streamguard=False),
        "checkov_with_streamguard": _checkov(directory, with_streamguard=True),
        "streamguard_scan": [str(BIN / "streamguard"), "scan", str(directory), "--format", "json"],
    }
    rounds: dict[str, list[float]] = {name: [] for name in commands}
    last: dict[str, subprocess.CompletedProcess] = {}
    for _ in range(repeat):
        for name, cmd in commands.items():
            seconds, last[name] = _timed(cmd)
            rounds[name].append(round(seconds, 2))
    scan = last["streamguard_scan"]
    if scan.returncode not in (0, 1):
        raise SystemExit(f"streamguard scan failed: {scan.stderr.strip()}")
    best = {name: min(times) for name, times in rounds.items()}
    return {
        "stacks": stacks,
        "resources": resources,
        **{f"{name}_s": seconds for name, seconds in best.items()},
        "checks_overhead_ratio": round(best["checkov_with_streamguard"] / best["checkov_plain"], 3),
        "scan_vs_checkov_ratio": round(best["streamguard_scan"] / best["checkov_plain"], 3),
        "streamguard_findings_checkov": _count_failed(last["checkov_with_streamguard"].stdout, "SG_"),
        "streamguard_findings_rego": len(json.loads(scan.stdout)["findings"]),
        "rounds_s": rounds,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stacks", type=int, nargs="+", default=[200, 1000],
                        help="corpus sizes in stacks of 9 resources (default: 1,800 and 9,000 resources)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="interleaved rounds of the three commands; each is timed by its fastest (default: 3)")
    parser.add_argument("--workdir", type=Path, default=ROOT / "bench" / "corpus")
    args = parser.parse_args()
    rows = [measure(n, args.workdir, max(1, args.repeat)) for n in args.stacks]
    header = (f"{'resources':>9}  {'checkov':>8}  {'checkov+sg':>10}  {'sg scan':>8}  "
              f"{'checks overhead':>15}  {'scan/checkov':>12}  {'findings ckv/rego':>17}")
    print(f"fastest of {max(1, args.repeat)} interleaved rounds each")
    print(header)
    for r in rows:
        findings = f"{r['streamguard_findings_checkov']}/{r['streamguard_findings_rego']}"
        print(f"{r['resources']:>9}  {r['checkov_plain_s']:>7.1f}s  {r['checkov_with_streamguard_s']:>9.1f}s  "
              f"{r['streamguard_scan_s']:>7.1f}s  {r['checks_overhead_ratio']:>15.3f}  "
              f"{r['scan_vs_checkov_ratio']:>12.3f}  {findings:>17}")
    results = ROOT / "bench" / "results"
    results.mkdir(parents=True, exist_ok=True)
    (results / "latest.json").write_text(json.dumps(rows, indent=2) + "\n")


if __name__ == "__main__":
    main()
