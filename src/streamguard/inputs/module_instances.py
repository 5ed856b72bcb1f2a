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
  none in that call (an argument not known statically leaves the default). What a finding says is
  still read from the module on its own.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from streamguard.inputs import hcl
from streamguard.inputs.errors import InputError
from streamguard.inputs.reading import MAX_INSTANCES


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


def call_instances(callers: dict[Path, list[tuple[Path, str]]], calls: dict[Path, dict], directory: Path,
                   visiting: frozenset[Path] = frozenset()) -> list[tuple[str, dict[str, Any]]]:
    """Every instance of `directory` as (the prefix its addresses take, the known values its call
    passes): [("", {})] when no scanned module calls it. `callers` maps a callee directory to its
    (caller directory, call name); `calls` a directory to its document's streamguard["calls"]. A
    call's count, for_each and arguments are decided in its caller's own instance, as Terraform
    (and Checkov) decide them."""
    if directory not in callers or directory in visiting:
        return [("", {})]
    instances = []
    for caller, name in callers[directory]:
        for outer, inputs in call_instances(callers, calls, caller, visiting | {directory}):
            keys, passed = hcl.called(calls[caller], inputs)
            call_keys = keys.get(f"module.{name}")
            if call_keys:
                instances += [(outer + call_address(name, k), passed[name]) for k in call_keys]
            else:
                instances.append((outer + call_address(name), passed[name]))
            _bounded(directory, len(instances))
    return instances


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
