"""Lets the checks import streamguard from this checkout when Checkov runs outside streamguard's venv.

Checkov puts each external-checks folder on sys.path before loading its files, so every check
can import this module first. It defines no check.
"""

import sys
from pathlib import Path

_SRC = Path(__file__).resolve().parent.parent / "src"
try:
    import streamguard  # noqa: F401
except ImportError:
    if _SRC.is_dir():
        sys.path.insert(0, str(_SRC))
