"""Read what a Rego module says about itself: its package, its METADATA, its documented rules.

OPA parses a `# METADATA` comment block as YAML; so does this module, so the CLI, the rule-pack
loader and the generated library reference read the same annotations OPA does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

_PACKAGE = re.compile(r"^package\s+([A-Za-z_][\w.]*)\s*$", re.M)
_RULE_HEAD = re.compile(r"^([a-z][a-z0-9_]*)(\(([^)]*)\))?(\[[^\]]*\])?\s*(:=|=|contains|if\b|$)")


class RegoSourceError(ValueError):
    """A module whose package or METADATA cannot be read."""


def package(source: str) -> str | None:
    found = _PACKAGE.search(source)
    return found.group(1) if found else None


def _comment_block_before(lines: list[str], index: int) -> list[str]:
    block: list[str] = []
    i = index - 1
    while i >= 0 and lines[i].startswith("#"):
        block.insert(0, lines[i][1:].removeprefix(" "))
        i -= 1
    return block


def package_metadata(source: str) -> dict:
    """The METADATA block just above `package` (OPA's package scope), as a mapping; {} when none."""
    lines = source.splitlines()
    index = next((i for i, line in enumerate(lines) if _PACKAGE.match(line)), None)
    if index is None:
        raise RegoSourceError("no package declaration")
    block = _comment_block_before(lines, index)
    if not block or block[0].strip() != "METADATA":
        return {}
    try:
        data = yaml.safe_load("\n".join(block[1:]))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (METADATA line {mark.line + 2})" if mark else ""
        raise RegoSourceError(f"METADATA is not valid YAML{where}") from None
    if not isinstance(data, dict):
        raise RegoSourceError("METADATA is not a mapping")
    return data


@dataclass(frozen=True)
class DocumentedRule:
    name: str
    signature: str  # `keys(res, path)`, `by_type[type]`, `by_address`
    doc: str


def public_rules(source: str) -> list[DocumentedRule]:
    """Every public rule or function (no leading `_`), once, with the comment above its first head."""
    lines = source.splitlines()
    seen: dict[str, DocumentedRule] = {}
    for i, line in enumerate(lines):
        head = _RULE_HEAD.match(line)
        if not head or head.group(1) in ("package", "import", "default") or head.group(1) in seen:
            continue
        doc = " ".join(part.strip() for part in _comment_block_before(lines, i) if part.strip() != "METADATA")
        # The doc names the rule as callers write it (`by_type[type]`); the head may not (`by_type[res.type]`).
        named = re.match(re.escape(head.group(1)) + r"(\([^)]*\)|\[[^\]]*\])?", doc)
        signature = named.group(0) if named else head.group(1) + (head.group(2) or "") + (head.group(4) or "")
        seen[head.group(1)] = DocumentedRule(head.group(1), signature, doc)
    return list(seen.values())
