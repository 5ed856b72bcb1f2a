"""The `streamguard` command: scan, list, explain, generate, and new-rule / test-rules for rule packs.

Exit codes of `scan`: 0 no findings, 1 findings, 2 some input could not be read (everything else
was still scanned and reported), 3 streamguard itself could not run (bad usage, broken policies).
No traceback ever reaches the user: an unexpected error is one line on stderr and exit 3.
"""

from __future__ import annotations

import argparse
import sys

from streamguard import __version__, metadata

EXIT_INTERNAL = 3
FORMATS = ("text", "json", "sarif", "junit")


def _render(result, args, selection) -> str:
    from streamguard.report import json_report, junit, sarif, text

    if args.format == "json":
        return json_report.render(result, include_suppressed=args.include_suppressed)
    if args.format == "sarif":
        return sarif.render(result)
    if args.format == "junit":
        return junit.render(result, selection.rule_ids)
    return text.render(result, colour=args.output is None and text.use_colour(sys.stdout))


def _load_packs(directories: list[str] | None):
    """The rule packs given with --policy, their rules made known to this run; None without any."""
    if not directories:
        return None
    from streamguard.custom import pack

    loaded = pack.load(directories)
    metadata.add_rules(loaded.rules)
    return loaded


def _scan(args: argparse.Namespace) -> int:
    from streamguard import scan
    from streamguard.selection import Selection
    from streamguard.shown import shown_result

    packs = _load_packs(args.policy)
    if packs is not None and args.engine == "checkov":
        print("streamguard: --policy adds Rego policies; run a pack's Checkov checks with "
              "`checkov --external-checks-dir DIR/checks`", file=sys.stderr)
        return EXIT_INTERNAL
    selection = Selection.from_options(args.check, args.skip_check, args.severity)
    if args.engine == "rego":
        result = scan.scan_rego(args.paths, packs)
    elif args.engine == "opa":
        result = scan.scan_opa(args.paths, packs)
    else:
        from streamguard.engines import checkov

        result = checkov.scan(args.paths)
    result.select(selection.rule_ids)
    result = shown_result(result)  # the one place every printed string is masked and escaped
    output = _render(result, args, selection)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as fh:
            fh.write(output)
        if args.format != "text":
            from streamguard.report.text import summary

            print(summary(result), file=sys.stderr)
    else:
        sys.stdout.write(output)
    code = result.exit_code
    return 0 if code == 1 and args.soft_fail else code


def _list(args: argparse.Namespace) -> int:
    _load_packs(args.policy)
    rules = metadata.all_rules()
    width = max(len(r["title"]) for r in rules.values())
    ids = max(7, *(len(rule_id) for rule_id in rules))
    print(f"{'ID':<{ids}} {'SEVERITY':<8} {'FAMILY':<18} {'TITLE':<{width}}")
    for rule_id, r in sorted(rules.items()):
        print(f"{rule_id:<{ids}} {r['severity']:<8} {r['family']:<18} {r['title']:<{width}}")
    return 0


def _explain(args: argparse.Namespace) -> int:
    from streamguard.paths import DOCS_DIR

    rule_id = args.rule.upper()
    page = DOCS_DIR / "rules" / f"{rule_id}.md"
    if rule_id not in metadata.all_rules() or not page.is_file():
        from streamguard.shown import shown

        print(f"streamguard: unknown rule {shown(args.rule)}; `streamguard list` shows them all", file=sys.stderr)
        return EXIT_INTERNAL
    sys.stdout.write(page.read_text(encoding="utf-8"))
    return 0


def _generate(args: argparse.Namespace) -> int:
    from streamguard import generate

    for path in generate.write():
        print(f"wrote {path}")
    return 0


def _new_rule(args: argparse.Namespace) -> int:
    from streamguard.custom import scaffold

    for path in scaffold.write(args.rule_id, args.dir):
        print(f"wrote {path}")
    return 0


def _test_rules(args: argparse.Namespace) -> int:
    from streamguard.custom import testing

    return testing.main(args.pack)


def _policy_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--policy", action="append", metavar="DIR",
                   help="also evaluate the Rego rule pack in DIR (repeatable; see docs/custom-rules.md)")


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="streamguard", description="Policy-as-code checks for AWS streaming pipelines.")
    p.add_argument("--version", action="version", version=f"streamguard {__version__}")
    sub = p.add_subparsers(dest="command", required=True)
    s = sub.add_parser("scan", help="scan Terraform, plan JSON and CloudFormation files")
    s.add_argument("paths", nargs="+", metavar="PATH")
    s.add_argument("--format", choices=FORMATS, default="text")
    s.add_argument("--output", "-o", metavar="FILE", help="write the report to FILE (summary on stderr)")
    s.add_argument("--engine", choices=("rego", "opa", "checkov"), default="rego",
                   help="rego: embedded (default); opa: `opa eval` from PATH; checkov: Checkov with the checks")
    s.add_argument("--check", action="append", metavar="ITEMS",
                   help="only these rules: IDs, ID patterns (SG_2*), families, or a severity (and above)")
    s.add_argument("--skip-check", action="append", metavar="ITEMS",
                   help="not these rules: IDs, ID patterns, families, or a severity (and below)")
    s.add_argument("--severity", type=str.upper, choices=("LOW", "MEDIUM", "HIGH"),
                   help="report only findings of this severity or higher")
    s.add_argument("--include-suppressed", action="store_true",
                   help="JSON: add the suppressed findings, with their reasons, as a third key, \"suppressed\"")
    s.add_argument("--soft-fail", action="store_true",
                   help="exit 0 even when there are findings (unreadable input still exits 2)")
    _policy_option(s)
    s.set_defaults(func=_scan)
    ls = sub.add_parser("list", help="list the rules")
    _policy_option(ls)
    ls.set_defaults(func=_list)
    e = sub.add_parser("explain", help="print one rule's documentation")
    e.add_argument("rule")
    e.set_defaults(func=_explain)
    sub.add_parser("generate", help="render catalog/ into policies, checks and docs").set_defaults(func=_generate)
    n = sub.add_parser("new-rule", help="scaffold a custom rule: Rego policy, Checkov checks, fixtures")
    n.add_argument("rule_id", metavar="ID", help="the rule's ID, with your own prefix (ACME_001)")
    n.add_argument("--dir", required=True, help="the rule pack's folder (created if missing)")
    n.set_defaults(func=_new_rule)
    t = sub.add_parser("test-rules", help="prove a rule pack's fixtures in the embedded engine, real OPA and Checkov")
    t.add_argument("pack", metavar="DIR")
    t.set_defaults(func=_test_rules)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print("streamguard: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # noqa: BLE001 - the one place that turns any failure into one line
        from streamguard.shown import shown

        message = shown(" ".join(str(exc).split())[:300]) or type(exc).__name__
        print(f"streamguard: error: {message}", file=sys.stderr)
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
