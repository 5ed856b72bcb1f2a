"""Checkov's in-source suppressions, read the way Checkov reads them, for the Rego engine.

A comment `#checkov:skip=SG_101,SG_201:reason` (also `bridgecrew:skip=`, `cortex:skip=`) on a line
strictly inside a Terraform block, or inside a CloudFormation resource's YAML lines (not inside a
block scalar, which is text), suppresses
those rules for that resource; without a reason Checkov records "No comment provided".
CloudFormation `Metadata.checkov.skip` entries are read by the policies themselves
(policies/streamguard/lib/suppression/suppression.rego), so opa and conftest users get them too.
"""

from __future__ import annotations

import re

# Checkov's own pattern (checkov/common/comment/enum.py).
_SKIP = re.compile(r"(checkov:skip=|bridgecrew:skip=|cortex:skip=) *([A-Za-z_\d-]+(?:,[A-Za-z_\d-]+)*)?(:[^\n]*)?")
NO_COMMENT = "No comment provided"


# A YAML line that opens a block scalar: `key: |`, `- >-`, `key: |2+`, a comment after it.
_BLOCK_SCALAR = re.compile(r"^(\s*)(?:[^#'\"]*?[:\-]\s+)?[|>][0-9+-]*\s*(?:#.*)?$")


def outside_block_scalars(lines: list[str]) -> list[str]:
    """The YAML lines with each block scalar's content blanked: a `#checkov:skip=` there is text,
    not a comment (Checkov is taught the same, streamguard.checkov.comments)."""
    kept = []
    indent = None  # the opening line's indentation while inside a block scalar
    for line in lines:
        text = line.rstrip("\r\n")
        if indent is not None and (not text.strip() or len(text) - len(text.lstrip()) > indent):
            kept.append("")
            continue
        indent = None
        opening = _BLOCK_SCALAR.match(text)
        if opening:
            indent = len(opening.group(1))
        kept.append(line)
    return kept


def in_lines(lines: list[str], first: int, last: int) -> list[dict]:
    """Skips on lines first..last (1-based, inclusive): [{"id", "comment"}]."""
    found = []
    for line in lines[max(first - 1, 0):max(last, 0)]:
        if "skip=" not in line:
            continue
        match = _SKIP.search(line)
        if not match or not match.group(2):
            continue
        comment = match.group(3)[1:] if match.group(3) else NO_COMMENT
        found += [{"id": rule_id.strip(), "comment": comment} for rule_id in match.group(2).split(",")]
    return found
