"""CloudFormation resources as the checks see them: the whole template, read with streamguard's loader.

Checkov hands a CloudFormation check one resource and no graph. The checks need the template
around it (the key behind a `!GetAtt`, the alarm on a delivery stream, parameter defaults), so
they load the resource's file, which Checkov names in the `__file__` markers it adds to every
mapping of the resource, with the same loader the CLI uses (cached per file). Semantics mirror
policies/streamguard/lib/cfn/cfn.rego: an Fn::If is the branch its condition selects (cfn_conditions:
by parameter defaults, or by the world a view is in), both branches when the condition is unknown;
Ref to a parameter takes its Default, Ref AWS::NoValue is absent, any other intrinsic is unknown.
"""

from __future__ import annotations

import json
import re
from typing import Any

from streamguard.inputs import cfn as cfn_input
from streamguard.inputs.errors import InputError
from streamguard.logic import cfn_conditions, memo

MISSING = None  # an absent property, as values() reports it
_SUB_REFERENCE = re.compile(r"\$\{([^}!]+)\}")


def is_intrinsic(value: Any) -> bool:
    if not (isinstance(value, dict) and len(value) == 1):
        return False
    key = next(iter(value))
    return key in ("Ref", "Condition") or key.startswith("Fn::")


def _is_if(value: Any) -> bool:
    return isinstance(value, dict) and isinstance(value.get("Fn::If"), list) and len(value["Fn::If"]) == 3


def conditions_agree(a: frozenset, b: frozenset) -> bool:
    """No condition is true in one set of branch conditions and false in the other."""
    return not any((name, not taken) in b for name, taken in a)


def _unique(items: list[Any]) -> list[Any]:
    seen, out = set(), []
    for item in items:
        key = json.dumps(item, sort_keys=True, default=str)
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


def prop(obj: Any, key: str) -> Any:
    """A property of a mapping, or None when missing; None for a non-mapping (nothing to read)."""
    return obj.get(key) if isinstance(obj, dict) else None


class CfnResource:
    """One resource of a template, with the template around it."""

    format = "cloudformation"

    def __init__(self, logical_id: str, body: dict, template: dict):
        self.name = logical_id
        self.type = body.get("Type", "")
        self.address = f"{self.type}.{logical_id}"
        props = body.get("Properties")
        self.values = props if isinstance(props, dict) else {}
        self.body = body
        self.template = template

    def _choices(self) -> dict[str, Any]:
        """What each condition is in this view's world (computed once per template and world)."""
        return memo.per_module(self, "cfn.conditions", lambda: cfn_conditions.evaluate(
            self.template, self.template.get(cfn_conditions.WORLD_KEY, {})))

    def _selects(self, condition: Any) -> tuple[bool, ...]:
        """The Fn::If sides (True: the first branch) a condition may select."""
        value = self._choices().get(condition) if isinstance(condition, str) else None
        return (value,) if isinstance(value, bool) else (True, False)

    def branches(self, value: Any) -> list[Any]:
        """value with every Fn::If replaced by each branch its condition may select."""
        return [branch for branch, _ in self.branches_when(value)]

    def branches_when(self, value: Any, conditions: frozenset = frozenset()) -> list[tuple[Any, frozenset]]:
        """Every branch of value with the conditions that select it: (branch, {(condition, True | False)}).

        Properties that share a condition (KeyType and KeyARN both under !If [UseCmk, ...]) are
        deployed together only in branches whose conditions agree (conditions_agree).
        """
        if not _is_if(value):
            return [(value, conditions)]
        condition, when_true, when_false = value["Fn::If"]
        name = condition if isinstance(condition, str) else json.dumps(condition, sort_keys=True)
        out: list[tuple[Any, frozenset]] = []
        for side in self._selects(condition):
            out += self.branches_when(when_true if side else when_false, conditions | {(name, side)})
        return out

    @property
    def created(self) -> bool:
        """False when the resource's Condition is false by default (an unknown one creates it)."""
        condition = self.body.get("Condition")
        defaults = memo.per_module(self, "cfn.default_conditions",
                                   lambda: cfn_conditions.evaluate(self.template, {}))
        return not (isinstance(condition, str) and defaults.get(condition) is False)

    def in_worlds(self) -> list[CfnResource]:
        """This resource in every world of its template (cfn_conditions.worlds); [self] when none."""
        templates = memo.per_module(self, "cfn.world_templates", lambda: [
            {**self.template, cfn_conditions.WORLD_KEY: world} for world in cfn_conditions.worlds(self.template)])
        return [CfnResource(self.name, self.body, t) for t in templates] or [self]

    def values_of(self, value: Any) -> list[Any]:
        """Every value `value` may take; absent is None, unresolvable values are left out."""
        out = []
        for branch in self.branches(value):
            if not is_intrinsic(branch):
                out.append(branch)
            elif branch == {"Ref": "AWS::NoValue"}:
                out.append(None)
            elif isinstance(branch.get("Ref"), str):
                param = (self.template.get("Parameters") or {}).get(branch["Ref"])
                if isinstance(param, dict) and "Default" in param:
                    out.append(param["Default"])
        return _unique(out)

    def values_at(self, obj: Any, path: list[str]) -> list[Any]:
        """Every value the property at a path of plain keys may take, through Fn::If at every level.

        None when the property, or a mapping above it, is absent (so a rule can fail on a setting
        that defaults to insecure); a level that cannot be resolved contributes nothing (unknown).
        """
        current = self.values_of(prop(obj, path[0]))
        for key in path[1:]:
            below: list[Any] = []
            for parent in current:
                if parent is None:
                    below.append(None)
                elif isinstance(parent, dict):
                    below += self.values_of(prop(parent, key))
            current = _unique(below)
        return current

    def targets(self, value: Any) -> list[CfnResource]:
        """The resources of the template `value` refers to (Ref, Fn::GetAtt, Fn::Sub with one reference)."""
        found: list[CfnResource] = []
        resources = self.template.get("Resources") or {}
        for branch in self.branches(value):
            logical_id = _referenced_id(branch)
            body = resources.get(logical_id) if logical_id else None
            if isinstance(body, dict) and isinstance(body.get("Type"), str):
                target = CfnResource(logical_id, body, self.template)
                if target.created and target.address not in {f.address for f in found}:
                    found.append(target)
        return found

    def resources_of_type(self, types: set[str]) -> list[CfnResource]:
        resources = self.template.get("Resources") or {}
        found = [CfnResource(lid, body, self.template) for lid, body in sorted(resources.items())
                 if isinstance(body, dict) and isinstance(body.get("Type"), str) and body["Type"] in types]
        return [res for res in found if res.created]


def _referenced_id(value: Any) -> str | None:
    if not isinstance(value, dict) or len(value) != 1:
        return None
    if isinstance(value.get("Ref"), str):
        return value["Ref"]
    getatt = value.get("Fn::GetAtt")
    if isinstance(getatt, list) and getatt and isinstance(getatt[0], str):
        return getatt[0]
    if isinstance(getatt, str):
        return getatt.split(".")[0]
    sub = value.get("Fn::Sub")
    if isinstance(sub, list) and sub:
        sub = sub[0]
    if isinstance(sub, str):
        ids = {m.split(".")[0] for m in _SUB_REFERENCE.findall(sub) if "::" not in m}
        if len(ids) == 1:
            return ids.pop()
    return None


def _file_marker(conf: Any) -> str | None:
    """The `__file__` Checkov adds to every mapping it parsed, found in the resource's own mappings."""
    if isinstance(conf, dict):
        if isinstance(conf.get("__file__"), str):
            return conf["__file__"]
        for value in conf.values():
            found = _file_marker(value)
            if found:
                return found
    if isinstance(conf, list):
        for value in conf:
            found = _file_marker(value)
            if found:
                return found
    return None


def _strip_markers(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip_markers(v) for k, v in value.items() if k not in ("__file__", "__startline__", "__endline__")}
    if isinstance(value, list):
        return [_strip_markers(v) for v in value]
    return value


def view(conf: dict, logical_id: str) -> CfnResource:
    """The resource Checkov is checking, inside its whole template when the file can be read."""
    path = _file_marker(conf)
    if path:
        try:
            template = cfn_input.load(path)
        except InputError:
            template = None
        if template is not None:
            body = (template.body.get("Resources") or {}).get(logical_id)
            if isinstance(body, dict):
                return CfnResource(logical_id, body, template.body)
    body = _strip_markers(conf)
    return CfnResource(logical_id, body, {"Resources": {logical_id: body}})
