"""The one exception a loader raises for a file it cannot read, and the boundary that makes it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


class InputError(Exception):
    """A file that looked like an input but could not be read; the message is one line, no secrets."""

    def __init__(self, path: str, reason: str, module: str | None = None):
        self.path = path
        self.reason = " ".join(str(reason).split())[:300]
        self.module = module  # the module directory the error makes unreadable as a whole, if any
        super().__init__(f"{path}: {self.reason}")

    def __reduce__(self):
        """Rebuilt from its fields: a parse in a worker process hands its error back by pickle."""
        return InputError, (self.path, self.reason, self.module)


@contextmanager
def reading(path: str) -> Iterator[None]:
    """The boundary of one input: whatever fails while it is read becomes its InputError, so a
    loader's blind spot costs that file, never the scan. The reason names the kind of failure
    only: an exception's text can quote the file's values (a secret)."""
    try:
        yield
    except InputError:
        raise
    except RecursionError:
        raise InputError(path, "nested too deeply") from None
    except UnicodeError:
        raise InputError(path, "holds text that is not valid Unicode (a lone surrogate such as \\ud800)") from None
    except Exception as exc:  # noqa: BLE001 - this is the boundary
        raise InputError(path, f"cannot be read: streamguard's loader failed on it ({type(exc).__name__})") from None
