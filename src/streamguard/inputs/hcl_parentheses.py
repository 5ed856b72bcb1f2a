"""python-hcl2 keeps the parentheses that enclose an operation, as they were written.

python-hcl2 (the parser Checkov uses too) hands an expression back as text and drops every pair of
parentheses, so `(a || b) && c` comes back as `a || b && c`, which Terraform's precedence reads as
`a || (b && c)`: a count or for_each would be decided wrongly. Importing this module
(streamguard.inputs.hcl does) keeps a pair that encloses an operation or a conditional; every other
text is as before. Checkov, in the same process, parses with the same transformer and reads the same
text.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hcl2.transformer import DictTransformer


class _Operation(str):
    """The text of an operation or a conditional."""


def _marked(method: Callable[[Any, list], str]) -> Callable[[Any, list], str]:
    def render(self: DictTransformer, args: list) -> str:
        return _Operation(method(self, args))

    return render


def _keeping_parentheses(expr_term: Callable[[Any, list], Any]) -> Callable[[Any, list], Any]:
    """An operation reaches a term only through `( expression )` (the grammar drops the
    parenthesis tokens before the transformer sees them)."""

    def render(self: DictTransformer, args: list) -> Any:
        inner = self.strip_new_line_tokens(args)
        if len(inner) == 1 and isinstance(inner[0], _Operation):
            return f"({inner[0]})"
        return expr_term(self, args)

    return render


if not getattr(DictTransformer, "streamguard_parentheses", False):  # once per process
    for _name in ("binary_op", "unary_op", "conditional"):
        setattr(DictTransformer, _name, _marked(getattr(DictTransformer, _name)))
    DictTransformer.expr_term = _keeping_parentheses(DictTransformer.expr_term)
    DictTransformer.streamguard_parentheses = True
