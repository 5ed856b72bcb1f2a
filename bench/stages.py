"""Where `streamguard scan`'s time goes on one corpus, stage by stage, in CPU seconds of one process.

`make bench` times whole commands; this splits the embedded engine's scan into its stages, so a
target for the scan can be checked against what each stage costs on this machine:

- read: parsing the .tf files with python-hcl2 (the parser Checkov uses too) and building the
  module's plan-shaped document;
- units: splitting it into evaluation units (streamguard.units), serialised as the pool sends them;
- load input: handing each unit to rego-cpp (Interpreter.set_input_term), no policy evaluated;
- one-line rule: the load plus one rule that counts the unit's resources as the policy library
  normalises them (streamguard.lib.resources): the least any rule of the pack pays;
- policies: the load plus the full policy set (what `streamguard scan` evaluates).

A scan spreads parsing and evaluation over the cores (streamguard.parallel); divide by the core
count for the least wall time each stage can take.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
os.environ["STREAMGUARD_JOBS"] = "1"  # every stage in this process, where process_time sees it

import corpus  # noqa: E402
import regopy  # noqa: E402

from streamguard.engines.rego import RegoEngine  # noqa: E402
from streamguard.inputs.discover import discover  # noqa: E402
from streamguard.scan import with_locations  # noqa: E402
from streamguard.units import split  # noqa: E402

_ONE_LINE_RULE = """package streamguard.bench
import rego.v1
resources := count(data.streamguard.lib.resources.by_address)
"""


def _cpu(fn):
    start = time.process_time()
    value = fn()
    return time.process_time() - start, value


def measure(stacks: int, workdir: Path) -> dict:
    directory = workdir / f"corpus_{stacks}"
    resources = corpus.write(directory, stacks)
    read_s, (sources, _) = _cpu(lambda: discover([str(directory)]))
    units_s, units = _cpu(lambda: [json.dumps(with_locations(s, u)) for s in sources
                                   for u in split(s.kind, s.document)])
    interpreter = regopy.Interpreter()
    load_s, _ = _cpu(lambda: [interpreter.set_input_term(u) for u in units])
    one_line = RegoEngine(extra_modules={"bench.rego": _ONE_LINE_RULE}, entrypoint="streamguard/bench/resources")
    one_line_s, _ = _cpu(lambda: [one_line.query_json(u) for u in units])
    policies = RegoEngine()
    policies_s, findings = _cpu(lambda: sum(len(policies.evaluate_json(u)) for u in units))
    return {"stacks": stacks, "resources": resources, "units": len(units), "findings": findings,
            "read_cpu_s": round(read_s, 2), "units_cpu_s": round(units_s, 2),
            "load_input_cpu_s": round(load_s, 2), "one_line_rule_cpu_s": round(one_line_s, 2),
            "policies_cpu_s": round(policies_s, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stacks", type=int, nargs="+", default=[200],
                        help="corpus sizes in stacks of 9 resources (default: 1,800 resources)")
    parser.add_argument("--workdir", type=Path, default=ROOT / "bench" / "corpus")
    args = parser.parse_args()
    for row in (measure(n, args.workdir) for n in args.stacks):
        print(json.dumps(row))


if __name__ == "__main__":
    main()
