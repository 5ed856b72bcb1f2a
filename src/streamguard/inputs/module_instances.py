"""Terraform addresses as Checkov names them: instances of counted blocks, and resources of called modules.

Each directory of .tf files is read and evaluated once, on its own (streamguard.inputs.hcl), the
way streamguard's Checkov checks read it (streamguard.logic.tf_source). Its findings are then
reported at every address Checkov gives the same block, so both engines name them alike:

- `count = 2` gives `type.name[0]` and `type.name[1]`, a for_each `type.name["key"]` per key;
  `count = 0` or an empty for_each gives none; a count or for_each not known statically leaves
  `type.name` as written.
- A directory that a scanned module calls with a local `source` is reported once per call, below
  the call: `module.a.type.name`, `module.a[0].module.b.type.name`, `module.a.variable.x`. A call
  whose count or for_each is unknown, zero or empty stays `module.a`, and a module call inside a
  called module is named `<prefix><name>` (`module.a.inner`): both as Checkov 3 does.
- Which instances a called module's blocks have is decided in each call from the values it passes,
  as Terraform and Checkov decide it: `create = false` into `count = var.create ? 1 : 0` creates
  none in that call (an argument not known statically leaves the default).
- What a finding says is read with the values its call instance passes, as Terraform evaluates the
  call: a variable the call passes takes that value (UNKNOWN when not known statically: a resource
  attribute, a registry module's output), one it does not pass keeps its default. The Rego engine
  reads a module once per distinct set of values (discover); the Checkov checks find their
  instance's values from the calls Checkov reached the module through (instance_values).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any

from streamguard.inputs import hcl
from streamguard.inputs.errors import InputError
from streamguard.inputs.reading import MAX_INSTANCES
from streamguard.unknown import UNKNOWN


def local_source(directory: Path, source: object) -> Path | None:
    """The directory a module call's local `source` (./x, ../x) points at; None for a registry,
    git or other remote source, which Checkov does not download either (--skip-download)."""
    if not isinstance(source, str) or not source.startswith(("./", "../")):
        return None
    return directory_key(directory / source)


def directory_key(directory: Path | str) -> Path:
    """One name per directory however it was reached (relative, `..`, trailing slash)."""
    return Path(os.path.normpath(os.path.abspath(directory)))


def key_text(key: int | str) -> str:
    """`[0]` for a count index, `["name"]` for a for_each key."""
    return f"[{key}]" if isinstance(key, int) else f"[{json.dumps(key)}]"


def call_address(name: str, key: int | str | None = None) -> str:
    """The prefix one module call adds to the addresses inside it: `module.a.`, `module.a[0].`."""
    return f"module.{name}{'' if key is None else key_text(key)}."


# One instance of a module: the prefix its addresses take, the known values its call passes (they
# decide counts), and every value it passes, UNKNOWN included (what its blocks read).
Instance = tuple[str, dict[str, Any], dict[str, Any]]


def call_instances(callers: dict[Path, list[tuple[Path, str]]], calls: dict[Path, dict], directory: Path,
                   visiting: frozenset[Path] = frozenset()) -> list[Instance]:
    """Every instance of `directory`: [("", {}, {})] when no scanned module calls it. `callers` maps
    a callee directory to its (caller directory, call name); `calls` a directory to its document's
    streamguard["calls"]. A call's count, for_each and arguments are decided in its caller's own
    instance, as Terraform (and Checkov) decide them."""
    if directory not in callers or directory in visiting:
        return [("", {}, {})]
    instances: list[Instance] = []
    for caller, name in callers[directory]:
        for outer, inputs, values in call_instances(callers, calls, caller, visiting | {directory}):
            keys, passed, passed_values = hcl.called(calls[caller], inputs, values)
            call_keys = keys.get(f"module.{name}")
            prefixes = [outer + call_address(name, k) for k in call_keys] if call_keys else [outer + call_address(name)]
            instances += [(prefix, passed[name], passed_values[name]) for prefix in prefixes]
            _bounded(directory, len(instances))
    return instances


def instance_values(chain: list[tuple[Path, str]], directory: Path, prefix: str,
                    calls_of: Callable[[Path], dict | None]) -> dict[str, Any]:
    """Every value the call instance `prefix` of `directory` passes, found as call_instances finds
    it along `chain`, the (caller directory, call name) of each call it was reached through,
    outermost first (Checkov's module objects name them); {} when none matches (its defaults).
    `calls_of` gives a directory's streamguard["calls"], None when it cannot be read."""
    callers: dict[Path, list[tuple[Path, str]]] = {}
    callee = directory
    for caller, name in reversed(chain):
        callers[callee] = [(caller, name)]
        callee = caller
    calls = {caller: calls_of(caller) for caller, _ in chain}
    if any(c is None for c in calls.values()):
        return {}
    return next((values for p, _, values in call_instances(callers, calls, directory) if p == prefix), {})


def checkov_chain(module: Any) -> list[tuple[Path, str]]:
    """(caller directory, call name) of each call a Checkov module object (TFModule: the file of
    its call, its name, the module that called it) was reached through, outermost first."""
    chain = []
    while module is not None:
        chain.append((directory_key(os.path.dirname(module.path)), module.name))
        module = module.nested_tf_module
    return list(reversed(chain))


def values_key(values: Any) -> Hashable:
    """One key per distinct set of passed values (a bool is not its int, UNKNOWN is no value)."""
    if isinstance(values, dict):
        return ("map", tuple(sorted((k, values_key(v)) for k, v in values.items())))
    if isinstance(values, list):
        return ("list", tuple(map(values_key, values)))
    return ("unknown",) if values is UNKNOWN else (type(values).__name__, values)


def _bounded(directory: Path, count: int) -> None:
    """Nested counted calls multiply: a hostile tree must not turn into billions of addresses."""
    if count > MAX_INSTANCES:
        raise InputError(str(directory), f"this module is called in more than {MAX_INSTANCES:,} instances")


def reported(directory: Path, addresses: list[str], instances: list[tuple[str, dict[str, list | None]]],
             ) -> dict[str, list[str]]:
    """address -> the addresses its findings are reported at, for those that differ from it.
    `instances` holds each instance of the module: its prefix, and the instance keys its call gives
    the counted blocks (none for a block its call creates no instance of)."""
    _bounded(directory, sum(max((len(k) for k in keys.values() if k), default=1) for _, keys in instances))
    out: dict[str, list[str]] = {}
    for address in addresses:
        names = []
        for prefix, keys in instances:
            if address.startswith("module."):
                names.append(f"{prefix}{address.removeprefix('module.')}" if prefix else address)
            elif keys.get(address) is None:
                names.append(f"{prefix}{address}")
            else:
                names += [f"{prefix}{address}{key_text(k)}" for k in keys[address]]
        if names != [address]:
            out[address] = names
    return out
