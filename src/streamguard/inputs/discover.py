"""Find and load every input under the paths given: Terraform modules, plan JSON, CloudFormation.

A directory's .tf files form one module. JSON and YAML files are recognised by content: plan JSON
has `format_version` and plan sections, a template has `Resources` or `AWSTemplateFormatVersion`;
any other valid JSON/YAML (package.json, CI workflows, Kubernetes manifests) is not an input and
is skipped. A file that cannot be read is an InputError, and the scan goes on without it.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from streamguard.inputs import cfn, hcl
from streamguard.inputs.budget import InstanceBudget
from streamguard.inputs.errors import InputError, reading
from streamguard.inputs.module_instances import call_instances, directory_key, local_source, reported, values_key
from streamguard.inputs.plan_addresses import repeated_address
from streamguard.inputs.reading import read_text
from streamguard.parallel import Pool

TEMPLATE_SUFFIXES = (".yaml", ".yml", ".json", ".template")
SKIP_DIRS = {"node_modules", "__pycache__"}


@dataclass
class Source:
    """One input: kind is "terraform" (an HCL module), "plan" or "cloudformation"."""

    kind: str
    path: str
    document: dict
    locations: dict[str, dict]
    suppressions: dict[str, list[dict]] = field(default_factory=dict)  # address -> in-source skips
    reported: dict[str, list[str]] = field(default_factory=dict)  # address -> Checkov's names, where they differ

    def addresses_of(self, address: str) -> list[str]:
        """Where a finding about `address` is reported: its instances, below each call of this module."""
        return self.reported.get(address, [address])


def files_scanned(sources: list[Source]) -> int:
    """The files the inputs were read from (a module's .tf files that declare something), which
    every engine reports, whatever its findings."""
    return len({loc["file"] for s in sources for loc in s.locations.values()} | {
        s.path for s in sources if s.kind != "terraform"})


def is_module_file(name: str) -> bool:
    """A .tf file of its directory's module: Terraform ignores names starting with "." (and so
    does Checkov), so a hidden file declares nothing."""
    return name.endswith(".tf") and not name.startswith(".")


def _is_plan(body: object) -> bool:
    return isinstance(body, dict) and "format_version" in body and any(
        k in body for k in ("planned_values", "configuration", "resource_changes"))


def _check_plan_version(path: str, body: dict) -> None:
    """Plan JSON format 1.x is what streamguard reads; a newer major version may mean other things."""
    version = str(body.get("format_version", ""))
    if not version.split(".")[0] == "1":
        raise InputError(path, f"plan JSON format_version {version!r} is not supported (streamguard reads 1.x)")


def _check_addresses(path: str, document: dict) -> None:
    """Reject a plan that names a resource twice."""
    if repeated := repeated_address(document):
        raise InputError(path, f"resource address {repeated[0]} appears more than once in {repeated[1]}")


def _plan_locations(path: str, text: str, body: dict) -> dict[str, dict]:
    """Line of each resource's first `"address": "..."` in the plan file."""
    locations = {}
    for line_no, line in enumerate(text.splitlines(), start=1):
        marker = line.find('"address"')
        if marker < 0:
            continue
        value = line[marker:].split(":", 1)[-1].strip().strip(",").strip()
        if value.startswith('"') and value.endswith('"'):
            locations.setdefault(value[1:-1], {"file": path, "line": line_no})
    return locations


def _resource_type(resources: dict, name: str) -> str | None:
    body = resources.get(name)
    rtype = body.get("Type") if isinstance(body, dict) else None
    return rtype if isinstance(rtype, str) else None


def load_file(path: str) -> Source | None:
    """A plan or template file as a Source; None when the file is valid but not an input."""
    text = read_text(path)
    if path.endswith(".json"):
        body = cfn.parse_json(path, text)
        if _is_plan(body):
            _check_plan_version(path, body)
            _check_addresses(path, body)
            return Source("plan", path, body, _plan_locations(path, text, body))
    template = cfn.parse(path, text)
    if template is None:
        return None
    locations = {}
    resources = template.body.get("Resources") or {}
    skips = {f"{_resource_type(resources, name)}.{name}": found for name, found in template.skips.items()}
    for key, line in template.lines.items():
        section, name = key.split(".", 1)
        rtype = _resource_type(resources, name) if section == "Resources" else None
        address = f"{rtype}.{name}" if isinstance(rtype, str) else key
        locations[address] = {"file": path, "line": line}
    return Source("cloudformation", path, template.body, locations, skips)


def _walk(root: Path, errors: list[InputError]):
    """(directory, files) under root, in a stable order; hidden and vendored folders are skipped,
    symbolic links to folders are not followed (no loops), unreadable folders are errors."""
    def unreadable(exc: OSError) -> None:
        errors.append(InputError(exc.filename or str(root), exc.strerror or "cannot be read"))

    for dirpath, dirnames, filenames in os.walk(root, onerror=unreadable, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d not in SKIP_DIRS)
        yield Path(dirpath), sorted(filenames)


def _module_calls(document: dict) -> dict[str, dict]:
    return document["configuration"]["root_module"]["module_calls"]


# A local module call: (callee directory, caller directory, call name).
_Call = tuple[Path, Path, str]


# A module directory as loaded: the directory, its document and metadata with its variables'
# defaults, and its files' parses (a call that passes values reads them again, not the files).
_Loaded = tuple[Path, dict, dict, dict[Path, dict | InputError]]


def _load_modules(modules: dict[Path, list[Path]], pool: Pool, errors: list[InputError],
                  ) -> tuple[dict[Path, _Loaded], list[_Call]]:
    """Each module directory's document and metadata, keyed by its absolute path, together with the
    directories their local module calls reach, wherever those are (Checkov loads them too); and
    those calls."""
    loaded: dict[Path, _Loaded] = {}
    calls: list[_Call] = []
    pending = {directory_key(d): (d, files) for d, files in modules.items()}
    attempted = set(pending)
    while pending:
        all_tf = [f for _, tf_files in pending.values() for f in tf_files]
        parsed = dict(zip(all_tf, pool.map(hcl.parse_file, all_tf), strict=True))
        reached: dict[Path, tuple[Path, list[Path]]] = {}
        for key, (directory, tf_files) in sorted(pending.items()):
            try:
                with reading(str(directory)):
                    module_calls = _load_module(key, directory, tf_files, parsed, loaded, errors)
            except InputError as exc:
                errors.append(exc)
                continue
            for name, callee in module_calls:
                calls.append((callee, key, name))
                if callee not in attempted and callee.is_dir():
                    attempted.add(callee)
                    if tf_files := sorted(p for p in callee.glob("*.tf") if is_module_file(p.name)):
                        reached[callee] = (callee, tf_files)
        pending = reached
    return loaded, calls


def _load_module(key: Path, directory: Path, tf_files: list[Path], parsed: dict, loaded: dict,
                 errors: list[InputError]) -> list[tuple[str, Path]]:
    """Load one module directory into `loaded`; its local module calls: (name, callee)."""
    document, module_errors = hcl.load_module(tf_files, parsed)
    errors.extend(module_errors)
    if document is None:
        return []
    meta = document.pop("streamguard")
    if repeated := repeated_address(document):  # named by the file of its last declaration
        address = repeated[0]
        raise InputError(meta["locations"].get(address, {}).get("file", str(directory)),
                         f"resource {address} is declared more than once in this module", module=str(directory))
    if meta["repeated"]:
        address, path = meta["repeated"][0]
        raise InputError(path, f"{address} is declared more than once in this module", module=str(directory))
    calls = []
    for name, call in sorted(_module_calls(document).items()):
        callee = local_source(directory, call.get("source"))
        if callee is not None:
            calls.append((name, callee))
    loaded[key] = (directory, document, meta, {path: parsed[path] for path in tf_files})
    return calls


def _terraform_sources(modules: dict[Path, list[Path]], pool: Pool, errors: list[InputError]) -> list[Source]:
    """One source per module directory and distinct set of values its calls pass, its findings
    reported at the addresses Checkov gives that set's call instances
    (streamguard.inputs.module_instances); each with the local modules it calls (with_called_modules)."""
    loaded, calls = _load_modules(modules, pool, errors)
    callers: dict[Path, list[tuple[Path, str]]] = {}
    for callee, caller, name in calls:
        if callee in loaded:
            callers.setdefault(callee, []).append((caller, name))
    module_calls = {key: meta["calls"] for key, (_, _, meta, _) in loaded.items()}
    sources: dict[Path, list[tuple[Source, list[str]]]] = {}  # each source with its instance prefixes
    budget = InstanceBudget()
    for key, (directory, document, meta, parsed) in sorted(loaded.items()):
        try:
            with reading(str(directory)):
                groups: dict = {}
                module_sources = []
                for prefix, inputs, values in call_instances(callers, module_calls, key):
                    groups.setdefault(values_key(values), (values, []))[1].append(
                        (prefix, hcl.called(meta["calls"], inputs)[0]))
                for values, instances in groups.values():
                    group_document, group_meta = _with_values(document, meta, parsed, values)
                    budget.spend(str(directory), list(group_meta["locations"]), instances)
                    names = reported(directory, list(group_meta["locations"]), instances)
                    module_sources.append((Source("terraform", str(directory), group_document, group_meta["locations"],
                                                  group_meta["suppressions"], names), [p for p, _ in instances]))
        except InputError as exc:
            errors.append(exc)
            continue
        sources[key] = module_sources
    called_by: dict[Path, list[tuple[str, Path]]] = {}
    for callee, caller, name in calls:
        if callee in sources and caller in sources:  # within the instance budget
            called_by.setdefault(caller, []).append((name, callee))
    for key, module_sources in sources.items():
        for source, prefixes in module_sources:
            called = [(name, _called_instances(name, prefixes, sources[callee]))
                      for name, callee in called_by.get(key, [])]
            source.document = with_called_modules(source.document, called)
    return [source for key in sorted(sources) for source, _ in sources[key]]


def _called_instances(name: str, prefixes: list[str], callee_sources: list[tuple[Source, list[str]]],
                      ) -> dict[str, dict]:
    """The instances of the call `name` one caller source makes: their address in the caller
    (`module.keys`, `module.keys[0]`) and the callee's document for the values that instance passes."""
    found: dict[str, dict] = {}
    for source, callee_prefixes in callee_sources:
        for callee_prefix in callee_prefixes:
            for prefix in prefixes:
                local = callee_prefix.removeprefix(prefix) if callee_prefix.startswith(prefix) else ""
                if _one_call(local, name):
                    found.setdefault(local.removesuffix("."), source.document)
    return found


def _one_call(local: str, name: str) -> bool:
    """Whether an address prefix is one instance of the call `name` (`module.keys.`,
    `module.keys[0].`, `module.keyed["eu"].`: module_instances.call_address), not a deeper one."""
    if not local.startswith(f"module.{name}"):
        return False
    rest = local.removeprefix(f"module.{name}")
    if rest == ".":
        return True
    if not (rest.startswith("[") and rest.endswith("].")):
        return False
    try:
        json.loads(rest[1:-2])  # key_text writes an int or a JSON string
    except ValueError:
        return False
    return True


def with_called_modules(document: dict, called: list[tuple[str, dict[str, dict]]]) -> dict:
    """The document of a module with the local modules it calls (name, and each instance's address
    with the callee's document for it) in plan JSON's shape: their configuration below
    `module_calls`, their resources in `child_modules` at each call instance's address. A reference
    through a called module's output (`module.keys.key_arn`) then reaches the resource it returns,
    as in a plan. The called modules are evaluated and reported on their own, so each such child
    module says `reported_on_its_own` (the policies do not report it again); and one level deep: a
    module they call in turn is not followed from here."""
    called = [(name, instances) for name, instances in called if instances]
    if not called:
        return document
    root = document["configuration"]["root_module"]
    calls = dict(root["module_calls"])
    children = []
    changes = list(document["resource_changes"])
    for name, instances in called:
        callee_root = next(iter(instances.values()))["configuration"]["root_module"]
        calls[name] = {**calls[name], "module": {"resources": callee_root["resources"],
                                                 "outputs": callee_root["outputs"]}}
        for address, callee in sorted(instances.items()):
            children.append({"address": address, "reported_on_its_own": True, "resources": [
                {**r, "address": f"{address}.{r['address']}"}
                for r in callee["planned_values"]["root_module"]["resources"]]})
            changes += [{**rc, "address": f"{address}.{rc['address']}"} for rc in callee["resource_changes"]]
    return {**document,
            "planned_values": {"root_module": {**document["planned_values"]["root_module"], "child_modules": children}},
            "resource_changes": changes,
            "configuration": {**document["configuration"], "root_module": {**root, "module_calls": calls}}}


def _with_values(document: dict, meta: dict, parsed: dict, values: dict) -> tuple[dict, dict]:
    """The module's document and metadata as a call passing `values` makes them (its files' errors
    were reported when it was first loaded)."""
    if not values:
        return document, meta
    called_document, _ = hcl.load_module(sorted(parsed), parsed, values)
    return called_document, called_document.pop("streamguard")


def _walk_reaches(directory: str, path: str) -> bool:
    """Whether the walk of `directory` reads `path` (both real paths): below it, in no hidden or
    vendored folder."""
    parts = Path(os.path.relpath(path, directory)).parts
    folders = parts if os.path.isdir(path) else parts[:-1]
    return parts[0] != ".." and not any(p.startswith(".") or p in SKIP_DIRS for p in folders)


def distinct_paths(paths: list[str]) -> list[str]:
    """The paths given, each file once: a path given again (`infra infra/`, through a link) or one
    the walk of another given directory reads (`infra infra/main.tf`) is dropped, so its resources
    are not read twice (and declared "more than once")."""
    real = [os.path.realpath(raw) for raw in paths]
    directories = {r for r in real if os.path.isdir(r)}
    kept: list[str] = []
    seen: set[str] = set()
    for raw, path in zip(paths, real, strict=True):
        if path in seen or any(d != path and _walk_reaches(d, path) for d in directories):
            continue
        seen.add(path)
        kept.append(raw)
    return kept


def discover(paths: list[str], pool: Pool | None = None) -> tuple[list[Source], list[InputError]]:
    """Every input under paths, and an error for each file that could not be read."""
    sources: list[Source] = []
    errors: list[InputError] = []
    modules: dict[Path, list[Path]] = {}
    files: list[Path] = []
    for raw in distinct_paths(paths):
        root = Path(raw)
        if root.is_dir():
            for directory, names in _walk(root, errors):
                for name in names:
                    full = directory / name
                    if is_module_file(name):
                        modules.setdefault(directory, []).append(full)
                    elif name.endswith(TEMPLATE_SUFFIXES):
                        files.append(full)
        elif os.path.lexists(raw):  # a file, a dangling link, a pipe: read_text names what it is
            if raw.endswith(".tf"):
                modules.setdefault(root.parent, []).append(root)
            else:
                files.append(root)
        else:
            errors.append(InputError(raw, "no such file or directory"))
    sources += _terraform_sources(modules, pool or Pool(), errors)
    for path in sorted(set(files)):
        try:
            with reading(str(path)):
                source = load_file(str(path))
        except InputError as exc:
            errors.append(exc)
            continue
        if source is not None:
            sources.append(source)
    return sources, errors
