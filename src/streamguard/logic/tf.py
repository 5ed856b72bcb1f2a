"""Terraform resources as the Checkov checks see them, with references resolved through Checkov's graph.

Checkov hands a check one resource's configuration (every value wrapped in a list) and sets
`check.graph` for the scan. `GraphIndex` reads the graph once per scan; after that, finding the
resource a reference names is a dictionary look-up. References resolve only within the module
instance (directory, and the module calls Checkov reached it through) or plan file the resource
comes from, as Terraform resolves them. Inside a module instance resources are keyed by their
address in their own directory, without instance keys: every instance of a counted resource is
read from the same block (streamguard.logic.tf_source), as the HCL reader's document has it.
"""

from __future__ import annotations

import json
import os
import re
from typing import Any

from streamguard.logic.values import (
    UNKNOWN,
    is_tf_expression,
    module_output_references,
    tf_reference_addresses,
    tf_reference_addresses_of,
)

# The instance key a counted block's address ends with: `[0]`, `["blue"]`; and every one in an address.
INSTANCE_KEY = re.compile(r"\[[^\]]*\]$")
INSTANCE_KEYS = re.compile(r"\[[^\]]*\]")

# Where a resource's references resolve: (module directory or plan file, module call prefix).
Module = tuple[str, str]

_INTERNAL_KEYS = {"start_line", "end_line", "references_", "count", "for_each", "depends_on", "lifecycle",
                  "provider", "provisioner", "connection"}


def unwrap(conf: dict) -> dict:
    """Checkov's list-wrapped configuration as plain values: blocks as lists of dicts, like plan JSON."""
    return {k: _unwrap_value(v) for k, v in conf.items()
            if isinstance(k, str) and not k.startswith("__") and k not in _INTERNAL_KEYS}


def _unwrap_value(value: Any) -> Any:
    if isinstance(value, list):
        if value and all(isinstance(item, dict) for item in value):
            return [unwrap(item) for item in value]
        if len(value) == 1:
            return value[0]
    return value


def unexpanded_dynamic(block: dict) -> set[str]:
    """Names of the nested blocks of `block` that come from `dynamic` blocks Checkov did not expand.

    Checkov expands a resource's top-level dynamic blocks whose for_each it can resolve; for any
    other it shows the content once as a block, but how many such blocks there are, and their
    values, are unknown (the HCL loader and plan JSON mark such a block unknown).
    """
    dynamic = block.get("dynamic")
    return {name for entry in (dynamic if isinstance(dynamic, list) else []) if isinstance(entry, dict)
            for name, spec in entry.items() if isinstance(spec, dict) and "content" in spec}


class TfResource:
    """One Terraform resource or data source: its values, and the resources its references name.

    A resource reached through a called module's output is named as its caller sees it: `shown`
    is the call's prefix (`module.keys.`) before its address in its own module.
    """

    format = "terraform"

    def __init__(self, address: str, rtype: str, values: dict, index: GraphIndex | None, scope: str,
                 instance: str = "", shown: str = ""):
        self.address = shown + address
        self.type = rtype
        self.values = values
        self._index = index
        self._scope = scope
        self._instance = instance
        self._shown = shown
        self._own_address = address

    def raw(self, path: list) -> Any:
        """The value at path as configured (references still as strings); None when absent."""
        node: Any = self.values
        for step in path:
            if isinstance(step, int):
                node = node[step] if isinstance(node, list) and step < len(node) else None
            else:
                node = node.get(step) if isinstance(node, dict) else None
            if node is None:
                return None
        return node

    def value(self, path: list) -> Any:
        """The known value at path; None when absent; UNKNOWN for an unresolved expression."""
        raw = self.raw(path)
        return UNKNOWN if is_tf_expression(raw) else raw

    def absent(self, path: list) -> bool:
        """Known to have no value: not set, null or empty."""
        return self.value(path) in (None, "")

    def blocks(self, name: str) -> list[dict]:
        found = self.values.get(name)
        return [b for b in found if isinstance(b, dict)] if isinstance(found, list) else []

    def targets(self, path: list) -> list[TfResource]:
        """The resources of this module the expression at path refers to, and those the output of
        a module it calls refers to (`module.keys.key_arn`, `module.keys[0].key_arn`)."""
        if self._index is None:
            return []
        raw = self.raw(path)
        found = self._in_module(self.module, self._plan_prefix(), tf_reference_addresses(raw))
        if not self._shown:  # called modules are followed one level deep, as discover embeds them
            for call, output in module_output_references(raw):
                found += self._through_output(call, output)
        return found

    def _in_module(self, module: Module, prefix: str, addresses: list[str], shown: str = "") -> list[TfResource]:
        found = []
        for address in addresses:
            target = self._index.resource(module, prefix + address)
            if target is not None:
                found.append(target.seen_from(self._shown + shown))
        return found

    def _plan_prefix(self) -> str:
        """The module a plan resource is in (`module.keys[0].`): a plan writes the references inside
        a called module relative to it, and names its resources by their whole address."""
        if not self._scope.endswith(".json"):
            return ""
        head = self._own_address.rpartition(f"{self.type}.")[0]
        return head.removesuffix("data.")

    def _through_output(self, call: str, output: str) -> list[TfResource]:
        """The resources the output of the module called as `call` (`module.keys[0]`) refers to."""
        if self._scope.endswith(".json"):
            prefix = self._plan_prefix()
            refs = plan_output_references(self._scope, INSTANCE_KEYS.sub("", prefix + call), output)
            return self._in_module(self.module, "", [f"{prefix}{call}.{a}" for a in tf_reference_addresses_of(refs)])
        from streamguard.logic import tf_source  # it reads resources as TfResource views: imported late

        called = tf_source.called_output_references(self._scope, INSTANCE_KEYS.sub("", call), output)
        if called is None:
            return []
        directory, refs = called
        return self._in_module((directory, f"{self._instance}{call}."), "", tf_reference_addresses_of(refs),
                               shown=f"{call}.")

    def seen_from(self, shown: str) -> TfResource:
        """This resource as a caller of its module names it (`shown` is the call's prefix)."""
        if not shown:
            return self
        return TfResource(self._own_address, self.type, self.values, self._index, self._scope, self._instance,
                          shown)

    def resources_of_type(self, types: set[str]) -> list[TfResource]:
        return self._index.of_type(self.module, types) if self._index is not None else []

    @property
    def scope(self) -> str:
        """The module directory (or plan file) this resource comes from."""
        return self._scope

    @property
    def module(self) -> Module:
        """The module instance its references resolve in: directory and module call prefix."""
        return self._scope, self._instance

    @property
    def call(self) -> Any:
        """Checkov's module object of the call this resource's module instance was reached by."""
        return self._index.call(self.module) if self._index is not None else None

    def with_values(self, values: dict) -> TfResource:
        """The same resource seen through other values (a nested block, a re-read source), same module."""
        return TfResource(self._own_address, self.type, values, self._index, self._scope, self._instance,
                          self._shown)


def _in_module(address: str, name: str, data: bool) -> tuple[str, str]:
    """(module call prefix, address in its own directory) of a graph node: Checkov writes
    `module.a[0].aws_kms_key.k[1]` for block `aws_kms_key.k` of a module called as a[0] (and names
    the block `aws_kms_key.k[1]`)."""
    name = INSTANCE_KEY.sub("", name)
    head, found, _ = address.rpartition(name)
    prefix = (head.removesuffix("data.") if data else head) if found else ""
    return prefix, f"data.{name}" if data else name


# Data sources written here rather than looked up (RULES.md "Data sources are not configuration"):
# the only ones a reference resolves to. policies/streamguard/lib/resources/resources.rego holds
# the same set.
AUTHORED_DATA_TYPES = frozenset({"aws_iam_policy_document"})


class GraphIndex:
    """Every resource of one Checkov Terraform graph, keyed by (module instance, address). A data
    source that looks infrastructure up configures nothing: no reference resolves to it."""

    def __init__(self, graph: Any):
        self._by_scope: dict[Module, dict[str, dict]] = {}
        self._by_conf_id: dict[int, tuple[Module, str]] = {}
        self._views: dict[tuple[Module, str], TfResource] = {}
        self._by_type: dict[Module, dict[str, list[str]]] = {}  # module -> type -> addresses, on first use
        self._calls: dict[Module, Any] = {}  # module -> Checkov's module object of the call it was reached by
        for _, attrs in graph.nodes():
            block_type = attrs.get("block_type_")
            if block_type not in ("resource", "data"):
                continue
            name = attrs.get("block_name_", "")
            rtype, _, rname = name.partition(".")
            body = (attrs.get("config_") or {}).get(rtype, {}).get(rname)
            if not isinstance(body, dict):
                continue
            file_path = attrs.get("file_path_", "")
            if file_path.endswith(".json"):  # plan JSON: addresses as Terraform wrote them
                instance, address = "", attrs.get("__address__") or name
                if block_type == "data" and not address.startswith("data."):
                    address = f"data.{address}"
            else:
                instance, address = _in_module(attrs.get("__address__") or name, name, block_type == "data")
            module = (_scope_of(file_path), instance)
            looked_up = block_type == "data" and rtype not in AUTHORED_DATA_TYPES
            self._by_scope.setdefault(module, {})[address] = {"type": rtype, "body": body, "looked_up": looked_up}
            self._by_conf_id[id(body)] = (module, address)
            self._calls.setdefault(module, attrs.get("source_module_object_"))

    def resource(self, module: Module, address: str) -> TfResource | None:
        key = (module, address)
        if key not in self._views:
            entry = self._by_scope.get(module, {}).get(address)
            if entry is None or entry["looked_up"]:
                return None
            body = unwrap(_rendered_once(entry["body"]))
            self._views[key] = TfResource(address, entry["type"], body, self, *module)
        return self._views[key]

    def of_type(self, module: Module, types: set[str]) -> list[TfResource]:
        by_type = self._by_type.get(module)
        if by_type is None:
            by_type = self._by_type[module] = {}
            for address, entry in sorted(self._by_scope.get(module, {}).items()):
                if not entry["looked_up"]:
                    by_type.setdefault(entry["type"], []).append(address)
        return [self.resource(module, address) for t in sorted(types) for address in by_type.get(t, [])]

    def call(self, module: Module) -> Any:
        """Checkov's module object (TFModule) of the call a module instance was reached by; None at
        the root."""
        return self._calls.get(module)

    def locate(self, conf: dict) -> tuple[Module, str] | None:
        """(module instance, address) of the resource whose configuration Checkov is checking (a
        plan check gets a copy of the graph's configuration: found by its file and address)."""
        if id(conf) in self._by_conf_id:
            return self._by_conf_id[id(conf)]
        files = conf.get("__file__")
        address = conf.get("__address__")
        if isinstance(files, list) and files and isinstance(address, str) and files[0].endswith(".json"):
            return (_scope_of(files[0]), ""), address
        return None


def _rendered_once(conf: dict) -> dict:
    """A copy of conf with its `dynamic` blocks rendered the way Checkov renders them for a check, once.

    Checkov renders them in place, in the graph's own configuration, before every check of the
    resource (appending an unexpanded block's content again each time). A body read from the
    graph therefore shows them rendered zero, one or several times, depending on which checks ran
    first; a view must not depend on that order (a key check resolving the streams that use it
    reads their bodies before their own checks ran).
    """
    out: dict = {}
    for k, v in conf.items():
        if isinstance(v, dict):
            v = _rendered_once(v)
        elif isinstance(v, list):
            v = [_rendered_once(item) if isinstance(item, dict) else item for item in v]
        out[k] = v
    dynamic = conf.get("dynamic")
    for entry in dynamic if isinstance(dynamic, list) else []:
        for name, spec in entry.items() if isinstance(entry, dict) else []:
            if isinstance(spec, dict) and "content" in spec:  # not expanded: Checkov shows the content
                content = spec["content"]
                out[name] = list(content) if isinstance(content, list) else [content]
            elif isinstance(spec, (dict, list)):  # expanded: the rendered blocks
                out[name] = spec if isinstance(spec, list) else [spec]
    return out


def _scope_of(file_path: str) -> str:
    """A plan file is its own world; .tf files of one directory form one module."""
    return file_path if file_path.endswith(".json") else os.path.dirname(file_path)


def plan_output_references(plan_file: str, call: str, output: str) -> list[str]:
    """The references of the output `output` of the module a plan calls as `call` (`module.a.module.b`,
    instance keys dropped: the configuration names calls, not their instances)."""
    node: Any = _plan_configuration(plan_file)
    for name in call.split(".")[1::2]:
        node = _get(_get(_get(node, "module_calls"), name), "module")
    refs = _get(_get(_get(_get(node, "outputs"), output), "expression"), "references")
    return [r for r in refs if isinstance(r, str)] if isinstance(refs, list) else []


def _get(node: Any, key: str) -> Any:
    return node.get(key) if isinstance(node, dict) else None


def _plan_configuration(plan_file: str) -> Any:
    """The plan's root module configuration, read once per scan (Checkov's graph has no outputs)."""
    configurations = _cache.setdefault("plans", {})
    if plan_file not in configurations:
        try:
            with open(plan_file, encoding="utf-8") as f:
                configurations[plan_file] = _get(_get(json.load(f), "configuration"), "root_module")
        except (OSError, ValueError, RecursionError):
            configurations[plan_file] = None
    return configurations[plan_file]


_cache: dict[str, Any] = {"graph": None, "index": None}


def current_graph() -> Any:
    """The graph of the scan in progress (None outside a Checkov scan): a token for per-scan caches."""
    return _cache["graph"]


def index_for(graph: Any) -> GraphIndex | None:
    """The index of this scan's graph, built on first use and reused for every resource."""
    if graph is None:
        return None
    if _cache["graph"] is not graph:
        _cache["index"] = GraphIndex(graph)
        _cache["graph"] = graph
        _cache["plans"] = {}
    return _cache["index"]


def view(conf: dict, rtype: str, graph: Any) -> TfResource:
    """The resource Checkov is checking, tied to its module in the graph when it can be found there."""
    index = index_for(graph)
    located = index.locate(conf) if index is not None else None
    if located is not None:
        module, address = located
        found = index.resource(module, address)
        if found is not None:
            return found
    address = conf.get("__address__") if isinstance(conf.get("__address__"), str) else rtype
    return TfResource(address, rtype, unwrap(conf), None, "")
