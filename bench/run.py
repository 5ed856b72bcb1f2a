"""`make bench`: time plain Checkov, Checkov with streamguard's or do-nothing checks, and `streamguard scan`.

All of them scan the same generated corpus in one directory (bench/corpus.py), in the same run, so
the ratios compare like with like on this machine. Every Checkov run uses --skip-download (no
network) and the Terraform framework only (the corpus is HCL).

A shared 2-core machine's speed drifts by 10 % and more between two runs of the same command, as
much as the overhead measured. So the commands run in interleaved rounds (--repeat): each is timed
by its fastest round, the run least disturbed, and each ratio is given twice, fastest over fastest
and the median of the ratios within one round (neighbouring runs share the machine's state);
every round is kept in bench/results/latest.json. Prints a table.

A fourth command, Checkov with do-nothing checks of the same IDs and resource types
(bench/floor_checks.py), measures what Checkov itself spends on each result of an added check:
the floor under streamguard's checks overhead.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import corpus  # noqa: E402
import floor_checks  # noqa: E402

BIN = Path(sys.executable).parent


def _timed(cmd: list[str]) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False, cwd=ROOT)
    return time.perf_counter() - start, proc


def _checkov(directory: Path, checks: Path | None) -> list[str]:
    cmd = [str(BIN / "checkov"), "-d", str(directory), "--framework", "terraform", "--skip-download",
           "-o", "json", "--quiet"]
    if checks is not None:
        cmd += ["--external-checks-dir", str(checks)]
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
        "checkov_plain": _checkov(directory, None),
        "checkov_with_streamguard": _checkov(directory, ROOT / "checks"),
        "checkov_with_floor_checks": _checkov(directory, floor_checks.write(workdir / "floor_checks")),
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
    plain = rounds["checkov_plain"]

    def paired(name: str) -> float:
        """The median over rounds of name's time / plain Checkov's time in the same round."""
        return round(statistics.median(t / p for t, p in zip(rounds[name], plain, strict=True)), 3)

    return {
        "stacks": stacks,
        "resources": resources,
        **{f"{name}_s": seconds for name, seconds in best.items()},
        "checks_overhead_ratio": round(best["checkov_with_streamguard"] / best["checkov_plain"], 3),
        "floor_checks_overhead_ratio": round(best["checkov_with_floor_checks"] / best["checkov_plain"], 3),
        "scan_vs_checkov_ratio": round(best["streamguard_scan"] / best["checkov_plain"], 3),
        "paired_checks_overhead_ratio": paired("checkov_with_streamguard"),
        "paired_floor_checks_overhead_ratio": paired("checkov_with_floor_checks"),
        "paired_scan_vs_checkov_ratio": paired("streamguard_scan"),
        "streamguard_findings_checkov": _count_failed(last["checkov_with_streamguard"].stdout, "SG_"),
        "streamguard_findings_rego": len(json.loads(scan.stdout)["findings"]),
        "rounds_s": rounds,
    }


def _pair(row: dict, ratio: str) -> str:
    return f"{row[ratio]:.3f} ({row['paired_' + ratio]:.3f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stacks", type=int, nargs="+", default=[200, 1000],
                        help="corpus sizes in stacks of 9 resources (default: 1,800 and 9,000 resources)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="interleaved rounds of the three commands; each is timed by its fastest (default: 3)")
    parser.add_argument("--workdir", type=Path, default=ROOT / "bench" / "corpus")
    args = parser.parse_args()
    rows = [measure(n, args.workdir, max(1, args.repeat)) for n in args.stacks]
    print(f"seconds: fastest of {max(1, args.repeat)} interleaved rounds; ratios: fastest / fastest "
          "(median over rounds of the ratio within one round)")
    print(f"{'resources':>9}  {'checkov':>8}  {'+floor':>7}  {'+streamguard':>12}  {'sg scan':>8}  "
          f"{'floor overhead':>16}  {'checks overhead':>16}  {'scan/checkov':>16}  {'findings ckv/rego':>17}")
    for r in rows:
        findings = f"{r['streamguard_findings_checkov']}/{r['streamguard_findings_rego']}"
        print(f"{r['resources']:>9}  {r['checkov_plain_s']:>7.1f}s  {r['checkov_with_floor_checks_s']:>6.1f}s  "
              f"{r['checkov_with_streamguard_s']:>11.1f}s  {r['streamguard_scan_s']:>7.1f}s  "
              f"{_pair(r, 'floor_checks_overhead_ratio'):>16}  {_pair(r, 'checks_overhead_ratio'):>16}  "
              f"{_pair(r, 'scan_vs_checkov_ratio'):>16}  {findings:>17}")
    results = ROOT / "bench" / "results"
    results.mkdir(parents=True, exist_ok=True)
    (results / "latest.json").write_text(json.dumps(rows, indent=2) + "\n")


if __name__ == "__main__":
    main()
