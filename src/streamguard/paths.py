"""Where the project's data lives: the catalog, policies and checks sit beside the package source.

streamguard is installed editable (`make install`), so these are the repository's own folders;
a scan never writes to them.
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CATALOG_DIR = ROOT / "catalog"
POLICIES_DIR = ROOT / "policies"
CHECKS_DIR = ROOT / "checks"
DOCS_DIR = ROOT / "docs"
TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
