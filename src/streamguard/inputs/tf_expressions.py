"""A small evaluator for the Terraform expressions python-hcl2 hands back as "${...}" strings.

It resolves what a static scanner can know: literals, variable defaults, locals, string templates
and a few pure functions. A resource attribute, a module output or anything it cannot evaluate is
UNKNOWN, and the addresses it names are kept as references (as `terraform show -json` does).
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from streamguard.unknown import UNKNOWN

_TRAVERSAL = re.compile(r"^([A-Za-z_][A-Za-z0-9_\-]*)((?:\.[A-Za-z_][A-Za-z0-9_\-]*|\[[^\[\]]*\])*)$")
_STEP = re.compile(r"\.([A-Za-z_][A-Za-z0-9_\-]*)|\[([^\[\]]*)\]")
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
_NAMES = re.compile(
    r"(?<![\w.])((?:data\.)?[a-z][a-z0-9_]*\.[A-Za-z_][A-Za-z0-9_\-]*)(?:\[[^\]]*\])?((?:\.[A-Za-z_]\w*)?)"
)
_NOT_RESOURCES = ("var", "local", "each", "count", "self", "path", "terraform", "module")


@dataclass
class Result:
    value: Any
    references: list[str] = field(default_factory=list)


@dataclass
class Scope:
    """What names resolve to inside one module (and, in dynamic blocks, the iterator)."""

    variables: dict[str, Any]
    local_exprs: dict[str, Any]
    iterators: dict[str, dict[str, Any]] = field(default_factory=dict)
    _locals: dict[str, Result] = field(default_factory=dict)
    _resolving: set[str] = field(default_factory=set)

    def with_iterator(self, name: str, key: Any, value: Any) -> Scope:
        child = Scope(self.variables, self.local_exprs, {**self.iterators, name: {"key": key, "value": value}})
        child._locals = self._locals
        return child

    def local(self, name: str) -> Result:
        if name in self._locals:
            return self._locals[name]
        if name not in self.local_exprs or name in self._resolving:
            return Result(UNKNOWN)
        self._resolving.add(name)
        try:
            result = evaluate(self.local_exprs[name], self)
        finally:
            self._resolving.discard(name)
        self._locals[name] = result
        return result


def _merge_refs(*groups: list[str]) -> list[str]:
    out: list[str] = []
    for group in groups:
        for ref in group:
            if ref not in out:
                out.append(ref)
    return out


def _index(value: Any, step: str) -> Any:
    if value is UNKNOWN or value is None:
        return UNKNOWN
    if isinstance(value, dict):
        return value.get(step.strip('"'), UNKNOWN)
    if isinstance(value, list) and re.fullmatch(r"\d+", step.strip()):
        i = int(step)
        return value[i] if i < len(value) else UNKNOWN
    return UNKNOWN


def _traverse(value: Any, rest: str) -> Any:
    for attr, idx in _STEP.findall(rest):
        value = _index(value, attr or idx)
    return value


def _reference(root: str, rest: str) -> list[str]:
    """References as Terraform lists them: the full traversal, then the resource address."""
    steps = _STEP.findall(rest)
    if root == "data":
        if len(steps) < 2:
            return []
        base = f"data.{steps[0][0]}.{steps[1][0]}"
        return _merge_refs([f"data{rest}"], [base])
    if root == "module":
        return [f"module{rest}"] if steps else []
    if not steps or not steps[0][0]:
        return []
    base = f"{root}.{steps[0][0]}"
    return _merge_refs([f"{root}{rest}"], [base])


def _names(expr: str, scope: Scope) -> list[str]:
    """Every reference inside an expression we do not evaluate (a function call, a conditional...)."""
    refs: list[str] = []
    for match in _NAMES.finditer(expr):
        head = match.group(1)
        root = head.split(".", 1)[0]
        if root == "var":
            continue
        if root == "local":
            refs = _merge_refs(refs, scope.local(head.split(".", 1)[1]).references)
        elif root not in _NOT_RESOURCES:
            refs = _merge_refs(refs, [head + match.group(2), head] if match.group(2) else [head])
    return refs


def _jsonencode(args: str, scope: Scope) -> Result:
    """The JSON text Terraform renders. python-hcl2 hands an object or list argument over as a
    Python literal (`{'Action': 'kinesis:Get*', 'Resource': '${aws_kinesis_stream.s.arn}'}`); a part
    of it that cannot be known keeps that source text, as Checkov renders it, so the known parts
    (an IAM statement's actions) stay readable. Readers treat a string holding `${` as unknown."""
    source = _python_literal(args)
    inner = evaluate(source, scope) if source is not None else _evaluate_hcl_literal(args, scope)
    value = _with_source_text(inner.value, source)
    if _contains_unknown(value):
        return Result(UNKNOWN, inner.references)
    return Result(json.dumps(value, separators=(",", ":")), inner.references)


def _python_literal(text: str) -> Any:
    """An object or list argument as python-hcl2 writes it (the str() of a dict or list), else None."""
    try:
        value = ast.literal_eval(text.strip())
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return None
    return value if isinstance(value, (dict, list)) else None


def _with_source_text(value: Any, source: Any) -> Any:
    """value with each unknown part replaced by the expression text it was written as."""
    if value is UNKNOWN:
        return source if isinstance(source, str) else UNKNOWN
    if isinstance(value, dict) and isinstance(source, dict):
        return {k: _with_source_text(v, source.get(k)) for k, v in value.items()}
    if isinstance(value, list) and isinstance(source, list) and len(value) == len(source):
        return [_with_source_text(v, s) for v, s in zip(value, source, strict=True)]
    return value


def _toset(args: str, scope: Scope) -> Result:
    """A set of distinct values; strings come back sorted, in the order Terraform iterates them
    (for_each over a toset names each instance by its string)."""
    source = _python_literal(args)
    inner = evaluate(source, scope) if source is not None else _evaluate_expression(args, scope)
    items = inner.value
    if not isinstance(items, list) or _contains_unknown(items):
        return Result(UNKNOWN, inner.references)
    if all(isinstance(item, str) for item in items):
        return Result(sorted(set(items)), inner.references)
    distinct: list = []
    for item in items:
        if item not in distinct:
            distinct.append(item)
    return Result(distinct, inner.references)


FUNCTIONS: dict[str, Callable[[str, Scope], Result]] = {"jsonencode": _jsonencode, "toset": _toset}


def _contains_unknown(value: Any) -> bool:
    if value is UNKNOWN:
        return True
    if isinstance(value, dict):
        return any(_contains_unknown(v) for v in value.values())
    if isinstance(value, list):
        return any(_contains_unknown(v) for v in value)
    return False


def _evaluate_hcl_literal(text: str, scope: Scope) -> Result:
    """Evaluate an HCL object/list literal (a function argument) by letting python-hcl2 parse it."""
    import hcl2  # local: only needed for function arguments

    try:
        parsed = hcl2.loads(f"streamguard_value = {text}\n")
    except Exception:  # noqa: BLE001 - python-hcl2 raises lark errors of many kinds
        return Result(UNKNOWN, _names(text, scope))
    value = parsed.get("streamguard_value", UNKNOWN)
    if isinstance(value, list) and len(value) == 1:
        value = value[0]
    return evaluate(value, scope)


def _evaluate_expression(expr: str, scope: Scope) -> Result:
    expr = expr.strip()
    if _NUMBER.match(expr):
        return Result(float(expr) if "." in expr else int(expr))
    if expr in ("true", "false"):
        return Result(expr == "true")
    if expr == "null":
        return Result(None)
    if len(expr) >= 2 and expr[0] == expr[-1] == '"' and '"' not in expr[1:-1] and "${" not in expr:
        return Result(expr[1:-1])
    match = _TRAVERSAL.match(expr)
    if match:
        root, rest = match.groups()
        steps = _STEP.findall(rest)
        if root == "var" and steps:
            return Result(_traverse(scope.variables.get(steps[0][0], UNKNOWN), rest[len(steps[0][0]) + 1:]))
        if root == "local" and steps:
            base = scope.local(steps[0][0])
            return Result(_traverse(base.value, rest[len(steps[0][0]) + 1:]), base.references)
        if root in scope.iterators and steps:
            return Result(_traverse(scope.iterators[root], rest))
        if root in ("each", "count", "self", "path", "terraform"):
            return Result(UNKNOWN)
        return Result(UNKNOWN, _reference(root, rest))
    call = re.match(r"^([a-z][a-z0-9_]*)\((.*)\)$", expr, re.S)
    if call and call.group(1) in FUNCTIONS:
        return FUNCTIONS[call.group(1)](call.group(2), scope)
    return Result(UNKNOWN, _names(expr, scope))


def _split_template(text: str) -> list[tuple[bool, str]] | None:
    """Split "a-${x}-b" into literal and expression parts; None when braces do not balance."""
    parts: list[tuple[bool, str]] = []
    i = 0
    while i < len(text):
        start = text.find("${", i)
        if start < 0:
            parts.append((False, text[i:]))
            break
        if start > i:
            parts.append((False, text[i:start]))
        depth, j = 0, start + 2
        while j < len(text):
            if text[j] == "{":
                depth += 1
            elif text[j] == "}":
                if depth == 0:
                    break
                depth -= 1
            j += 1
        if j >= len(text):
            return None
        parts.append((True, text[start + 2 : j]))
        i = j + 1
    return parts


def _unescape(text: str) -> str:
    """A quoted string's escapes (\\" \\\\ \\n), which python-hcl2 leaves as written, decoded as
    Terraform (and Checkov) read them. Text with a bare quote (a heredoc) is left as it is. A lone
    surrogate (\\ud800) is no character: Terraform rejects the file, and the UnicodeEncodeError
    raised here makes it the file's input error (streamguard.inputs.errors.reading)."""
    if "\\" not in text:
        return text
    try:
        decoded = json.loads(f'"{text}"')
    except ValueError:
        return text
    decoded.encode("utf-8")
    return decoded


def _evaluate_string(text: str, scope: Scope) -> Result:
    if "${" not in text:
        return Result(_unescape(text))
    parts = _split_template(text)
    if parts is None:
        return Result(UNKNOWN)
    if len(parts) == 1 and parts[0][0]:
        return _evaluate_expression(parts[0][1], scope)
    pieces: list[str] = []
    refs: list[str] = []
    known = True
    for is_expr, chunk in parts:
        if not is_expr:
            pieces.append(_unescape(chunk))
            continue
        result = _evaluate_expression(chunk, scope)
        refs = _merge_refs(refs, result.references)
        if isinstance(result.value, (str, int, float)) and not isinstance(result.value, bool):
            pieces.append(str(result.value))
        elif isinstance(result.value, bool):
            pieces.append("true" if result.value else "false")
        else:
            known = False
    return Result("".join(pieces) if known else UNKNOWN, refs)


def evaluate(value: Any, scope: Scope) -> Result:
    """Evaluate a python-hcl2 attribute value (already unwrapped from its one-element list)."""
    if isinstance(value, str):
        return _evaluate_string(value, scope)
    if isinstance(value, list):
        items = [evaluate(v, scope) for v in value]
        return Result([i.value for i in items], _merge_refs(*(i.references for i in items)))
    if isinstance(value, dict):
        items = {k: evaluate(v, scope) for k, v in value.items() if not k.startswith("__")}
        return Result({k: r.value for k, r in items.items()}, _merge_refs(*(r.references for r in items.values())))
    return Result(value)
