"""Real OPA (the Go library, through opa_bindings) evaluating a whole corpus as one plan document.

`write` loads a corpus with streamguard's own loader (a directory of .tf files is one Source whose
document is plan-shaped JSON, what the engines evaluate) and writes that document to a file;
bench/run.py runs it before the timed rounds. `eval` loads every policy module under policies/
(tests excluded) into an OpaEngine, evaluates data.streamguard.lib.findings.report once and prints
the number of findings; bench/run.py times it as its own command.

Run `eval` only in a fresh process (`python bench/opa_whole.py eval PLAN`): once the Go library is
loaded, a fork()ed child hangs, so it must never run in a multiprocessing fork pool.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from opa_bindings import OpaEngine  # loads the Go library at the first OpaEngine(): `write` may fork

POLICIES = Path(__file__).resolve().parent.parent / "policies"
QUERY = "streamguard.lib.findings.report"


def write(corpus_dir: Path, plan: Path) -> None:
    """Write the corpus directory's plan-shaped document to plan."""
    from streamguard.inputs.discover import discover  # here: the timed `eval` does not import it (0.1 s)

    sources, errors = discover([str(corpus_dir)])
    if errors or len(sources) != 1:
        raise SystemExit(f"{corpus_dir}: expected one input, got {len(sources)} and errors {errors}")
    plan.write_text(json.dumps(sources[0].document), encoding="utf-8")


def evaluate(plan: Path) -> int:
    """The number of findings OPA reports for the plan document."""
    engine = OpaEngine()
    for module in sorted(POLICIES.rglob("*.rego")):
        if not module.name.endswith("_test.rego"):
            engine.add_policy(str(module.relative_to(POLICIES)), module.read_text(encoding="utf-8"))
    report = engine.eval_document(QUERY, json.loads(plan.read_text(encoding="utf-8")))
    return len(report["deny"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    write_parser = commands.add_parser("write", help="write a corpus directory as one plan JSON file")
    write_parser.add_argument("corpus_dir", type=Path)
    write_parser.add_argument("plan", type=Path)
    eval_parser = commands.add_parser("eval", help="evaluate the policies on a plan JSON file once")
    eval_parser.add_argument("plan", type=Path)
    args = parser.parse_args()
    if args.command == "write":
        write(args.corpus_dir, args.plan)
    else:
        print(evaluate(args.plan))


if __name__ == "__main__":
    main()
