"""Where the project's data lives: the catalog, policies, checks and rule pages.

In a checkout (and the editable install `make install` makes) they are the repository's own
folders. A regular install (`pip install git+...`, the pre-commit hook's environment) carries
policies, checks and rule pages as data files under `<prefix>/share/streamguard/`.
"""

import sys
from pathlib import Path

_CHECKOUT = Path(__file__).resolve().parents[2]
_INSTALLED = Path(sys.prefix) / "share" / "streamguard"

ROOT = _CHECKOUT if (_CHECKOUT / "policies").is_dir() else _INSTALLED
CATALOG_DIR = ROOT / "catalog"
POLICIES_DIR = ROOT / "policies"
CHECKS_DIR = ROOT / "checks"
DOCS_DIR = ROOT / "docs"
TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
