"""A small evaluator for the Terraform expressions python-hcl2 hands back as "${...}" strings.

It resolves what the scanned files decide, as Terraform would (RULES.md "Terraform expressions"):
literals, variable defaults, locals, string templates, `cond ? a : b`, comparisons, boolean and
arithmetic operators, and a few pure functions (streamguard.inputs.tf_syntax parses the operators).
A resource attribute, a module output or anything it cannot evaluate is UNKNOWN, an operation on an
unknown value too (unless the known side decides it: `false && x`), and the addresses it names are
kept as references (as `terraform show -json` does).
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from streamguard.inputs import tf_syntax
from streamguard.unknown import UNKNOWN

_TRAVERSAL = re.compile(r"^([A-Za-z_][A-Za-z0-9_\-]*)((?:\.[A-Za-z_][A-Za-z0-9_\-]*|\[[^\[\]]*\])*)$")
_STEP = re.compile(r"\.([A-Za-z_][A-Za-z0-9_\-]*)|\[([^\[\]]*)\]")
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
_NAMES = re.compile(
    r"(?<![\w.])((?:data\.)?[a-z][a-z0-9_]*\.[A-Za-z_][A-Za-z0-9_\-]*)(?:\[[^\]]*\])?((?:\.[A-Za-z_]\w*)?)"
)
_LOCAL = re.compile(r"(?<![\w.])local\.([A-Za-z_][A-Za-z0-9_\-]*)")
_NOT_RESOURCES = ("var", "local", "each", "count", "self", "path", "terraform", "module")


@dataclass
class Result:
    value: Any
    references: list[str] = field(default_factory=list)
    # An unknown string template's known ends ("${var.env}-ingest" gives ("", "-ingest")): a name
    # that is partly known can only be one that has them (RULES.md, SG_604).
    affixes: tuple[str, str] = ("", "")


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
        """A local's value. Locals are evaluated in dependency order, each once, so a chain of any
        length costs no recursion: while one is evaluated, every local it reads is known already,
        unless the two read each other (a cycle, which Terraform rejects): that one is unknown."""
        if name in self._locals:
            return self._locals[name]
        if name not in self.local_exprs or self._resolving:
            return Result(UNKNOWN)
        for each in self._dependencies_first(name):
            self._resolving.add(each)
            try:
                self._locals[each] = evaluate(self.local_exprs[each], self)
            finally:
                self._resolving.discard(each)
        return self._locals[name]

    def _dependencies_first(self, name: str) -> list[str]:
        """name and the locals it reads, not yet evaluated, each after those it reads (an
        iterative depth-first walk)."""
        order: list[str] = []
        seen = {name}
        stack = [(name, iter(_local_names(self.local_exprs[name])))]
        while stack:
            current, reads = stack[-1]
            for dependency in reads:
                if dependency in self.local_exprs and dependency not in self._locals and dependency not in seen:
                    seen.add(dependency)
                    stack.append((dependency, iter(_local_names(self.local_exprs[dependency]))))
                    break
            else:
                stack.pop()
                order.append(current)
        return order


def _local_names(raw: Any) -> list[str]:
    """The locals an unevaluated value reads (`local.x` anywhere in its strings)."""
    names: list[str] = []
    pending = [raw]
    while pending:
        value = pending.pop()
        if isinstance(value, str):
            names += _LOCAL.findall(value)
        elif isinstance(value, dict):
            pending += value.values()
        elif isinstance(value, list):
            pending += value
    return names


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


def _element(value: Any, key: Any) -> Any:
    """value[key] for a known key: a map's entry, a list's item; unknown when not there."""
    if isinstance(value, dict) and isinstance(key, str):
        return value.get(key, UNKNOWN)
    index = _as_number(key)
    if isinstance(value, list) and isinstance(index, int) and 0 <= index < len(value):
        return value[index]
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


def _toset(items: Any) -> Any:
    """A set of distinct values; strings come back sorted, in the order Terraform iterates them
    (for_each over a toset names each instance by its string)."""
    if not isinstance(items, list) or _contains_unknown(items):
        return UNKNOWN
    if all(isinstance(item, str) for item in items):
        return sorted(set(items))
    distinct: list = []
    for item in items:
        if item not in distinct:
            distinct.append(item)
    return distinct


def _length(value: Any) -> Any:
    return len(value) if isinstance(value, (list, dict, str)) else UNKNOWN


def _tolist(value: Any) -> Any:
    return value if isinstance(value, list) else UNKNOWN


def _lookup(mapping: Any, key: Any, *default: Any) -> Any:
    """lookup(map, key[, default]) on a known map; a missing key without a default is an error in
    Terraform, unknown here."""
    if not isinstance(mapping, dict) or not isinstance(key, str) or len(default) > 1:
        return UNKNOWN
    return mapping.get(key, default[0] if default else UNKNOWN)


FUNCTIONS: dict[str, Callable[..., Any]] = {"length": _length, "lookup": _lookup, "tolist": _tolist, "toset": _toset}


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
    if _TRAVERSAL.match(expr):
        return _traversal(expr, scope)
    try:
        return _node(tf_syntax.parse(expr), scope)
    except (SyntaxError, ValueError, RecursionError):  # ValueError: a Python literal ast cannot read
        return Result(UNKNOWN, _names(expr, scope))


def _traversal(expr: str, scope: Scope) -> Result:
    """A name and its steps: a variable's default, a local, a dynamic block's iterator, or (as a
    reference) a resource, data source or module output."""
    match = _TRAVERSAL.match(expr)
    if not match:
        return Result(UNKNOWN, _names(expr, scope))
    root, rest = match.groups()
    steps = _STEP.findall(rest)
    if root == "var" and steps:
        return Result(_traverse(scope.variables.get(steps[0][0], UNKNOWN), rest[len(steps[0][0]) + 1:]))
    if root == "local" and steps:
        base = scope.local(steps[0][0])
        if not rest[len(steps[0][0]) + 1:]:
            return base
        return Result(_traverse(base.value, rest[len(steps[0][0]) + 1:]), base.references)
    if root in scope.iterators and steps:
        return Result(_traverse(scope.iterators[root], rest))
    if root in ("each", "count", "self", "path", "terraform"):
        return Result(UNKNOWN)
    return Result(UNKNOWN, _reference(root, rest))


def _node(node: tuple, scope: Scope) -> Result:
    """The value of a tf_syntax tree, and what it refers to."""
    kind = node[0]
    if kind == "lit":
        return Result(node[1])
    if kind == "str":
        return _evaluate_string(node[1], scope)
    if kind == "ref":
        return _traversal(node[1], scope)
    if kind == "opaque":
        return Result(UNKNOWN, _names(node[1], scope))
    if kind == "list":
        items = [_node(n, scope) for n in node[1]]
        return Result([i.value for i in items], _merge_refs(*(i.references for i in items)))
    if kind == "object":
        return _object(node[1], scope)
    if kind == "call":
        return _call(node[1], node[2], node[3], scope)
    if kind == "cond":
        return _conditional(node[1], node[2], node[3], scope)
    parts = [_node(n, scope) for n in (node[1:] if kind == "index" else node[2:])]
    refs = _merge_refs(*(p.references for p in parts))
    if kind == "index":
        return Result(_element(parts[0].value, parts[1].value), refs)
    if kind == "unary":
        return Result(_unary(node[1], parts[0].value), refs)
    return Result(_binary(node[1], parts[0].value, parts[1].value), refs)


def _object(items: list[tuple], scope: Scope) -> Result:
    """An object literal; a bare name as a key is that name, as Terraform reads it."""
    out: dict = {}
    refs: list[str] = []
    for key_node, value_node in items:
        is_name = key_node[0] == "ref" and "." not in key_node[1] and "[" not in key_node[1]
        key = Result(key_node[1]) if is_name else _node(key_node, scope)
        value = _node(value_node, scope)
        refs = _merge_refs(refs, key.references, value.references)
        if not isinstance(key.value, str):
            return Result(UNKNOWN, refs)
        out[key.value] = value.value
    return Result(out, refs)


def _call(name: str, args: list[tuple], text: str, scope: Scope) -> Result:
    if name == "jsonencode":
        return _jsonencode(text, scope)
    values = [_node(n, scope) for n in args]
    refs = _merge_refs(*(v.references for v in values))
    if name not in FUNCTIONS or any(v.value is UNKNOWN for v in values):
        return Result(UNKNOWN, refs)
    try:
        return Result(FUNCTIONS[name](*(v.value for v in values)), refs)
    except TypeError:  # a call with the wrong number of arguments
        return Result(UNKNOWN, refs)


def _conditional(test: tuple, yes: tuple, no: tuple, scope: Scope) -> Result:
    """`test ? yes : no`: the chosen branch when the test is decided (only its references count:
    the other branch is never evaluated by Terraform), else unknown."""
    decided = _node(test, scope)
    choice = _as_bool(decided.value)
    if choice is None:
        branches = [_node(yes, scope), _node(no, scope)]
        return Result(UNKNOWN, _merge_refs(decided.references, *(b.references for b in branches)))
    chosen = _node(yes if choice else no, scope)
    return Result(chosen.value, _merge_refs(decided.references, chosen.references))


def _as_bool(value: Any) -> bool | None:
    """A bool as Terraform converts one (a string "true"/"false" too); None when not a known bool."""
    if isinstance(value, bool):
        return value
    return {"true": True, "false": False}.get(value) if isinstance(value, str) else None


def _as_number(value: Any) -> int | float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, str) and _NUMBER.match(value.strip()):
        return float(value) if "." in value else int(value)
    return None


def _unary(op: str, value: Any) -> Any:
    if op == "!":
        known = _as_bool(value)
        return UNKNOWN if known is None else not known
    number = _as_number(value)
    return UNKNOWN if number is None else -number


def _binary(op: str, left: Any, right: Any) -> Any:
    if op in ("&&", "||"):
        a, b = _as_bool(left), _as_bool(right)
        decisive = op == "||"  # the operand value that decides the result on its own
        if decisive in (a, b):
            return decisive
        return UNKNOWN if a is None or b is None else not decisive
    if _contains_unknown(left) or _contains_unknown(right):
        return UNKNOWN
    if op in ("==", "!="):
        return _equal(left, right) == (op == "==")
    a, b = _as_number(left), _as_number(right)
    if a is None or b is None or (op in ("/", "%") and b == 0):
        return UNKNOWN
    if op in _COMPARISONS:
        return _COMPARISONS[op](a, b)
    result = _ARITHMETIC[op](a, b)
    return int(result) if isinstance(result, float) and result.is_integer() else result


_COMPARISONS: dict[str, Callable[[Any, Any], bool]] = {
    "<": lambda a, b: a < b, "<=": lambda a, b: a <= b, ">": lambda a, b: a > b, ">=": lambda a, b: a >= b}
_ARITHMETIC: dict[str, Callable[[Any, Any], Any]] = {
    "+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b,
    "/": lambda a, b: a / b, "%": lambda a, b: a % b}


def _equal(a: Any, b: Any) -> bool:
    """Terraform's ==: values of different types are never equal (`1 == "1"` and `true == 1` are false)."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_equal(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


_BRACE = re.compile(r"[{}]")


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
        while (brace := _BRACE.search(text, j)) is not None:  # jump to braces, not every character
            j = brace.start()
            if text[j] == "}" and depth == 0:
                break
            depth += 1 if text[j] == "{" else -1
            j += 1
        else:
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
    pieces: list[str] = []  # the known text since the last unknown part (all of it while known)
    refs: list[str] = []
    prefix: str | None = None  # the known text before the first unknown part, once there is one
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
            if prefix is None:
                prefix = "".join(pieces) + result.affixes[0]
            pieces = [result.affixes[1]]
    if prefix is None:
        return Result("".join(pieces), refs)
    return Result(UNKNOWN, refs, (prefix, "".join(pieces)))


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
