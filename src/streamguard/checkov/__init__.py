"""streamguard's extension of Checkov: the Checkov internals it replaces or wraps, in one place.

Checkov has no interface for what streamguard adds, so it patches Checkov's runners (section checks
run after each runner's own checks: streamguard.checkov.sections), the masking function they call
(credentials masked in every record: .masking), hcl2.load (one parse of each .tf file: .parses),
count evaluation (a count Checkov leaves undecided is decided as streamguard's reader decides it:
.instances) and the CloudFormation skip-comment reader (a skip inside a YAML block scalar is text:
.comments).
install() does so only for a Checkov in the range pyproject.toml declares (both ends proved by
.ci/checkov-range) that has every patched attribute with the parameters streamguard passes on;
otherwise it stops the scan with one line and exit status 3. Raising would not do: Checkov only
logs a check that fails to import and goes on checking less, and turns SystemExit into its own
crash status 2.
"""

from __future__ import annotations

import importlib
import inspect
import os
import sys

# The Checkov versions streamguard runs under, both ends included and proved (pyproject.toml says the
# same): the oldest by .ci/checkov-range, the newest by make test (constraints.txt pins it). 3.2.0
# fails 60 Checkov-engine fixture tests; the 3.2 releases after it are not bisected.
SUPPORTED = ("3.3.0", "3.3.30")

# Each attribute install() patches ("module:attribute"), with the parameters it is called with.
PATCHED = {
    "checkov.terraform.runner:Runner.check_tf_definition": ("self", "report", "root_folder", "runner_filter"),
    "checkov.terraform.plan_runner:Runner.check_tf_definition": ("self", "report", "root_folder", "runner_filter"),
    "checkov.cloudformation.runner:Runner.check_definitions": ("self", "root_folder", "runner_filter", "report"),
    **{f"{runner}:omit_secret_value_from_checks": ("check", "check_result", "entity_code_lines", "entity_config",
                                                    "resource_attributes_to_omit")
       for runner in ("checkov.terraform.runner", "checkov.terraform.plan_runner", "checkov.cloudformation.runner")},
    "hcl2:load": ("file",),
    "checkov.terraform.graph_builder.foreach.foreach_entity_handler:ForeachEntityHandler._get_statements": (
        "self", "resources_blocks"),
    "checkov.cloudformation.context_parser:ContextParser.collect_skip_comments": (
        "entity_code_lines", "resource_config"),
}


def problem() -> str | None:
    """Why this Checkov cannot be extended (None: it can)."""
    from checkov.version import version
    from packaging.version import InvalidVersion, Version

    oldest, newest = SUPPORTED
    try:
        known = Version(oldest) <= Version(version) <= Version(newest)
    except InvalidVersion:
        known = False
    if not known:
        return f"Checkov {version} is not supported (streamguard's checks need Checkov >={oldest},<={newest})"
    for target, parameters in PATCHED.items():
        module_name, _, path = target.partition(":")
        try:
            found = importlib.import_module(module_name)
            for name in path.split("."):
                found = getattr(found, name)
            names = tuple(inspect.signature(found).parameters)
        except (ImportError, AttributeError, TypeError, ValueError):
            return f"Checkov {version} has no {module_name}.{path}, which streamguard's checks extend"
        if names[:len(parameters)] != parameters:
            return (f"Checkov {version} changed {module_name}.{path}{inspect.signature(found)}, which "
                    "streamguard's checks extend")
    return None


def install() -> None:
    """Patch Checkov for streamguard's checks, once; stop the scan (exit 3) on a Checkov it does not know."""
    reason = problem()
    if reason is not None:
        print(f"streamguard: {reason}", file=sys.stderr, flush=True)
        os._exit(3)
    from streamguard.checkov import comments, instances, masking, parses, sections

    sections.install()
    masking.install()
    parses.install()
    instances.install()
    comments.install()
