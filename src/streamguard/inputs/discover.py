"""Find and load every input under the paths given: Terraform modules, plan JSON, CloudFormation.

A directory's .tf files form one module. JSON and YAML files are recognised by content: plan JSON
has `format_version` and plan sections, a template has `Resources` or `AWSTemplateFormatVersion`;
any other valid JSON/YAML (package.json, CI workflows, Kubernetes manifests) is not an input and
is skipped. A file that cannot be read is an InputError, and the scan goes on without it.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from streamguard.inputs import cfn, hcl
from streamguard.inputs.errors import InputError
from streamguard.parallel import Pool

TEMPLATE_SUFFIXES = (".yaml", ".yml", ".json", ".template")
_SKIP_DIRS = {"node_modules", "__pycache__"}


@dataclass
class Source:
    """One input: kind is "terraform" (an HCL module), "plan" or "cloudformation"."""

    kind: str
    path: str
    document: dict
    locations: dict[str, dict]


def _is_plan(body: object) -> bool:
    return isinstance(body, dict) and "format_version" in body and any(
        k in body for k in ("planned_values", "configuration", "resource_changes"))


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


def load_file(path: str) -> Source | None:
    """A plan or template file as a Source; None when the file is valid but not an input."""
    text = cfn.read_text(path)
    if path.endswith(".json"):
        try:
            body = json.loads(text)
        except ValueError as exc:
            raise InputError(path, f"invalid JSON: {exc}") from None
        if _is_plan(body):
            return Source("plan", path, body, _plan_locations(path, text, body))
    template = cfn.parse(path, text)
    if template is None:
        return None
    locations = {}
    resources = template.body.get("Resources") or {}
    for key, line in template.lines.items():
        section, name = key.split(".", 1)
        rtype = (resources.get(name) or {}).get("Type") if section == "Resources" else None
        address = f"{rtype}.{name}" if isinstance(rtype, str) else key
        locations[address] = {"file": path, "line": line}
    return Source("cloudformation", path, template.body, locations)


def _walk(root: Path):
    """(directory, files) under root, in a stable order; hidden and vendored folders are skipped."""
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d not in _SKIP_DIRS)
        yield Path(dirpath), sorted(filenames)


def discover(paths: list[str], pool: Pool | None = None) -> tuple[list[Source], list[InputError]]:
    """Every input under paths, and an error for each file that could not be read."""
    sources: list[Source] = []
    errors: list[InputError] = []
    modules: dict[Path, list[Path]] = {}
    files: list[Path] = []
    for raw in paths:
        root = Path(raw)
        if root.is_dir():
            for directory, names in _walk(root):
                for name in names:
                    full = directory / name
                    if name.endswith(".tf"):
                        modules.setdefault(directory, []).append(full)
                    elif name.endswith(TEMPLATE_SUFFIXES):
                        files.append(full)
        elif root.is_file() or root.is_symlink():
            if raw.endswith(".tf"):
                modules.setdefault(root.parent, []).append(root)
            else:
                files.append(root)
        else:
            errors.append(InputError(raw, "no such file or directory"))
    all_tf = [f for tf_files in modules.values() for f in tf_files]
    parsed = dict(zip(all_tf, (pool or Pool()).map(hcl.parse_file, all_tf), strict=True))
    for directory, tf_files in sorted(modules.items()):
        document, module_errors = hcl.load_module(tf_files, parsed)
        errors.extend(module_errors)
        if document is not None:
            sources.append(Source("terraform", str(directory), document, document["streamguard"]["locations"]))
    for path in sorted(set(files)):
        try:
            source = load_file(str(path))
        except InputError as exc:
            errors.append(exc)
            continue
        if source is not None:
            sources.append(source)
    return sources, errors
