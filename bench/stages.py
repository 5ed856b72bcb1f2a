"""Where `streamguard scan`'s time goes on one corpus, stage by stage, in CPU seconds of one process.

`make bench` times whole commands; this splits the embedded engine's scan into its stages, so a
target for the scan can be checked against what each stage costs on this machine:

- read: parsing the .tf files with python-hcl2 (the parser Checkov uses too) and building the
  module's plan-shaped document;
- serialise: the document as JSON, as the process pool sends it to the engine;
- one-line rule: loading the document into regorus plus one rule that counts its resources as the
  policy library normalises them (streamguard.lib.resources): the least any rule of the pack pays;
- policies: the load plus the full policy set (what `streamguard scan` evaluates).

A scan spreads parsing over the cores (streamguard.parallel); divide by the core count for the
least wall time that stage can take. Each input document is evaluated whole, on one core.
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

from streamguard.engines.rego import RegoEngine  # noqa: E402
from streamguard.inputs.discover import discover  # noqa: E402
from streamguard.scan import with_locations  # noqa: E402

_ONE_LINE_RULE = """package streamguard.bench
import rego.v1
import data.streamguard.lib.resources
resource_count := count(resources.by_address)
"""


def _cpu(fn):
    start = time.process_time()
    value = fn()
    return time.process_time() - start, value


def measure(stacks: int, directory: Path) -> dict:
    resources = corpus.write(directory, stacks)
    read_s, (sources, errors) = _cpu(lambda: discover([str(directory)]))
    assert not errors, errors
    serialise_s, documents = _cpu(lambda: [json.dumps(with_locations(s)) for s in sources])
    one_line = RegoEngine(extra_modules={"bench.rego": _ONE_LINE_RULE},
                          entrypoint="data.streamguard.bench.resource_count")
    one_line_s, _ = _cpu(lambda: [one_line.query_json(d) for d in documents])
    policies = RegoEngine()
    policies_s, findings = _cpu(lambda: sum(len(policies.evaluate_json(d)) for d in documents))
    return {"stacks": stacks, "resources": resources, "findings": findings,
            "read_cpu_s": round(read_s, 2), "serialise_cpu_s": round(serialise_s, 2),
            "one_line_rule_cpu_s": round(one_line_s, 2), "policies_cpu_s": round(policies_s, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stacks", type=int, nargs="+", default=[200, 1000])
    parser.add_argument("--workdir", type=Path, default=ROOT / "bench" / "corpus")
    args = parser.parse_args()
    for stacks in args.stacks:
        print(json.dumps(measure(stacks, args.workdir / f"stages-{stacks}")))


if __name__ == "__main__":
    main()
