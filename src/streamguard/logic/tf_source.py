"""Terraform resources of .tf files as streamguard's HCL reader sees them, for rules that follow blocks and links.

Checkov's rendering of a module loses what such rules follow: it adds a `dynamic` block's content
even when for_each is empty and writes a single for_each item into the content, it replaces a
reference to another resource's configured attribute with that attribute's value (so
`aws_s3_bucket.b.bucket` no longer names the bucket), and it evaluates conditionals the static
reader leaves unknown. `source_view` re-reads the resource with streamguard.inputs.hcl, the document
the Rego engine evaluates, with the values its module's call instance passes
(module_instances.instance_values), and writes it back in Checkov's shape: known values as they are,
unknown values as an expression naming what it refers to. Plan JSON is read by Checkov as it is.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from streamguard.inputs import hcl
from streamguard.inputs.module_instances import checkov_chain, directory_key, instance_values, local_source, values_key
from streamguard.logic.tf import INSTANCE_KEY, TfResource


class _Reads:
    """What one check pass has read: documents by their files and passed values, resources by
    module directory and passed values, the values each module instance's call passes."""

    def __init__(self) -> None:
        self.documents: dict[tuple, dict | None] = {}
        self.resources: dict[tuple, dict[str, dict]] = {}
        self.passed: dict[tuple[str, str], dict[str, Any]] = {}


_reads: _Reads | None = None


@contextmanager
def one_read_per_module() -> Iterator[None]:
    """Within, each module is read once however many resources, checks and sections ask (not once
    per resource): files do not change while Checkov checks them. streamguard.checkov.sections runs
    Checkov's Terraform check pass within; the parses Checkov offered are dropped at its end."""
    global _reads
    previous, _reads = _reads, _Reads()
    try:
        yield
    finally:
        _reads = previous
        if previous is None:
            hcl.drop_offered_parses()


def module_document(files: list[Path], values: dict[str, Any] | None = None) -> dict | None:
    """The HCL loader's document of one module's .tf files, read with the values a call passes;
    None when none can be read."""
    reads = _reads or _Reads()
    key = (tuple(sorted(files)), values_key(values or {}))
    if key not in reads.documents:
        reads.documents[key] = hcl.load_module(list(key[0]), inputs=values)[0]
    return reads.documents[key]


def passed_values(directory: str, prefix: str, call: Any) -> dict[str, Any]:
    """What the call instance `prefix` of a module directory passes, Checkov having reached it
    through `call` (its TFModule; None at the root): as the Rego engine reads it (discover)."""
    if call is None:
        return {}
    reads = _reads or _Reads()
    if (directory, prefix) not in reads.passed:
        reads.passed[directory, prefix] = instance_values(checkov_chain(call), directory_key(directory), prefix,
                                                          _calls_of)
    return reads.passed[directory, prefix]


def _calls_of(directory: Path) -> dict | None:
    document = module_document(list(directory.glob("*.tf"))) if directory.is_dir() else None
    return document["streamguard"]["calls"] if document else None


def called_output_references(directory: str, call: str, output: str) -> tuple[str, list[str]] | None:
    """(the called module's directory, the references of its output `output`) for a call
    (`module.keys`) of the module in `directory` whose source is a local directory read here;
    None for a registry or git module, or one that cannot be read (unknown)."""
    caller = module_document(list(Path(directory).glob("*.tf"))) if Path(directory).is_dir() else None
    calls = caller["configuration"]["root_module"]["module_calls"] if caller else {}
    callee = local_source(Path(directory), calls.get(call.removeprefix("module."), {}).get("source"))
    document = module_document(list(callee.glob("*.tf"))) if callee is not None and callee.is_dir() else None
    if document is None:
        return None
    found = document["configuration"]["root_module"]["outputs"].get(output, {}).get("expression", {})
    return str(callee), [r for r in found.get("references", []) if isinstance(r, str)]


def source_view(res: TfResource) -> TfResource:
    """res as read from its module's .tf files; res itself for plan JSON or a resource not found there."""
    if not res.scope:
        return res
    values = _module_resources(res.scope, passed_values(res.scope, res.module[1], res.call)).get(_module_address(res))
    return res if values is None else res.with_values(values)


def nested(res: TfResource, name: str) -> list[TfResource]:
    """Every block `name` of res as a view of its own, whose references resolve in res's module."""
    return [res.with_values(block) for block in res.blocks(name)]


def _module_address(res: TfResource) -> str:
    """The address inside its own module directory (Checkov prefixes module calls), `data.` kept."""
    head, _, name = res.address.rpartition(f"{res.type}.")
    mode = "data." if head.endswith("data.") else ""
    return f"{mode}{res.type}.{INSTANCE_KEY.sub('', name)}"


def _module_resources(directory: str, values: dict[str, Any]) -> dict[str, dict]:
    """address -> values in Checkov's shape for a module directory read with the values a call
    passes (a plan file has none)."""
    reads = _reads or _Reads()
    key = (directory, values_key(values))
    if key not in reads.resources:
        folder = Path(directory)
        document = module_document(list(folder.glob("*.tf")), values) if folder.is_dir() else None
        reads.resources[key] = _by_address(document or {})
    return reads.resources[key]


def _by_address(document: dict) -> dict[str, dict]:
    unknown = {rc["address"]: rc["change"].get("after_unknown") or {} for rc in document.get("resource_changes", [])}
    config = {r["address"]: r.get("expressions") or {}
              for r in document.get("configuration", {}).get("root_module", {}).get("resources", [])}
    return {r["address"]: _checkov_shape(r.get("values") or {}, unknown.get(r["address"], {}),
                                         config.get(r["address"], {}))
            for r in document.get("planned_values", {}).get("root_module", {}).get("resources", [])}


def _checkov_shape(values: dict, unknown: Any, config: Any) -> dict:
    """Known values as they are, blocks as lists of dicts, an unknown value as an expression string.

    The same decision the Rego library makes (tf.value / tf.unknown): a value is known when set; it
    is unknown when after_unknown marks it (or a block above it), or its expression has references
    and no constant value; otherwise it is absent.
    """
    out: dict = {}
    keys = [*values, *(unknown if isinstance(unknown, dict) else {}), *(config if isinstance(config, dict) else {})]
    for key in dict.fromkeys(keys):
        value = values.get(key)
        mask = unknown.get(key) if isinstance(unknown, dict) else None
        expr = config.get(key) if isinstance(config, dict) else None
        if isinstance(value, list) and value and all(isinstance(b, dict) for b in value):
            out[key] = [_checkov_shape(block, _item(mask, i), _item(expr, i)) for i, block in enumerate(value)]
        elif value is not None:
            out[key] = value
        elif mask is True or (isinstance(expr, dict) and "references" in expr and "constant_value" not in expr):
            out[key] = _expression(expr)
    return out


def _item(x: Any, i: int) -> Any:
    return x[i] if isinstance(x, list) and i < len(x) else None


def _expression(expr: Any) -> str:
    """An unresolved expression naming what it refers to (TfResource.targets reads the addresses),
    between the known ends of a string template (values.tf_affixes reads them)."""
    if not isinstance(expr, dict):
        return "${unknown}"
    refs = expr.get("references")
    inner = "${" + ", ".join(refs) + "}" if refs else "${unknown}"
    return f"{expr.get('literal_prefix', '')}{inner}{expr.get('literal_suffix', '')}"
