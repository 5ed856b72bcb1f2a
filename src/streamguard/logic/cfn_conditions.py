"""CloudFormation Conditions evaluated from parameter defaults (RULES.md), as the Rego engine does.

policies/streamguard/lib/conditions/conditions.rego is the twin: a condition is True, False or
UNKNOWN; every node of every condition is evaluated in LAYERS rounds from its children (Rego has
no recursion), so a condition nested deeper, or a cycle, stays unknown in both engines. A world
decides the unknown conditions that depend on no other unknown condition; a resource fails only
when it fails in every world.
"""

from __future__ import annotations

import itertools
from typing import Any

UNKNOWN = "unknown"
LAYERS = 10
MAX_WORLD_CONDITIONS = 4
WORLD_KEY = "streamguard::world"  # where a world template carries its choices (Rego: input.streamguard.world)


def _conditions(template: dict) -> dict:
    conditions = template.get("Conditions")
    return conditions if isinstance(conditions, dict) else {}


def _walk(value: Any, path: tuple = ()):
    yield path, value
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _walk(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk(item, (*path, index))


def evaluate(template: dict, world: dict[str, bool]) -> dict[str, Any]:
    """{condition name: True | False | UNKNOWN} after LAYERS rounds, the world's choices first."""
    conditions = _conditions(template)
    nodes = [((name, path), node) for name, expr in conditions.items() for path, node in _walk(expr)
             if isinstance(node, dict) and len(node) == 1]
    known: dict[tuple, Any] = {(name, ()): value for name, value in world.items()}
    for _ in range(LAYERS):
        layer = {}
        for key, node in nodes:
            if key not in known:
                value = _value(template, conditions, node, key, known)
                if value is not None:
                    layer[key] = value
        known.update(layer)
    return {name: value for (name, path), value in known.items() if path == ()}


def _value(template: dict, conditions: dict, node: dict, key: tuple, known: dict) -> Any:
    """The node's value from its children's values of the previous rounds; None: not yet."""
    name, path = key
    op, args = next(iter(node.items()))
    if op == "Fn::Equals" and isinstance(args, list) and len(args) == 2:
        left, right = _text(template, args[0]), _text(template, args[1])
        return UNKNOWN if left is None or right is None else left == right
    if op == "Fn::Not" and isinstance(args, list) and len(args) == 1:
        child = known.get((name, (*path, "Fn::Not", 0)))
        return None if child is None else (UNKNOWN if child == UNKNOWN else not child)
    if op in ("Fn::And", "Fn::Or") and isinstance(args, list) and args:
        children = [known.get((name, (*path, op, i))) for i in range(len(args))]
        if any(c is None for c in children):
            return None
        decisive = op == "Fn::Or"  # the value one operand settles: True for Or, False for And
        if decisive in children:
            return decisive
        return UNKNOWN if UNKNOWN in children else not decisive
    if op == "Condition" and isinstance(args, str):
        return known.get((args, ())) if args in conditions else UNKNOWN
    return None


def _text(template: dict, value: Any) -> str | None:
    """The string CloudFormation compares: a literal, or Ref to a parameter with a literal default."""
    if isinstance(value, dict):
        ref = value.get("Ref")
        params = template.get("Parameters")
        param = params.get(ref) if isinstance(ref, str) and isinstance(params, dict) else None
        if not isinstance(param, dict) or "Default" not in param or isinstance(param["Default"], dict):
            return None
        value = param["Default"]
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and value == int(value):
        return str(int(value))
    return None


def world_names(template: dict) -> list[str]:
    """The unknown conditions that depend on no other unknown condition, the first few by name."""
    defaults = evaluate(template, {})
    conditions = _conditions(template)

    def unknown(name: Any) -> bool:
        return not isinstance(defaults.get(name, UNKNOWN), bool)

    names = [name for name, expr in conditions.items() if unknown(name)
             and not any(isinstance(node, dict) and isinstance(node.get("Condition"), str)
                         and node["Condition"] in conditions and unknown(node["Condition"])
                         for _, node in _walk(expr))]
    return sorted(names)[:MAX_WORLD_CONDITIONS]


def worlds(template: dict) -> list[dict[str, bool]]:
    """Every assignment of True/False to world_names; [] when there are none."""
    names = world_names(template)
    if not names:
        return []
    choices = itertools.product((False, True), repeat=len(names))
    return [dict(zip(names, reversed(bits), strict=True)) for bits in choices]
