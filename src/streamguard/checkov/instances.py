"""Checkov counts a block's instances as streamguard's HCL reader does, where its own rendering cannot.

Checkov expands `count` when its rendering decides it, but it cannot evaluate `!x` and stops
following a chain of locals after a few dozen links; it then checks the block as written
(`aws_x.y`, where Terraform creates `aws_x.y[0]`, or nothing). RULES.md "Terraform expressions":
both engines decide a count as Terraform would. install() (streamguard.checkov.install
calls it) gives a counted block Checkov left undecided the count streamguard.inputs.hcl decided: its
instances, or none (then `count = 0`, which Checkov checks as nothing). A for_each Checkov leaves
undecided stays as it is: its instances need the values, not only the keys.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from checkov.terraform.graph_builder.foreach.foreach_entity_handler import ForeachEntityHandler

from streamguard.inputs import hcl


def _module(directory: str, documents: dict[str, Any]) -> Any:
    """(document, files that could not be read) of one module directory, read once per expansion."""
    if directory not in documents:
        document, errors = hcl.load_module(sorted(Path(directory).glob("*.tf")))
        documents[directory] = (document, {os.path.abspath(e.path) for e in errors})
    return documents[directory]


def _count(block: Any, documents: dict[str, Any]) -> int | None:
    """The count streamguard decided for a block; None when it did not (unknown, or not a count)."""
    if "count" not in block.attributes or not isinstance(block.path, str):
        return None
    document, unreadable = _module(os.path.dirname(block.path), documents)
    if document is None or os.path.abspath(block.path) in unreadable:
        return None
    address = f"data.{block.name}" if block.block_type == "data" else block.name
    keys = document["streamguard"]["instances"].get(address)
    if keys is not None:
        return len(keys)
    created = {r["address"] for r in document["planned_values"]["root_module"]["resources"]}
    return None if address in created else 0


def _also_streamguard_counts(original: Any) -> Any:
    def get_statements(self: ForeachEntityHandler, resources_blocks: list[int]) -> dict:
        statements = original(self, resources_blocks)
        documents: dict[str, Any] = {}
        for index, statement in statements.items():
            block = self.local_graph.vertices[index]
            count = _count(block, documents) if statement is None else None
            if count:
                statements[index] = count
            elif count == 0:
                block.attributes["count"] = 0
                btype, _, bname = block.name.partition(".")
                block.config.get(btype, {}).get(bname, {})["count"] = [0]
        return statements

    get_statements.streamguard_counts = True  # type: ignore[attr-defined]
    return get_statements


def install() -> None:
    """Wrap Checkov's count evaluation, once per process."""
    if not getattr(ForeachEntityHandler._get_statements, "streamguard_counts", False):
        ForeachEntityHandler._get_statements = _also_streamguard_counts(ForeachEntityHandler._get_statements)
