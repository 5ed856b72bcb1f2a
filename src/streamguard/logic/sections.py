"""Template entries that are not resources, as rules read them (SG_304 looks for access keys there).

Terraform: variables (their default), locals, outputs and module calls, read from the plan-shaped
document (`configuration.root_module`, the shape plan JSON has and the HCL loader builds); only
constant values count, as in policies/streamguard/lib/sections/sections.rego. CloudFormation: Parameters (their
Default), Mappings and Outputs. Each is addressed as RULES.md "Addresses" says.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from streamguard.logic.tf import unwrap

# Module-call arguments that say where the module comes from, not what it is given.
_MODULE_META = ("source", "version")


@dataclass(frozen=True)
class Section:
    address: str  # variable.x, locals.x, output.x, module.x; Parameters.X, Mappings.X, Outputs.X
    kind: str  # variable, locals, output, module; Parameters, Mappings, Outputs
    format: str  # terraform | cloudformation
    values: dict
    parameters: dict = field(default_factory=dict)  # CloudFormation: the template's, for Ref defaults


def _constant(expression: Any) -> dict:
    """{"value": v} for an expression with a constant value, else {} (a reference is not a value here)."""
    if isinstance(expression, dict) and "constant_value" in expression:
        return {"value": expression["constant_value"]}
    return {}


def terraform_sections(document: dict) -> list[Section]:
    """Every variable, local, output and module call of a plan-shaped document's root module."""
    root = (document.get("configuration") or {}).get("root_module") or {}

    def entries(section: str) -> list[tuple[str, dict]]:
        found = root.get(section)
        return sorted((n, e) for n, e in found.items() if isinstance(e, dict)) if isinstance(found, dict) else []

    out = [Section(f"variable.{n}", "variable", "terraform", {"default": e["default"]} if "default" in e else {})
           for n, e in entries("variables")]
    out += [Section(f"locals.{n}", "locals", "terraform", _constant(e.get("expression")))
            for n, e in entries("locals")]
    out += [Section(f"output.{n}", "output", "terraform", _constant(e.get("expression")))
            for n, e in entries("outputs")]
    for name, call in entries("module_calls"):
        expressions = call.get("expressions") if isinstance(call.get("expressions"), dict) else {}
        args = {arg: c["value"] for arg, expr in expressions.items() if (c := _constant(expr))}
        out.append(Section(f"module.{name}", "module", "terraform", args))
    return out


def module_call(conf: dict) -> Section:
    """A module call as Checkov's module registry hands it over (values wrapped in lists)."""
    address = conf.get("__address__") if isinstance(conf.get("__address__"), str) else ""
    values = {k: v for k, v in unwrap(conf).items() if k not in _MODULE_META}
    return Section(address if address.startswith("module.") else f"module.{address}", "module", "terraform", values)


def cloudformation_sections(template: dict) -> list[Section]:
    """Every Parameter (its Default), Mapping and Output of a template."""
    parameters = template.get("Parameters") if isinstance(template.get("Parameters"), dict) else {}
    out = []
    for kind in ("Parameters", "Mappings", "Outputs"):
        entries = template.get(kind) if isinstance(template.get(kind), dict) else {}
        for name, entry in sorted(entries.items()):
            entry = entry if isinstance(entry, dict) else {}
            values = {"Default": entry["Default"]} if kind == "Parameters" and "Default" in entry else (
                {} if kind == "Parameters" else entry)
            out.append(Section(f"{kind}.{name}", kind, "cloudformation", values, parameters))
    return out
