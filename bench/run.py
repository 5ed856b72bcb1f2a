"""`make bench`: time plain Checkov, Checkov with streamguard's checks, and `streamguard scan`.

All three scan the same generated corpus in one directory (bench/corpus.py), in the same run, so
the ratios compare like with like on this machine. Every Checkov run uses --skip-download (no
network) and the Terraform framework only (the corpus is HCL). Prints a table and writes
bench/results/latest.json.
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


def measure(stacks: int, workdir: Path) -> dict:
    directory = workdir / f"corpus_{stacks}"
    resources = corpus.write(directory, stacks)
    plain_s, plain = _timed(_checkov(directory, with_streamguard=False))
    with_s, with_sg = _timed(_checkov(directory, with_streamguard=True))
    scan_s, scan = _timed([str(BIN / "streamguard"), "scan", str(directory), "--format", "json"])
    if scan.returncode not in (0, 1):
        raise SystemExit(f"streamguard scan failed: {scan.stderr.strip()}")
    findings = len(json.loads(scan.stdout)["findings"])
    return {
        "stacks": stacks,
        "resources": resources,
        "checkov_plain_s": round(plain_s, 2),
        "checkov_with_streamguard_s": round(with_s, 2),
        "streamguard_scan_s": round(scan_s, 2),
        "checks_overhead_ratio": round(with_s / plain_s, 3),
        "scan_vs_checkov_ratio": round(scan_s / plain_s, 3),
        "streamguard_findings_checkov": _count_failed(with_sg.stdout, "SG_"),
        "streamguard_findings_rego": findings,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stacks", type=int, nargs="+", default=[200, 1000],
                        help="corpus sizes in stacks of 9 resources (default: 1,800 and 9,000 resources)")
    parser.add_argument("--workdir", type=Path, default=ROOT / "bench" / "corpus")
    args = parser.parse_args()
    rows = [measure(n, args.workdir) for n in args.stacks]
    header = (f"{'resources':>9}  {'checkov':>8}  {'checkov+sg':>10}  {'sg scan':>8}  "
              f"{'checks overhead':>15}  {'scan/checkov':>12}  {'findings ckv/rego':>17}")
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
