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
"""

from __future__ import annotations

import json
import os
from pathlib import Path

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


def call_prefixes(calls: dict[Path, list[tuple[Path, str, list | None]]], directory: Path,
                  visiting: frozenset[Path] = frozenset()) -> list[str]:
    """Every address prefix the resources of `directory` take: [""] when no scanned module calls
    it. `calls` maps a callee directory to its (caller directory, call name, instance keys)."""
    if directory not in calls or directory in visiting:
        return [""]
    prefixes = []
    for caller, name, keys in calls[directory]:
        for outer in call_prefixes(calls, caller, visiting | {directory}):
            if keys:
                prefixes += [outer + call_address(name, k) for k in keys]
            else:
                prefixes.append(outer + call_address(name))
            _bounded(directory, len(prefixes))
    return prefixes


def _bounded(directory: Path, count: int) -> None:
    """Nested counted calls multiply: a hostile tree must not turn into billions of addresses."""
    if count > MAX_INSTANCES:
        raise InputError(str(directory), f"this module is called in more than {MAX_INSTANCES:,} instances")


def reported(directory: Path, addresses: list[str], instances: dict[str, list], prefixes: list[str],
             ) -> dict[str, list[str]]:
    """address -> the addresses its findings are reported at, for those that differ from it."""
    _bounded(directory, len(prefixes) * max((len(keys) for keys in instances.values()), default=1))
    out: dict[str, list[str]] = {}
    for address in addresses:
        if address.startswith("module."):
            names = [address if not prefix else f"{prefix}{address.removeprefix('module.')}" for prefix in prefixes]
        elif address not in instances:
            names = [f"{prefix}{address}" for prefix in prefixes]
        else:
            names = [f"{prefix}{address}{key_text(k)}" for prefix in prefixes for k in instances[address]]
        if names != [address]:
            out[address] = names
    return out
