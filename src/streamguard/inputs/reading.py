"""Reading input files safely: size and nesting limits, binary and encoding checks.

A scanner in CI reads whatever a pull request contains. Every file goes through `read_text`
(bounded size, UTF-8 text only) and every parsed document through `check_document` (bounded
nesting, JSON values only), so a hostile file costs bounded time and memory and becomes one
InputError naming it.
"""

from __future__ import annotations

import math
import os
import signal
import stat
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from streamguard.inputs.errors import InputError

# Limits, with the reason for each number.
MAX_TEMPLATE_BYTES = 1_048_576 * 2   # CloudFormation accepts templates of up to 1 MB (S3); twice that is not a template
MAX_TERRAFORM_BYTES = 8 * 1_048_576  # generous for hand-written HCL; generated HCL beyond this is not reviewed code
MAX_PLAN_BYTES = 256 * 1_048_576     # plans of very large estates reach tens of MB
MAX_DEPTH = 64                       # real templates and plans nest < 20 levels; rego-cpp recursion must stay bounded
MAX_INSTANCES = 10_000               # addresses one block or module directory is reported at (count, for_each, calls)
# YAML aliases can expand a small file without bound, and what the engines spend grows with the
# expanded text (every value's path is walked), counted as YAML block text (indentation included:
# a deep value costs its depth). A template expands to at most 32 times its own text (flow style
# at the nesting limit is that much shorter than block text), 64 KiB for a small one, and never
# to more than a template may be: 491 bytes that expanded to 2 MB still cost Checkov 3.7 minutes.
MAX_EXPANSION = 32
MIN_EXPANDED_BYTES = 65_536


def expanded_limit(text: str) -> int:
    """How large the YAML template `text` may be once its aliases are expanded."""
    return min(MAX_TEMPLATE_BYTES, max(MIN_EXPANDED_BYTES, MAX_EXPANSION * len(text)))
# python-hcl2 backtracks for ever on some one-character edits: Checkov's own limit and variable,
# so both engines give up on the same files (0 turns the limit off, as in Checkov).
MAX_PARSE_SECONDS = int(os.environ.get("HCL_PARSE_TIMEOUT_SEC", "10") or 0)


def limit_for(path: str) -> int:
    """The size limit of a file, by what it can be: .tf, template-or-plan JSON, YAML template."""
    if path.endswith(".tf"):
        return MAX_TERRAFORM_BYTES
    if path.endswith(".json"):
        return MAX_PLAN_BYTES
    return MAX_TEMPLATE_BYTES


def read_text(path: str, limit: int | None = None) -> str:
    """The file as text: an InputError when it is too large, unreadable, binary or not UTF-8."""
    limit = limit if limit is not None else limit_for(path)
    if not _is_unicode(path):  # its bytes come back as lone surrogates, which no JSON input can carry
        raise InputError(path, "file name is not UTF-8 text")
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            raise InputError(path, "not a regular file (a pipe, device or socket is never read)")
        size = info.st_size
        if size > limit:
            raise InputError(path, f"file is {size:,} bytes, over streamguard's limit of {limit:,} "
                                   "for this kind of file")
        with open(path, "rb") as fh:
            raw = fh.read(limit + 1)
    except OSError as exc:
        raise InputError(path, exc.strerror or "cannot be read") from None
    if len(raw) > limit:
        raise InputError(path, f"file is over streamguard's limit of {limit:,} bytes for this kind of file")
    if b"\x00" in raw:
        raise InputError(path, "binary file, not text")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(path, f"not UTF-8 text (invalid byte at offset {exc.start})") from None


def check_document(path: str, value: Any, limit: int = MAX_DEPTH, max_bytes: int | None = None) -> None:
    """Reject what the engines cannot take as JSON input: documents nested deeper than `limit`,
    larger than `max_bytes` once YAML aliases are expanded (as block text), or holding a value JSON
    has no form for (a YAML !!set or !!binary, NaN or Infinity, a string with a lone surrogate,
    which Terraform and UTF-8 reject). Iterative: a deep document must not recurse here."""
    stack = [(value, 1)]
    size = 0
    while stack:
        node, depth = stack.pop()
        size += 2 * depth + (len(node) if isinstance(node, str) else 2)
        if depth > limit:
            raise InputError(path, f"nested more than {limit} levels deep")
        if isinstance(node, dict):
            for key in node:
                _check_scalar(path, key)
                size += len(key) if isinstance(key, str) else 8
            stack.extend((v, depth + 1) for v in node.values())
        elif isinstance(node, (list, tuple)):
            stack.extend((v, depth + 1) for v in node)
        else:
            _check_scalar(path, node)
        if max_bytes is not None and size > max_bytes:
            raise InputError(path, f"over {max_bytes:,} bytes once YAML aliases are expanded")


def _check_scalar(path: str, value: Any) -> None:
    if isinstance(value, str):
        if not value.isascii() and not _is_unicode(value):
            raise InputError(path, "holds a string that is not valid Unicode (a lone surrogate such as \\ud800)")
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise InputError(path, "holds NaN or Infinity, which JSON has no value for")
    elif value is not None and not isinstance(value, int):
        raise InputError(path, f"holds a {type(value).__name__} value (a YAML tag such as !!set or !!binary), "
                               "which JSON has no form for")


def _is_unicode(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def is_readable_file(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:
        return False


@contextmanager
def time_limit(path: str, what: str, seconds: int = MAX_PARSE_SECONDS) -> Iterator[None]:
    """Stop a parser that runs longer than `seconds` with an InputError naming the file.

    python-hcl2's lexer can backtrack without end on a small edit (a `${` inside a block label).
    The limit is an alarm signal, so it applies where parsing runs in a process's main thread (the
    CLI and its workers) and no other alarm is pending; elsewhere the parser runs unbounded, as
    Checkov's own parser does in threads.
    """
    in_main_thread = threading.current_thread() is threading.main_thread()
    if not seconds or not in_main_thread or signal.getitimer(signal.ITIMER_REAL)[0]:
        yield  # no limit asked, signals unusable here, or another alarm (Checkov's) is running
        return

    def give_up(signum: int, frame: Any) -> None:
        raise InputError(path, f"{what} took longer than {seconds} s")

    previous = signal.signal(signal.SIGALRM, give_up)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
