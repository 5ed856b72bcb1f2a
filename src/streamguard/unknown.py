"""The value that cannot be known statically: the loaders (streamguard.inputs) produce it, the rules
(streamguard.logic) read it, so it belongs to neither."""

from __future__ import annotations


class _Unknown:
    """A value that cannot be resolved statically (RULES.md: unknowns are not failures)."""

    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNKNOWN"

    def __bool__(self) -> bool:
        return False


UNKNOWN = _Unknown()
