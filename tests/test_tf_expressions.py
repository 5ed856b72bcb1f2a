"""Terraform expressions as python-hcl2 renders them, evaluated as Terraform would (RULES.md
"Terraform expressions"): the evaluator both engines' HCL documents are built with."""

from __future__ import annotations

import hcl2
import pytest

from streamguard.inputs import hcl_parentheses  # noqa: F401  (keeps the parentheses in hcl2.loads)
from streamguard.inputs.tf_expressions import Scope, evaluate
from streamguard.logic.values import UNKNOWN

VARIABLES = {"on": True, "off": False, "env": "dev", "names": ["billing"], "caller": UNKNOWN, "flag": "true"}


def _value(expression: str, locals_: dict[str, str] | None = None):
    """The value of `expression` written in HCL, with the locals given (also HCL)."""
    body = "\n".join(f"  {k} = {v}" for k, v in {"it": expression, **(locals_ or {})}.items())
    parsed = hcl2.loads(f"locals {{\n{body}\n}}\n")["locals"][0]
    exprs = {k: v[0] for k, v in parsed.items() if not k.startswith("__")}
    return evaluate(exprs["it"], Scope(VARIABLES, exprs))


@pytest.mark.parametrize(("expression", "value"), [
    ("var.on ? 1 : 0", 1),
    ("var.off ? [1] : []", []),
    ("var.off == true ? [1] : []", []),
    ("!var.off ? 1 : 0", 1),
    ("var.on && !var.off", True),
    ("var.off || var.on && var.off", False),  # && binds tighter than ||
    ("(var.on || var.off) && var.off", False),  # parentheses as written
    ("(var.on ? 2 : 1) - 1", 1),
    ("!(var.off && var.on) ? 1 : 0", 1),
    ("1 + 2 * 3 > 6 ? 1 : 0", 1),
    ("var.env != \"prod\" ? 2 : 0", 2),
    ("var.flag ? 1 : 0", 1),  # a "true" string converts to a bool
    ("1 == \"1\"", False),  # no conversion in ==
    ("true == 1", False),
    ("length(var.names) > 0 ? 1 : 0", 1),
    ("length(tolist([\"a\", \"b\"]))", 2),
    ("toset([\"b\", \"a\", \"b\"])", ["a", "b"]),
    ("lookup({ dev = 0, prod = 2 }, var.env, 1)", 0),
    ("lookup({ dev = 0 }, \"test\", 1)", 1),
    ("{ a = 1 }[\"a\"]", 1),
    ("var.on ? { enabled = true } : {}", {"enabled": True}),
    ("\"${var.env}-x\"", "dev-x"),
    ("var.off && var.caller", False),  # the known side decides
    ("var.on || var.caller", True),
])
def test_decided_expressions(expression, value):
    assert _value(expression).value == value


@pytest.mark.parametrize("expression", [
    "var.caller ? 1 : 0",
    "var.on && var.caller",
    "var.caller == \"a\" ? 1 : 0",
    "length(var.caller)",
    "lookup({ dev = 0 }, \"test\")",  # an error in Terraform
    "contains([\"a\"], var.env) ? 1 : 0",  # not a function this evaluator knows
    "[for n in var.names : n]",
    "1 / 0",
])
def test_undecided_expressions_are_unknown(expression):
    assert _value(expression).value is UNKNOWN


def test_a_decided_conditional_refers_only_to_its_chosen_branch():
    chosen = _value("var.off ? aws_kms_key.k.arn : null")
    assert (chosen.value, chosen.references) == (None, [])
    assert _value("var.on ? aws_kms_key.k.arn : null").references == ["aws_kms_key.k.arn", "aws_kms_key.k"]
    assert set(_value("var.caller ? aws_kms_key.k.arn : aws_kms_key.j.arn").references) >= {
        "aws_kms_key.k", "aws_kms_key.j"}


def test_a_chain_of_locals_of_any_length_is_followed_without_recursion():
    chain = {"link_0": "false", **{f"link_{i}": f"local.link_{i - 1}" for i in range(1, 5000)}}
    assert _value("local.link_4999 ? 1 : 0", chain).value == 0


def test_locals_that_read_each_other_are_unknown():
    assert _value("local.a", {"a": "local.b", "b": "local.a"}).value is UNKNOWN


def test_a_hostile_nesting_depth_is_unknown_not_a_crash():
    deep = "${" + "(" * 5000 + "1" + ")" * 5000 + " > 0 ? 1 : 0}"
    assert evaluate(deep, Scope({}, {})).value is UNKNOWN
