"""Values as rules see them: literal, absent (None) or UNKNOWN, with references told apart from literals."""

from __future__ import annotations

import re
from typing import Any

from streamguard.unknown import UNKNOWN as UNKNOWN  # the inputs' sentinel, for the rules

# A Terraform expression that names something else: var./local./module./data./resource attribute.
_TF_REFERENCE = re.compile(
    r"^\$?\{?\s*(var|local|module|data|each|count|self|path|terraform|[a-z][a-z0-9]*_[a-z0-9_]+)\.[A-Za-z0-9_\-\[\]\"\*.]+"
)
_TF_RESOURCE_REF = re.compile(
    r"(?:^|\$\{|[\s(,\[])((?:data\.)?[a-z][a-z0-9]*_[a-z0-9_]+\.[A-Za-z_][A-Za-z0-9_\-]*)(?:\[[^\]]*\])?(?:\.|\}|$)"
)


def is_tf_expression(value: Any) -> bool:
    """True when a Terraform string is an unresolved expression rather than a literal."""
    return isinstance(value, str) and ("${" in value or bool(_TF_REFERENCE.match(value)))


def tf_reference_addresses(value: Any) -> list[str]:
    """Resource addresses (`type.name`, `data.type.name`) a Terraform expression string refers to."""
    if not isinstance(value, str):
        return []
    found = []
    for match in _TF_RESOURCE_REF.finditer(value):
        address = match.group(1)
        if not address.startswith(("var.", "local.", "module.")) and address not in found:
            found.append(address)
    return found


def tf_reference_addresses_of(references: list[str]) -> list[str]:
    """The resource addresses a configuration's `references` name (`aws_kms_key.k.arn` names
    `aws_kms_key.k`), each once."""
    return list(dict.fromkeys(a for ref in references for a in tf_reference_addresses(ref)))


# A called module's output: `module.keys.key_arn`, `module.keys[0].key_arn`, `module.keys["a"].key_arn`.
_MODULE_OUTPUT = re.compile(r"(?<![\w.])(module\.[A-Za-z_][A-Za-z0-9_\-]*(?:\[[^\]]*\])?)\.([A-Za-z_][A-Za-z0-9_\-]*)")


def module_output_references(value: Any) -> list[tuple[str, str]]:
    """(call, output) of each called module's output a Terraform expression string names:
    `${module.keys[0].key_arn}` gives ("module.keys[0]", "key_arn")."""
    if not isinstance(value, str):
        return []
    return list(dict.fromkeys(m.groups() for m in _MODULE_OUTPUT.finditer(value)))


def tf_affixes(value: Any) -> tuple[str, str]:
    """The known ends of an unknown string template as tf_source renders it ("${...}-ingest" gives
    ("", "-ingest")); ("", "") when nothing is known around it."""
    if not isinstance(value, str) or "${" not in value:
        return "", ""
    return value[:value.index("${")], value[value.rindex("}") + 1:]


def show(value: Any) -> str:
    """How a value appears in a finding message (both engines print values the same way)."""
    if value is None:
        return "not set"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a map"
    return str(value)


def is_true(value: Any) -> bool:
    """Terraform and CloudFormation booleans may arrive as strings ("true", "True")."""
    return value is True or (isinstance(value, str) and value.lower() == "true")


def is_false(value: Any) -> bool:
    """The boolean false, or a string saying it in any case ("False")."""
    return value is False or (isinstance(value, str) and value.lower() == "false")


def upper_or_empty(value: Any) -> str:
    """Upper-case a string; any other value never equals an upper-case literal."""
    return value.upper() if isinstance(value, str) else ""


def arn_name_candidates(arn: Any, separator: str) -> list[str]:
    """Every name n such that `arn` is an ARN ending with separator + n (arn:...:::bucket names
    "bucket" with ":::"); a name index looks them up, where a match would test arn.endswith(...)."""
    if not isinstance(arn, str) or not arn.startswith("arn:"):
        return []
    found = []
    start = arn.find(separator)
    while start != -1:
        found.append(arn[start + len(separator):])
        start = arn.find(separator, start + 1)
    return found
