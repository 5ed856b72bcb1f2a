"""Module-wide facts computed once per module (or template) per scan, not once per resource.

A rule such as "is this key used by a stream?" asks about the whole module. Checkov calls a
check once per resource, so without this the same module-wide answer would be recomputed for
every resource of the module: quadratic in the module's size.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from streamguard.logic import tf

T = TypeVar("T")

_cache: dict[tuple, tuple[Any, Any]] = {}


def per_module(res: Any, name: str, compute: Callable[[], T]) -> T:
    """compute() once per (name, module) for the scan in progress: Terraform modules are keyed by
    the scan's graph and the module instance, templates by the template object itself."""
    if isinstance(res, tf.TfResource):
        owner = tf.current_graph()
        if owner is None or not res.scope:
            return compute()
        key = (name, "tf", res.module)
    else:
        owner = res.template
        key = (name, "cfn", id(owner))
    cached = _cache.get(key)
    if cached is not None and cached[0] is owner:
        return cached[1]
    value = compute()
    _cache[key] = (owner, value)
    return value


def by_name(res: Any, fact: str, types: set[str], names_of: Callable[[Any], list]) -> dict[str, list]:
    """{name: the resources of `types` in res's module (or template) for which names_of lists that
    string}, built once per module per scan: a rule matching names looks them up instead of
    comparing with every resource of the module for each resource it checks (quadratic)."""

    def index() -> dict[str, list]:
        found: dict[str, list] = {}
        for resource in res.resources_of_type(types):
            for key in dict.fromkeys(n for n in names_of(resource) if isinstance(n, str)):
                found.setdefault(key, []).append(resource)
        return found

    return per_module(res, fact, index)
