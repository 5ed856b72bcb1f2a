"""CloudFormation templates (YAML with short-form tags, or JSON) as long-form dicts with line numbers.

Short-form tags (`!Ref`, `!GetAtt`, `!Sub`, `!If`, ...) become their long form (`Ref`, `Fn::GetAtt`,
...), as CloudFormation itself reads them, so the Rego policies see one shape. Both the CLI and the
Checkov CloudFormation checks (which need the whole template) load templates here.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from streamguard.inputs import suppressions
from streamguard.inputs.errors import InputError, reading
from streamguard.inputs.reading import check_document, expanded_limit, read_text

SECTIONS = ("Parameters", "Mappings", "Conditions", "Resources", "Outputs")


@dataclass
class Template:
    path: str
    body: dict
    lines: dict[str, int] = field(default_factory=dict)  # "Resources.Stream" -> line
    skips: dict[str, list[dict]] = field(default_factory=dict)  # logical ID -> in-source skip comments


class _TemplateLoader(yaml.SafeLoader):
    """SafeLoader that reads CloudFormation tags and keeps timestamps as strings. Aliases are
    shared, not copied, while loading; reading.check_document bounds what they expand to."""


def _construct_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> dict:
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    if suffix == "Ref":
        return {"Ref": value}
    if suffix == "Condition":
        return {"Condition": value}
    if suffix == "GetAtt" and isinstance(value, str):
        value = value.split(".", 1)
    return {f"Fn::{suffix}": value}


_TemplateLoader.add_multi_constructor("!", _construct_tag)
_TemplateLoader.add_constructor(
    "tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node)
)


def _repeated_yaml_key(root: yaml.Node) -> tuple[str, int] | None:
    """(key, line) of the first key a mapping repeats: CloudFormation rejects such a template, and
    Checkov cannot parse it; reading only the last value would judge a template nobody deploys.
    Each node is visited once, however many aliases share it."""
    seen_nodes: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen_nodes or isinstance(node, yaml.ScalarNode):
            continue
        seen_nodes.add(id(node))
        if isinstance(node, yaml.MappingNode):
            keys: set[str] = set()
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode) and key.tag != "tag:yaml.org,2002:merge":
                    if key.value in keys:
                        return key.value, key.start_mark.line + 1
                    keys.add(key.value)
                stack += [key, value]
        else:
            stack += node.value
    return None


def _repeated_json_key(text: str) -> str | None:
    """The first key an object of a JSON template repeats (see _repeated_yaml_key)."""
    repeated: list[str] = []

    def pairs(items: list[tuple[str, Any]]) -> dict:
        keys = [key for key, _ in items]
        if not repeated and len(set(keys)) < len(keys):
            repeated.append(next(key for index, key in enumerate(keys) if key in keys[:index]))
        return dict(items)

    json.loads(text, object_pairs_hook=pairs)
    return repeated[0] if repeated else None


def looks_like_template(body: Any) -> bool:
    """A document is a template when it has Resources or a template format version."""
    return isinstance(body, dict) and ("Resources" in body or "AWSTemplateFormatVersion" in body)


def _check_shape(path: str, body: dict) -> None:
    for section in SECTIONS:
        if section in body and not isinstance(body[section], dict):
            kind = type(body[section]).__name__
            raise InputError(path, f"template section {section} must be a mapping, not a {kind}")


def _yaml_skips(root: yaml.Node, text: str) -> dict[str, list[dict]]:
    """Checkov skip comments on a resource's own YAML lines (CloudFormation's inline suppressions)."""
    if "skip=" not in text or not isinstance(root, yaml.MappingNode):
        return {}
    lines = suppressions.outside_block_scalars(text.splitlines())
    found: dict[str, list[dict]] = {}
    for key_node, value_node in root.value:
        if key_node.value == "Resources" and isinstance(value_node, yaml.MappingNode):
            for item_key, item_value in value_node.value:
                skips = suppressions.in_lines(lines, item_key.start_mark.line + 1, item_value.end_mark.line + 1)
                if skips:
                    found[item_key.value] = skips
    return found


def _yaml_lines(root: yaml.Node) -> dict[str, int]:
    lines: dict[str, int] = {}
    if not isinstance(root, yaml.MappingNode):
        return lines
    for key_node, value_node in root.value:
        if key_node.value in SECTIONS and isinstance(value_node, yaml.MappingNode):
            for item_key, _ in value_node.value:
                lines[f"{key_node.value}.{item_key.value}"] = item_key.start_mark.line + 1
    return lines


def _json_lines(text: str, body: dict) -> dict[str, int]:
    """Line of each section entry: the first `"Name":` after the section's own key."""
    lines: dict[str, int] = {}
    for section in SECTIONS:
        entries = body.get(section)
        if not isinstance(entries, dict):
            continue
        start = text.find(f'"{section}"')
        for name in entries:
            match = re.compile(r'"' + re.escape(name) + r'"\s*:').search(text, max(start, 0))
            if match:
                lines[f"{section}.{name}"] = text.count("\n", 0, match.start()) + 1
    return lines


def mentions_an_input(text: str) -> bool:
    """Whether a file that does not parse was meant to be a template or a plan: it names one of
    their keys. Any other JSON or YAML that does not parse is some other tool's file (a Hugo
    layout, a tsconfig.json with comments, a Helm template) and is skipped, as Checkov skips it,
    rather than failing the scan as unreadable."""
    return any(key in text for key in ("AWSTemplateFormatVersion", "Resources", "format_version"))


def parse_json(path: str, text: str) -> Any:
    """JSON with bounded nesting; an InputError names the file when it is not valid (None when it
    is not valid and not meant as an input either)."""
    try:
        body = json.loads(text)
    except RecursionError:
        raise InputError(path, "invalid JSON: nested too deeply") from None
    except ValueError as exc:
        if not mentions_an_input(text):
            return None
        raise InputError(path, f"invalid JSON: {exc}") from None
    check_document(path, body)
    return body


def parse(path: str, text: str) -> Template | None:
    """The template in `text`, or None when the file is valid YAML/JSON but not a template."""
    if path.endswith(".json"):
        body = parse_json(path, text)
        if not looks_like_template(body):
            return None
        if (key := _repeated_json_key(text)) is not None:
            raise InputError(path, f"invalid JSON: key {key!r} is repeated in one object")
        _check_shape(path, body)
        return Template(path, body, _json_lines(text, body))
    loader = _TemplateLoader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            return None
        body = loader.construct_document(root)
    except RecursionError:
        raise InputError(path, "invalid YAML: nested too deeply") from None
    except yaml.composer.ComposerError as exc:
        if exc.context == "expected a single document in the stream" or not mentions_an_input(text):
            return None  # several documents (Kubernetes manifests...): never a template
        raise InputError(path, f"invalid YAML: {exc.problem}") from None
    except yaml.YAMLError as exc:
        if not mentions_an_input(text):
            return None
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise InputError(path, f"invalid YAML{where}: {problem}") from None
    finally:
        loader.dispose()
    if not looks_like_template(body):
        return None
    check_document(path, body, max_bytes=expanded_limit(text))
    if (repeated := _repeated_yaml_key(root)) is not None:
        raise InputError(path, f"invalid YAML at line {repeated[1]}: key {repeated[0]!r} is repeated in one mapping")
    _check_shape(path, body)
    return Template(path, body, _yaml_lines(root), _yaml_skips(root, text))


@lru_cache(maxsize=64)
def _load_cached(path: str, mtime_ns: int) -> Template | None:
    with reading(path):
        return parse(path, read_text(path))


def load(path: str) -> Template | None:
    """Load a template file, cached by path and modification time (Checkov checks call this per resource)."""
    try:
        mtime = Path(path).stat().st_mtime_ns
    except OSError as exc:
        raise InputError(path, exc.strerror or "cannot be read") from None
    return _load_cached(str(Path(path).resolve()), mtime)
