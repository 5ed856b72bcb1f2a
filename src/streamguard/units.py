"""Split an input into evaluation units: small documents of resources that refer to each other.

The embedded Rego engine's evaluation time grows with the square of the input (DESIGN.md, "cost
curve"), so a large module, plan or template is evaluated as several small documents. A rule only
looks at a resource and what it resolves to, so resources are grouped by the links rules follow:
references (Terraform `references`, CloudFormation Ref/GetAtt/Sub/DependsOn) and names used as
literals (an alias name, a bucket name, an alarm's DeliveryStreamName dimension). Connected groups
are packed into units of at most UNIT_SIZE resources (a larger group stays whole). Sections that
are not resources (providers, variables, outputs; Parameters, Mappings, Conditions) are kept where
rules need them: parameters in every unit, and what rules report on once, in the first unit only.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

UNIT_SIZE = 24

_SUB_REFERENCE = re.compile(r"\$\{([A-Za-z0-9_]+)[.}]")


class _Groups:
    """Union-find over resource addresses."""

    def __init__(self, members: list[str]):
        self.parent = {m: m for m in members}

    def find(self, m: str) -> str:
        while self.parent[m] != m:
            self.parent[m] = self.parent[self.parent[m]]
            m = self.parent[m]
        return m

    def join(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)

    def packed(self, order: list[str], size: int) -> list[list[str]]:
        """Connected groups, packed in input order into units of at most `size` members."""
        groups: dict[str, list[str]] = {}
        for m in order:
            groups.setdefault(self.find(m), []).append(m)
        units: list[list[str]] = []
        current: list[str] = []
        for group in groups.values():
            if current and len(current) + len(group) > size:
                units.append(current)
                current = []
            current = current + group
        if current:
            units.append(current)
        return units


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def _name_candidates(text: str) -> set[str]:
    """A literal and the tails by which an ARN names a resource (…:alias/x, …:::bucket, …/stream)."""
    return {text, text.rsplit(":", 1)[-1], text.rsplit("/", 1)[-1]}


def _join_by_names(groups: _Groups, identities: dict[str, set[str]], texts: dict[str, list[str]]) -> None:
    by_name: dict[str, str] = {}
    for member, names in identities.items():
        for name in names:
            if name in by_name:
                groups.join(member, by_name[name])
            else:
                by_name[name] = member
    for member, strings in texts.items():
        for text in strings:
            for candidate in _name_candidates(text):
                other = by_name.get(candidate)
                if other is not None:
                    groups.join(member, other)


# ---- Terraform (plan-shaped documents) ---------------------------------------------------------

def _mapping(value: Any) -> dict:
    """value when it is a mapping, else empty: inputs may have any shape at any place."""
    return value if isinstance(value, dict) else {}


def _items(value: Any) -> list:
    return value if isinstance(value, list) else []


def _tf_module_resources(module: Any, found: list[dict]) -> None:
    found.extend(r for r in _items(_mapping(module).get("resources"))
                 if isinstance(r, dict) and isinstance(r.get("address"), str))
    for child in _items(_mapping(module).get("child_modules")):
        _tf_module_resources(child, found)


def _tf_config_resources(document: dict) -> dict[str, dict]:
    root = _mapping(_mapping(document.get("configuration")).get("root_module"))
    out = {r["address"]: r for r in _items(root.get("resources"))
           if isinstance(r, dict) and isinstance(r.get("address"), str)}
    for name, call in _mapping(root.get("module_calls")).items():
        for r in _items(_mapping(_mapping(call).get("module")).get("resources")):
            if isinstance(r, dict) and isinstance(r.get("address"), str):
                out[f"module.{name}.{r['address']}"] = r
    return out


def _references(expressions: Any) -> Iterator[str]:
    if isinstance(expressions, dict):
        refs = expressions.get("references")
        if isinstance(refs, list):
            yield from (r for r in refs if isinstance(r, str))
        for k, v in expressions.items():
            if k != "references":
                yield from _references(v)
    elif isinstance(expressions, list):
        for v in expressions:
            yield from _references(v)


def _tf_identities(values: dict) -> set[str]:
    return {v for k, v in values.items() if isinstance(v, str) and len(v) > 2 and (k in ("name", "bucket", "arn"))}


def split_terraform(document: dict, size: int = UNIT_SIZE) -> list[dict]:
    planned: list[dict] = []
    _tf_module_resources(_mapping(document.get("planned_values")).get("root_module"), planned)
    prior: list[dict] = []
    _tf_module_resources(_mapping(_mapping(document.get("prior_state")).get("values")).get("root_module"), prior)
    addresses = list(dict.fromkeys([r["address"] for r in planned] + [r["address"] for r in prior
                                                                        if r.get("mode") == "data"]))
    if len(addresses) <= size:
        return [document]
    groups = _Groups(addresses)
    known = set(addresses)
    config = _tf_config_resources(document)
    for address in addresses:
        for ref in _references((config.get(address) or {}).get("expressions")):
            if ref in known:
                groups.join(address, ref)
    values = {r["address"]: r["values"] for r in planned + prior if isinstance(r.get("values"), dict)}
    _join_by_names(groups, {a: _tf_identities(v) for a, v in values.items()},
                   {a: list(_strings(v)) for a, v in values.items()})
    return _tf_units(document, groups.packed(addresses, size))


def _partition(items: Any, unit_of: dict[str, int], count: int) -> list[list[dict]]:
    """The resources of a list, in order, split by unit (one pass, however many units); resources of
    no unit are left out."""
    parts: list[list[dict]] = [[] for _ in range(count)]
    for r in _items(items):
        if isinstance(r, dict) and isinstance(r.get("address"), str) and r["address"] in unit_of:
            parts[unit_of[r["address"]]].append(r)
    return parts


def _partition_module(module: Any, unit_of: dict[str, int], count: int) -> list[dict]:
    """One copy of a planned module (and its child modules) per unit, holding that unit's resources."""
    resources = _partition(_mapping(module).get("resources"), unit_of, count)
    children = [_partition_module(c, unit_of, count) for c in _items(_mapping(module).get("child_modules"))]
    copies = []
    for i in range(count):
        copy = {**_mapping(module), "resources": resources[i]}
        if children:
            copy["child_modules"] = [child[i] for child in children]
        copies.append(copy)
    return copies


def _tf_units(document: dict, members: list[list[str]]) -> list[dict]:
    """The document once per group of members: each copy holds that group's resources, and the
    first also the sections rules report on once (variables, outputs, locals, providers)."""
    count = len(members)
    unit_of = {address: i for i, group in enumerate(members) for address in group}
    units = [dict(document) for _ in range(count)]
    planned = document.get("planned_values")
    if isinstance(planned, dict):
        for unit, module in zip(units, _partition_module(planned.get("root_module"), unit_of, count), strict=True):
            unit["planned_values"] = {**planned, "root_module": module}
    prior = document.get("prior_state")
    if isinstance(prior, dict):
        values = _mapping(prior.get("values"))
        for unit, module in zip(units, _partition_module(values.get("root_module"), unit_of, count), strict=True):
            unit["prior_state"] = {**prior, "values": {**values, "root_module": module}}
    for unit, changes in zip(units, _partition(document.get("resource_changes"), unit_of, count), strict=True):
        unit["resource_changes"] = changes
    configuration = document.get("configuration")
    if isinstance(configuration, dict):
        root = _mapping(configuration.get("root_module"))
        calls_without_arguments = {name: {**_mapping(call), "expressions": {}}
                                   for name, call in _mapping(root.get("module_calls")).items()}
        parts = _partition(root.get("resources"), unit_of, count)
        for i, (unit, resources) in enumerate(zip(units, parts, strict=True)):
            new_root = {**root, "resources": resources}
            unit["configuration"] = {**configuration, "root_module": new_root}
            if i > 0:
                for section in ("variables", "outputs", "locals"):
                    new_root.pop(section, None)
                new_root["module_calls"] = calls_without_arguments
                unit["configuration"]["provider_config"] = {}
    return units


# ---- CloudFormation ----------------------------------------------------------------------------

def _cfn_references(value: Any, names: set[str]) -> Iterator[str]:
    if isinstance(value, dict):
        for k, v in value.items():
            if k == "Ref" and isinstance(v, str) and v in names:
                yield v
            elif k == "Fn::GetAtt":
                head = v[0] if isinstance(v, list) and v else v.split(".")[0] if isinstance(v, str) else None
                if isinstance(head, str) and head in names:
                    yield head
            elif k == "Fn::Sub":
                template = v[0] if isinstance(v, list) and v else v
                if isinstance(template, str):
                    yield from (m for m in _SUB_REFERENCE.findall(template) if m in names)
            yield from _cfn_references(v, names)
    elif isinstance(value, list):
        for v in value:
            yield from _cfn_references(v, names)


def _with_defaults(value: Any, defaults: dict[str, Any]) -> Any:
    """value with every Ref to a parameter replaced by its Default: a name given through a parameter
    links resources as the literal would (rules read a parameter's Default as its value)."""
    if isinstance(value, dict):
        if len(value) == 1 and isinstance(value.get("Ref"), str) and value["Ref"] in defaults:
            return defaults[value["Ref"]]
        return {k: _with_defaults(v, defaults) for k, v in value.items()}
    if isinstance(value, list):
        return [_with_defaults(v, defaults) for v in value]
    return value


def split_cloudformation(template: dict, size: int = UNIT_SIZE) -> list[dict]:
    resources = template.get("Resources") or {}
    names = [n for n, r in resources.items() if isinstance(r, dict)]
    if len(names) <= size:
        return [template]
    groups = _Groups(names)
    known = set(names)
    for name in names:
        body = resources[name]
        for ref in _cfn_references(body, known):
            groups.join(name, ref)
        depends = body.get("DependsOn")
        for dep in depends if isinstance(depends, list) else [depends]:
            if isinstance(dep, str) and dep in known:
                groups.join(name, dep)
    defaults = {name: param["Default"] for name, param in (template.get("Parameters") or {}).items()
                if isinstance(param, dict) and "Default" in param}
    props = {n: _with_defaults(resources[n].get("Properties"), defaults)
             if isinstance(resources[n].get("Properties"), dict) else {} for n in names}
    identities = {n: {v for k, value in p.items() if k.endswith("Name") for v in _strings(value) if len(v) > 2}
                  for n, p in props.items()}
    _join_by_names(groups, identities, {n: list(_strings(p)) for n, p in props.items()})
    units = []
    for i, members in enumerate(groups.packed(names, size)):
        unit = {k: v for k, v in template.items() if k != "Outputs" or i == 0}
        unit["Resources"] = {n: resources[n] for n in members}
        units.append(unit)
    return units


def split(kind: str, document: dict, size: int = UNIT_SIZE) -> list[dict]:
    """The evaluation units of one input document."""
    if kind == "cloudformation":
        return split_cloudformation(document, size)
    return split_terraform(document, size)


def addresses(kind: str, unit: dict) -> set[str]:
    """What a unit can report on: its resources and, where it carries them, non-resource sections."""
    if kind == "cloudformation":
        resources = unit.get("Resources") or {}
        found = {f"{body.get('Type')}.{name}" for name, body in resources.items() if isinstance(body, dict)}
        for section in ("Parameters", "Mappings", "Outputs"):
            found |= {f"{section}.{name}" for name in (unit.get(section) or {})}
        return found
    resources: list[dict] = []
    _tf_module_resources(_mapping(unit.get("planned_values")).get("root_module"), resources)
    _tf_module_resources(_mapping(_mapping(unit.get("prior_state")).get("values")).get("root_module"), resources)
    found = {r["address"] for r in resources}
    configuration = _mapping(unit.get("configuration"))
    root = _mapping(configuration.get("root_module"))
    for section, prefix in (("variables", "variable"), ("outputs", "output"), ("locals", "locals"),
                            ("module_calls", "module")):
        found |= {f"{prefix}.{name}" for name in _mapping(root.get(section))}
    for key, provider in _mapping(configuration.get("provider_config")).items():
        if isinstance(provider, dict):
            found.add(key if "." in key else f"{key}.default")
    return found
