"""Writers for scan results: text, json (and the CI formats)."""


def printable(path: str) -> str:
    """A path as any output can hold it: the bytes of a file name that is not UTF-8 (which Python
    keeps as lone surrogates, and a strict UTF-8 stdout or XML cannot take) become U+FFFD."""
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
