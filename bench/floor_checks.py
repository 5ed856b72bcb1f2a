"""Write a folder of do-nothing Checkov checks with streamguard's IDs, types and severities.

Checkov spends time on every (check, resource) result whatever the check does: choosing whether to
run it, debug records, the result record, its masking and its place in the report. `make bench`
runs Checkov with these checks too, in the same rounds, so the part of streamguard's overhead that
is Checkov's own cost per result is measured, not guessed: the floor any pack of 26 rules on these
resource types pays. Terraform resources and data sources only: the corpus has nothing else.
"""

from __future__ import annotations

from pathlib import Path

from streamguard import metadata

_CHECK = '''from checkov.common.bridgecrew.severities import Severities
from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.{kind}.base_{module} import {base}


class Floor({base}):
    def __init__(self):
        super().__init__(name={name!r}, id={rule_id!r}, categories=[CheckCategories.{category}],
                         {types_argument}={types!r})
        self.severity = Severities[{severity!r}]

    def {method}(self, conf):
        return CheckResult.PASSED


check = Floor()
'''

_KINDS = {
    "resource": ("resource", "resource_check", "BaseResourceCheck", "supported_resources", "scan_resource_conf"),
    "data": ("data", "check", "BaseDataCheck", "supported_data", "scan_data_conf"),
}


def write(directory: Path) -> Path:
    """The folder of floor checks, one file per rule and Terraform block kind."""
    directory.mkdir(parents=True, exist_ok=True)
    for old in directory.glob("*.py"):
        old.unlink()
    (directory / "__init__.py").write_text("", encoding="utf-8")  # Checkov loads a folder that is a package
    for rule_id, rule in sorted(metadata.all_rules().items()):
        for block, (kind, module, base, types_argument, method) in _KINDS.items():
            types = rule["checkov_types"].get(block)
            if not types:
                continue
            (directory / f"{rule_id}_{block}.py").write_text(_CHECK.format(
                kind=kind, module=module, base=base, name=rule["title"], rule_id=rule_id,
                category=rule["checkov_category"], types_argument=types_argument, types=types,
                severity=rule["severity"], method=method), encoding="utf-8")
    return directory
