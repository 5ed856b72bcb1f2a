"""Terraform expression syntax, as python-hcl2 renders it inside "${...}", parsed into a small tree.

python-hcl2 writes an expression back as text: operators spaced, `true`/`false`/`null` inside an
operation as `True`/`False`/`None`, object and list literals inside one as Python literals
(`{'a': 1}`). This parser reads that text with Terraform's operator precedence; the evaluator
(streamguard.inputs.tf_expressions) gives the tree its value. What it does not model (a `for`
expression, a splat) is kept as text, and a text it cannot parse raises SyntaxError: both are
unknown to the evaluator.

Nodes are tuples: ("lit", value), ("str", text), ("list", [n]), ("object", [(k, v)]),
("ref", text), ("index", n, key), ("call", name, [n], argument text), ("unary", op, n),
("binary", op, left, right), ("cond", test, yes, no), ("opaque", text).
"""

from __future__ import annotations

import ast
import re
from typing import Any

_TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<num>\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)
  | (?P<ident>[A-Za-z_][A-Za-z0-9_\-]*)
  | (?P<op>==|!=|<=|>=|&&|\|\||=>|::|\.\.\.|[-+*/%<>!?:.,()\[\]{}=])
""", re.X)

# Binary operators by precedence, lowest first (Terraform's table; unary ! and - bind tighter).
_LEVELS = {"||": 1, "&&": 2, "==": 3, "!=": 3, "<": 4, "<=": 4, ">": 4, ">=": 4,
           "+": 5, "-": 5, "*": 6, "/": 6, "%": 6}
_KEYWORDS = {"true": True, "false": False, "null": None, "True": True, "False": False, "None": None}
_CLOSING = {"(": ")", "[": "]", "{": "}"}

# Functions whose argument the evaluator reads as text (python-hcl2 renders an object argument of
# jsonencode as a Python literal whose unknown parts keep their source text).
RAW_ARGUMENTS = frozenset({"jsonencode"})


def _string_end(text: str, start: int) -> int:
    """Index just past the string literal opening at text[start] (a `${...}` inside may hold quotes)."""
    quote, i = text[start], start + 1
    while i < len(text):
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if ch == quote:
            return i + 1
        if quote == '"' and text.startswith("${", i):
            i = _template_end(text, i + 2)
            continue
        i += 1
    raise SyntaxError("unterminated string")


def _template_end(text: str, i: int) -> int:
    """Index just past the `}` closing an interpolation whose body starts at i."""
    depth = 0
    while i < len(text):
        ch = text[i]
        if ch in "\"'":
            i = _string_end(text, i)
            continue
        if ch == "{":
            depth += 1
        elif ch == "}":
            if depth == 0:
                return i + 1
            depth -= 1
        i += 1
    raise SyntaxError("unterminated interpolation")


def tokens(text: str) -> list[tuple[str, str, int, int]]:
    """(kind, text, start, end) of each token; kind is num, str, pystr, ident or op."""
    out = []
    i = 0
    while i < len(text):
        if text[i] in "\"'":
            end = _string_end(text, i)
            out.append(("str" if text[i] == '"' else "pystr", text[i:end], i, end))
            i = end
            continue
        match = _TOKEN.match(text, i)
        if not match:
            raise SyntaxError(f"unexpected {text[i]!r}")
        if match.lastgroup != "space":
            out.append((match.lastgroup, match.group(), i, match.end()))
        i = match.end()
    return out


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.toks = tokens(text)
        self.i = 0

    def peek(self, offset: int = 0) -> str | None:
        j = self.i + offset
        return self.toks[j][1] if j < len(self.toks) and self.toks[j][0] == "op" else None

    def take(self, op: str | None = None) -> tuple[str, str, int, int]:
        if self.i >= len(self.toks) or (op is not None and self.peek() != op):
            raise SyntaxError(f"expected {op or 'more'}")
        self.i += 1
        return self.toks[self.i - 1]

    def skip_balanced(self) -> int:
        """Skip the bracketed group opening here; the end offset of its closing bracket."""
        depth = 0
        while self.i < len(self.toks):
            kind, tok, _, end = self.take()
            if kind == "op" and tok in _CLOSING:
                depth += 1
            elif kind == "op" and tok in _CLOSING.values():
                depth -= 1
                if depth == 0:
                    return end
        raise SyntaxError("unbalanced brackets")

    def expression(self) -> tuple:
        test = self.binary(1)
        if self.peek() != "?":
            return test
        self.take("?")
        yes = self.expression()
        self.take(":")
        return ("cond", test, yes, self.expression())

    def binary(self, level: int) -> tuple:
        left = self.unary()
        while (op := self.peek()) in _LEVELS and _LEVELS[op] >= level:
            self.take()
            left = ("binary", op, left, self.binary(_LEVELS[op] + 1))
        return left

    def unary(self) -> tuple:
        if self.peek() in ("!", "-"):
            return ("unary", self.take()[1], self.unary())
        return self.postfix(self.primary())

    def postfix(self, node: tuple) -> tuple:
        while self.peek() in (".", "["):
            if self.peek() == "[" and self.peek(1) != "*":
                self.take("[")
                key = self.expression()
                self.take("]")
                node = ("index", node, key)
            elif self.peek() == "." and self.i + 1 < len(self.toks) and self.toks[self.i + 1][0] == "ident":
                self.take(".")
                node = ("index", node, ("lit", self.take()[1]))
            else:
                raise SyntaxError("splat")
        return node

    def primary(self) -> tuple:
        kind, tok, start, end = self.take()
        if kind == "num":
            return ("lit", float(tok) if any(c in tok for c in ".eE") else int(tok))
        if kind == "str":
            return ("str", tok[1:-1])
        if kind == "pystr":
            return ("str", ast.literal_eval(tok))
        if kind == "ident":
            if tok in _KEYWORDS:
                return ("lit", _KEYWORDS[tok])
            if self.peek() == "(":
                return self.call(tok)
            return self.reference(start)
        if tok == "(":
            node = self.expression()
            self.take(")")
            return node
        if tok in ("[", "{"):
            if self.i < len(self.toks) and self.toks[self.i][1] == "for":
                self.i -= 1
                return ("opaque", self.text[start:self.skip_balanced()])
            return self.collection(tok)
        raise SyntaxError(f"unexpected {tok!r}")

    def reference(self, start: int) -> tuple:
        """A traversal from a name (`var.a.b[0]`, `aws_kms_key.k[0].arn`), kept as its text; a
        splat (`.*`, `[*]`) makes the whole traversal opaque."""
        end = self.toks[self.i - 1][3]
        opaque = False
        while self.peek() in (".", "["):
            if self.peek() == "[":
                opaque = opaque or self.peek(1) == "*"
                end = self.skip_balanced()
                continue
            self.take(".")
            kind, tok, _, end = self.take()
            opaque = opaque or tok == "*"
            if kind not in ("ident", "num") and tok != "*":
                raise SyntaxError("bad traversal")
        return ("opaque" if opaque else "ref", self.text[start:end])

    def call(self, name: str) -> tuple:
        if name in RAW_ARGUMENTS:
            opened = self.toks[self.i][3]
            return ("call", name, [], self.text[opened:self.skip_balanced() - 1])
        self.take("(")
        args = []
        while self.peek() != ")":
            args.append(self.expression())
            if self.peek() != ")":
                self.take(",")
        self.take(")")
        return ("call", name, args, "")

    def collection(self, opening: str) -> tuple:
        closing = _CLOSING[opening]
        items: list[Any] = []
        while self.peek() != closing:
            item = self.expression()
            if opening == "{":
                if self.peek() not in ("=", ":"):
                    raise SyntaxError("object element without a value")
                self.take()
                item = (item, self.expression())
            items.append(item)
            if self.peek() != closing:
                self.take(",")
        self.take(closing)
        return ("list", items) if opening == "[" else ("object", items)


def parse(text: str) -> tuple:
    """The tree of one expression; SyntaxError when the text is not one this parser reads
    (RecursionError on a hostile nesting depth, which the caller treats alike)."""
    parser = _Parser(text)
    node = parser.expression()
    if parser.i != len(parser.toks):
        raise SyntaxError("trailing text")
    return node
