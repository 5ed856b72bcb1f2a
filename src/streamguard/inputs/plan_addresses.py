"""A plan-shaped document must name each resource once per section.

Terraform never writes an address twice, and rejects a module that declares a resource twice.
The Rego library keys resources by address, so a repeated address with other values would stop
the evaluation with a conflict (in OPA and rego-cpp alike) instead of giving findings: such an
input is reported as unreadable, naming the address, before any engine sees it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any


def repeated_address(document: dict) -> tuple[str, str] | None:
    """(address, section) of the first address that appears twice in a section, or None."""
    for section, entries in _sections(document):
        seen: set[str] = set()
        for entry in entries:
            address = entry.get("address") if isinstance(entry, dict) else None
            if not isinstance(address, str):
                continue
            if address in seen:
                return address, section
            seen.add(address)
    return None


def _sections(document: dict) -> Iterator[tuple[str, list]]:
    """Each section's resource entries as the Rego library reads them (planned modules together)."""
    planned = _get(document, "planned_values", "root_module")
    yield "planned_values", [r for module in _modules(planned) for r in _list(module.get("resources"))]
    yield "prior_state", _list(_get(document, "prior_state", "values", "root_module", "resources"))
    config = _get(document, "configuration", "root_module")
    calls = config.get("module_calls") if isinstance(config, dict) else None
    yield "configuration", _list(config.get("resources") if isinstance(config, dict) else None) + [
        {"address": f"module.{name}.{r['address']}"}
        for name, call in (calls.items() if isinstance(calls, dict) else [])
        for r in _list(_get(call, "module", "resources"))
        if isinstance(r, dict) and isinstance(r.get("address"), str)]
    yield "resource_changes", _list(document.get("resource_changes"))


def _modules(module: Any) -> Iterator[dict]:
    """The module and its child_modules at any depth, as the Rego library walks them (the reader's
    nesting limit bounds the recursion)."""
    if isinstance(module, dict):
        yield module
        for child in _list(module.get("child_modules")):
            yield from _modules(child)


def _get(x: Any, *path: str) -> Any:
    for step in path:
        x = x.get(step) if isinstance(x, dict) else None
    return x


def _list(x: Any) -> list:
    return x if isinstance(x, list) else []
