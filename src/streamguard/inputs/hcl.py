"""A directory of Terraform files (one module) as a document in `terraform show -json` shape.

The Rego policies are written once, against plan JSON. This loader gives them the same shape for
HCL: `planned_values` holds what is statically known, `resource_changes[].change.after_unknown`
marks what is not, and `configuration` carries each expression's `references`, with variables and
locals resolved first (so a reference through a local points at the resource behind it).
"""

from __future__ import annotations

import pickle
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import hcl2

from streamguard.inputs import hcl_parentheses, suppressions  # noqa: F401  (hcl_parentheses: on import)
from streamguard.inputs.errors import InputError, reading
from streamguard.inputs.reading import MAX_INSTANCES, check_document, read_text, time_limit
from streamguard.inputs.tf_expressions import Result, Scope, evaluate
from streamguard.unknown import UNKNOWN

_META_ARGS = {"count", "for_each", "depends_on", "provider", "lifecycle", "provisioner", "connection"}


def _unwrap(value: Any) -> Any:
    """python-hcl2 wraps every attribute value in a one-element list."""
    if isinstance(value, list) and len(value) == 1:
        return value[0]
    return value


def _is_block_list(value: Any) -> bool:
    """Nested blocks arrive as lists of dicts whose own attributes are wrapped in lists."""
    return (
        isinstance(value, list)
        and len(value) > 0
        and all(isinstance(b, dict) and all(isinstance(v, list) or k.startswith("__") for k, v in b.items())
                for b in value)
        and any(b for b in value)
    ) or (isinstance(value, list) and len(value) == 1 and value[0] == {})


class _Converter:
    """Turns one block body into (values, after_unknown, expressions) for the plan document."""

    def __init__(self, scope: Scope):
        self.scope = scope

    def attribute(self, raw: Any, scope: Scope) -> tuple[Any, Any, dict]:
        result: Result = evaluate(_unwrap(raw), scope)
        return self._split(result.value), self._unknown_mask(result.value), self._expression(result)

    def _split(self, value: Any) -> Any:
        """Known part of a value: unknown map entries dropped, unknown list items null."""
        if value is UNKNOWN:
            return None
        if isinstance(value, dict):
            return {k: self._split(v) for k, v in value.items() if v is not UNKNOWN}
        if isinstance(value, list):
            return [self._split(v) for v in value]
        return value

    def _unknown_mask(self, value: Any) -> Any:
        if value is UNKNOWN:
            return True
        if isinstance(value, dict):
            mask = {k: self._unknown_mask(v) for k, v in value.items()}
            return {k: v for k, v in mask.items() if v is not False} or False
        if isinstance(value, list):
            mask = [self._unknown_mask(v) for v in value]
            return mask if any(m is not False for m in mask) else False
        return False

    @staticmethod
    def _expression(result: Result) -> dict:
        if result.value is not UNKNOWN and not result.references:
            return {"constant_value": _Converter._strip_unknown(result.value)}
        prefix, suffix = result.affixes
        # Not in terraform show -json, which has no templates: only the HCL reader knows them.
        affixes = {"literal_prefix": prefix, "literal_suffix": suffix} if prefix or suffix else {}
        return {"references": result.references, **affixes}

    @staticmethod
    def _strip_unknown(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: _Converter._strip_unknown(v) for k, v in value.items() if v is not UNKNOWN}
        if isinstance(value, list):
            return [None if v is UNKNOWN else _Converter._strip_unknown(v) for v in value]
        return value

    def body(self, body: dict, scope: Scope) -> tuple[dict, dict, dict]:
        values: dict = {}
        unknown: dict = {}
        exprs: dict = {}
        for key, raw in body.items():
            if key.startswith("__") or key in _META_ARGS:
                continue
            if key == "dynamic":
                for dyn in raw if isinstance(raw, list) else [raw]:
                    for name, spec in (dyn or {}).items():
                        self._dynamic(name, spec, scope, values, unknown, exprs)
                continue
            if _is_block_list(raw):
                blocks = [self.body(b, scope) for b in raw]
                values.setdefault(key, []).extend(b[0] for b in blocks)
                exprs.setdefault(key, []).extend(b[2] for b in blocks)
                masks = [b[1] or False for b in blocks]
                if any(masks):
                    unknown[key] = masks
                continue
            value, mask, expr = self.attribute(raw, scope)
            if value is not None:
                values[key] = value
            if mask is not False:
                unknown[key] = mask
            exprs[key] = expr
        return values, unknown, exprs

    def _dynamic(self, name: str, spec: dict, scope: Scope, values: dict, unknown: dict, exprs: dict) -> None:
        """Expand a dynamic block when its for_each is known; otherwise the whole block is unknown."""
        spec = spec if isinstance(spec, dict) else {}
        items = evaluate(_unwrap(spec.get("for_each", [None])), scope).value
        iterator = _unwrap(spec.get("iterator", [name]))
        contents = spec.get("content") or [{}]
        content = contents[0] if isinstance(contents, list) else contents
        if isinstance(items, dict):
            pairs = list(items.items())
        elif isinstance(items, list) and UNKNOWN not in items:
            pairs = list(enumerate(items))
        else:
            unknown[name] = True
            exprs.setdefault(name, [])
            return
        for key, item in pairs:
            block_values, block_unknown, block_exprs = self.body(content, scope.with_iterator(iterator, key, item))
            values.setdefault(name, []).append(block_values)
            exprs.setdefault(name, []).append(block_exprs)
            if block_unknown:
                unknown.setdefault(name, []).append(block_unknown)


# Parses another reader of this process already made, by exact text, each taken at most once
# (streamguard.checkov.parses offers Checkov's). python-hcl2's result depends on the text alone, so
# taking one gives the document a second parse would.
_offered: dict[str, bytes] = {}


def offer_parse(text: str, parsed: dict) -> None:
    """Keep a snapshot of text's parse (pickled: the offerer may change its own afterwards, and one
    bytes object per file is all a waiting offer holds)."""
    _offered[text] = pickle.dumps(parsed, pickle.HIGHEST_PROTOCOL)


def drop_offered_parses() -> None:
    _offered.clear()


def _parse_file(path: Path) -> dict:
    """One file's parse; an empty file (or only comments) is valid HCL that declares nothing."""
    text = read_text(str(path))
    try:
        with time_limit(str(path), "parsing the HCL"):
            parsed = pickle.loads(_offered.pop(text)) if text in _offered else hcl2.loads(text)
    except InputError:
        raise
    except RecursionError:
        raise InputError(str(path), "invalid HCL: nested too deeply") from None
    except Exception as exc:  # noqa: BLE001 - python-hcl2 raises lark errors of many kinds
        line = getattr(exc, "line", None)
        where = f" at line {line}" if isinstance(line, int) and line > 0 else ""
        raise InputError(str(path), f"invalid HCL{where}") from None
    if not isinstance(parsed, dict):
        raise InputError(str(path), "invalid HCL")
    check_document(str(path), parsed)
    return parsed


def _skips_inside(path: Path, body: dict, cache: dict[Path, list[str]]) -> list[dict]:
    """Checkov skip comments on the lines strictly inside a block, as Checkov reads them."""
    if path not in cache:
        text = path.read_text(encoding="utf-8-sig", errors="replace")
        cache[path] = text.splitlines() if "skip=" in text else []
    first, last = body.get("__start_line__"), body.get("__end_line__")
    if not cache[path] or not isinstance(first, int) or not isinstance(last, int):
        return []
    return suppressions.in_lines(cache[path], first + 1, last - 1)


def _add_skips(suppressions: dict[str, list[dict]], address: str, skips: list[dict]) -> None:
    """Providers, module calls and variables take skips too: Checkov (or, for variables,
    streamguard.checkov.sections) honours them there as on resources."""
    if skips:
        suppressions[address] = skips


def _instance_keys(path: Path, body: dict, scope: Scope) -> list[int | str] | None:
    """The keys of a block's instances: `count = 2` gives 0 and 1, a for_each its map's keys or its
    set's strings. None when the block is not repeated or its count or for_each is not known; an
    InputError beyond MAX_INSTANCES (a hostile `count = 1e9` must not fill the memory)."""
    if "count" in body:
        count = evaluate(_unwrap(body["count"]), scope).value
        if not isinstance(count, int) or isinstance(count, bool) or count < 0:
            return None
        if count > MAX_INSTANCES:
            raise InputError(str(path), f"count = {count} at line {body.get('__start_line__', 1)} "
                             f"is beyond {MAX_INSTANCES:,} instances")
        return list(range(count))
    if "for_each" in body:
        items = evaluate(_unwrap(body["for_each"]), scope).value
        if isinstance(items, dict):
            return list(items)
        if isinstance(items, list) and all(isinstance(item, str) for item in items):
            return list(dict.fromkeys(items))
    return None


def _entries(parsed: dict, kind: str):
    """(name, body) pairs of a top-level block kind: `variable "x" {}` -> ("x", {...})."""
    for block in parsed.get(kind, []) or []:
        if isinstance(block, dict):
            yield from block.items()


def parse_file(path: Path) -> dict | InputError:
    """One .tf file parsed, or the error that names it: a value, never an exception, so one file
    cannot end a process pool's map, and an error crosses the pool like a result."""
    try:
        with reading(str(path)):
            return _parse_file(path)
    except InputError as exc:
        return exc


def load_module(files: list[Path], parsed: dict[Path, dict | InputError] | None = None,
                inputs: dict[str, Any] | None = None) -> tuple[dict | None, list[InputError]]:
    """Build the plan-shaped document for the .tf files of one directory; unreadable files are errors.

    `parsed` may hold the files already parsed (the scan parses a large tree in a process pool).
    `inputs` are the values one call of the module passes (UNKNOWN where not known statically): its
    blocks read them instead of the variables' defaults, as Terraform evaluates a call.
    """
    parsed = parsed or {}
    parsed_files: list[tuple[Path, dict]] = []
    errors: list[InputError] = []
    for path in sorted(files):
        result = parsed[path] if path in parsed else parse_file(path)
        if isinstance(result, InputError):
            errors.append(result)
        else:
            parsed_files.append((path, result))
    if not parsed_files:
        return None, errors
    return _document(parsed_files, errors, inputs or {}), errors


@dataclass
class _Parts:
    """What files add to a module's document. Each file's parts are built on their own and merged
    once the whole file was read, so a file the loader fails on is left out, not half in."""

    variables: dict[str, Any] = field(default_factory=dict)
    variable_config: dict[str, dict] = field(default_factory=dict)
    local_exprs: dict[str, Any] = field(default_factory=dict)
    locals_config: dict[str, dict] = field(default_factory=dict)
    locations: dict[str, dict] = field(default_factory=dict)
    suppressions: dict[str, list[dict]] = field(default_factory=dict)
    instances: dict[str, list[int | str]] = field(default_factory=dict)
    repeats: dict[str, tuple[str, dict]] = field(default_factory=dict)
    call_arguments: dict[str, dict] = field(default_factory=dict)
    planned: list[dict] = field(default_factory=list)
    changes: list[dict] = field(default_factory=list)
    config_resources: list[dict] = field(default_factory=list)
    providers: dict[str, dict] = field(default_factory=dict)
    outputs: dict[str, dict] = field(default_factory=dict)
    module_calls: dict[str, dict] = field(default_factory=dict)

    def merge(self, other: _Parts) -> None:
        for each in fields(self):
            mine = getattr(self, each.name)
            (mine.extend if isinstance(mine, list) else mine.update)(getattr(other, each.name))


def _file_parts(parsed_files: list[tuple[Path, dict]], errors: list[InputError], build) -> dict[Path, _Parts]:
    """build(path, parsed, parts) for each file; a file it fails on is one error, and left out."""
    built = {}
    for path, parsed in parsed_files:
        parts = _Parts()
        try:
            with reading(str(path)):
                build(path, parsed, parts)
        except InputError as exc:
            errors.append(exc)
            continue
        built[path] = parts
    return built


def _merged(*groups: Iterable[_Parts]) -> _Parts:
    whole = _Parts()
    for group in groups:
        for parts in group:
            whole.merge(parts)
    return whole


def _document(parsed_files: list[tuple[Path, dict]], errors: list[InputError], inputs: dict[str, Any]) -> dict:
    """The plan-shaped document of one module's parsed files (declarations first: every block may
    read any file's variables and locals), its blocks reading the values `inputs` passes; a file
    that cannot be read into it is one error. The variables' own config (SG_304 reads it) and the
    module's calls keep the declared defaults: they are what the files say."""
    file_lines: dict[Path, list[str]] = {}
    declared_names: set[str] = set()
    repeated: list[tuple[str, str]] = []  # (address, file of its second declaration)

    def declare(address: str, path: Path) -> None:
        """Terraform rejects a second provider (same alias), variable, output, module call or local
        of one name (override files aside); keeping only the last would hide what the first holds."""
        if path.name == "override.tf" or path.name.endswith("_override.tf"):
            return
        if address in declared_names:
            repeated.append((address, str(path)))
        declared_names.add(address)

    def declarations(path: Path, parsed: dict, parts: _Parts) -> None:
        for name, body in _entries(parsed, "variable"):
            body = body if isinstance(body, dict) else {}
            declare(f"variable.{name}", path)
            default = evaluate(_unwrap(body["default"]), Scope({}, {})).value if "default" in body else UNKNOWN
            parts.variables[name] = default
            parts.variable_config[name] = {"default": default} if default is not UNKNOWN else {}
            parts.locations[f"variable.{name}"] = {"file": str(path), "line": body.get("__start_line__", 1)}
            _add_skips(parts.suppressions, f"variable.{name}", _skips_inside(path, body, file_lines))
        for name, raw, line in _locals(parsed):
            declare(f"locals.{name}", path)
            parts.local_exprs[name] = raw
            parts.locations[f"locals.{name}"] = {"file": str(path), "line": line}

    declared = _file_parts(parsed_files, errors, declarations)
    known = _merged(declared.values())
    scope = Scope({**known.variables, **{k: v for k, v in inputs.items() if k in known.variables}},
                  known.local_exprs)
    convert = _Converter(scope)

    def blocks(path: Path, parsed: dict, parts: _Parts) -> None:
        for kind, mode, prefix in (("resource", "managed", ""), ("data", "data", "data.")):
            for rtype, named in _entries(parsed, kind):
                for name, body in (named or {}).items():
                    body = body if isinstance(body, dict) else {}
                    address = f"{prefix}{rtype}.{name}"
                    keys = _instance_keys(path, body, scope)
                    if keys == []:  # count = 0 or an empty for_each: Terraform creates nothing
                        continue
                    if keys is not None:
                        parts.instances[address] = keys
                    _add_repeat(parts.repeats, address, path, body)
                    values, unknown, exprs = convert.body(body, scope)
                    head = {"address": address, "mode": mode, "type": rtype, "name": name}
                    parts.planned.append({**head, "values": values})
                    parts.changes.append({**head, "change": {"actions": ["create"], "after": values,
                                                             "after_unknown": unknown}})
                    parts.config_resources.append({**head, "expressions": exprs})
                    parts.locations[address] = {"file": str(path), "line": body.get("__start_line__", 1)}
                    _add_skips(parts.suppressions, address, _skips_inside(path, body, file_lines))
        for pname, body in _entries(parsed, "provider"):
            body = body if isinstance(body, dict) else {}
            alias = evaluate(_unwrap(body.get("alias", [None])), scope).value
            key = f"{pname}.{alias}" if isinstance(alias, str) else pname
            _, _, exprs = convert.body(body, scope)
            parts.providers[key] = {"name": pname, "expressions": exprs, **({"alias": alias} if key != pname else {})}
            address = f"{pname}.{alias if isinstance(alias, str) else 'default'}"
            if isinstance(alias, str) or "alias" not in body:  # an alias not known statically is no name
                declare(f"provider {address}", path)
            parts.locations[address] = {"file": str(path), "line": body.get("__start_line__", 1)}
            _add_skips(parts.suppressions, address, _skips_inside(path, body, file_lines))
        for oname, body in _entries(parsed, "output"):
            body = body if isinstance(body, dict) else {}
            _, _, exprs = convert.body({"value": body.get("value", [None])}, scope)
            declare(f"output.{oname}", path)
            parts.outputs[oname] = {"expression": exprs["value"]}
            parts.locations[f"output.{oname}"] = {"file": str(path), "line": body.get("__start_line__", 1)}
        for mname, body in _entries(parsed, "module"):
            body = body if isinstance(body, dict) else {}
            args = {k: v for k, v in body.items() if k not in ("source", "version")}
            _, _, exprs = convert.body(args, scope)
            declare(f"module.{mname}", path)
            source = _unwrap(body.get("source", [""]))
            parts.module_calls[mname] = {"source": source if isinstance(source, str) else "", "expressions": exprs}
            parts.locations[f"module.{mname}"] = {"file": str(path), "line": body.get("__start_line__", 1)}
            keys = _instance_keys(path, body, scope)
            if keys is not None:
                parts.instances[f"module.{mname}"] = keys
            _add_repeat(parts.repeats, f"module.{mname}", path, body)
            parts.call_arguments[mname] = {k: v for k, v in args.items() if k not in _META_ARGS and k != "providers"
                                           and not k.startswith("__")}
            _add_skips(parts.suppressions, f"module.{mname}", _skips_inside(path, body, file_lines))
        for name, raw, _ in _locals(parsed):
            parts.locals_config[name] = {"expression": convert.attribute([raw], scope)[2]}

    built = _file_parts([(path, parsed) for path, parsed in parsed_files if path in declared], errors, blocks)
    module = _merged([declared[path] for path in built], built.values())
    return {
        "format_version": "1.2",
        "planned_values": {"root_module": {"resources": module.planned}},
        "resource_changes": module.changes,
        "configuration": {
            "provider_config": module.providers,
            "root_module": {
                "resources": module.config_resources,
                "variables": module.variable_config,
                "outputs": module.outputs,
                "module_calls": module.module_calls,
                "locals": module.locals_config,
            },
        },
        "streamguard": {"source": "hcl", "locations": module.locations, "suppressions": module.suppressions,
                        "instances": module.instances, "repeated": repeated[:1],
                        "calls": {"variables": known.variables, "locals": known.local_exprs,
                                  "repeats": module.repeats, "arguments": module.call_arguments}},
    }


def _add_repeat(repeats: dict[str, tuple[str, dict]], address: str, path: Path, body: dict) -> None:
    """Keep a block's count or for_each as written: a module call may decide it otherwise (called)."""
    if "count" in body or "for_each" in body:
        repeats[address] = (str(path), {k: v for k, v in body.items() if k in ("count", "for_each", "__start_line__")})


def called(calls: dict, inputs: dict[str, Any], values: dict[str, Any] | None = None,
           ) -> tuple[dict[str, list[int | str] | None], dict[str, dict], dict[str, dict]]:
    """One call of a module, as Terraform decides it; `calls` is the document's streamguard["calls"].

    Its instances are counted from `inputs`, the known values the call passes (a variable it does
    not pass or cannot know keeps its default: that is how Checkov counts them), its blocks read
    `values`, every value it passes (UNKNOWN where not known statically). Returns the instance keys
    of each counted block and module call (None: not known), and what each of its own module calls
    passes on: the known values (for counting) and every value (for reading)."""
    variables = calls["variables"]
    counting = Scope({**variables, **{k: v for k, v in inputs.items() if k in variables}}, calls["locals"])
    read_scope = Scope({**variables, **{k: v for k, v in (values or {}).items() if k in variables}}, calls["locals"])
    keys = {address: _instance_keys(Path(path), body, counting) for address, (path, body) in calls["repeats"].items()}
    passed = {name: {arg: value for arg, raw in args.items()
                     if (value := evaluate(_unwrap(raw), counting).value) is not UNKNOWN}
              for name, args in calls["arguments"].items()}
    passed_values = {name: {arg: evaluate(_unwrap(raw), read_scope).value for arg, raw in args.items()}
                     for name, args in calls["arguments"].items()}
    return keys, passed, passed_values


def _locals(parsed: dict):
    """(name, expression, line) of each local a file declares."""
    for block in parsed.get("locals", []) or []:
        if isinstance(block, dict):
            for name, raw in block.items():
                if not name.startswith("__"):
                    yield name, _unwrap(raw), block.get("__start_line__", 1)
