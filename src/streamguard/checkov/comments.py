"""Teach Checkov that a `#checkov:skip=` inside a YAML block scalar is text, not a comment.

Checkov's CloudFormation runner takes a skip from any line of a resource that matches its pattern,
so a `Value: |` whose text mentions `#checkov:skip=SG_101` would suppress SG_101 (the Rego
engine's reader, streamguard.inputs.cfn, reads YAML comments only). Importing this module
(streamguard.checkov_support does) blanks each block scalar's content in the lines Checkov reads
skips from, with streamguard.inputs.suppressions.outside_block_scalars, so both engines agree.
"""

from __future__ import annotations

from typing import Any

from checkov.cloudformation.context_parser import ContextParser

from streamguard.inputs.suppressions import outside_block_scalars


def install() -> None:
    """Wrap Checkov's CloudFormation skip-comment reader, once per process."""
    original = ContextParser.collect_skip_comments
    if getattr(original, "streamguard", False):
        return

    def collect_skip_comments(entity_code_lines: list, resource_config: Any = None) -> list:
        numbers = [number for number, _ in entity_code_lines]
        texts = outside_block_scalars([str(text) for _, text in entity_code_lines])
        return original(entity_code_lines=list(zip(numbers, texts, strict=True)), resource_config=resource_config)

    collect_skip_comments.streamguard = True  # type: ignore[attr-defined]
    ContextParser.collect_skip_comments = staticmethod(collect_skip_comments)  # type: ignore[method-assign]
