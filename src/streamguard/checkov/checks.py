"""Base classes of the generated Checkov checks in checks/: metadata from the catalog, verdicts from logic/.

A check asks the registry for its rule's verdict, builds the resource view (Terraform: Checkov's
configuration tied to the scan graph; CloudFormation: the whole template), and reports FAILED
with the finding message in `details`, or PASSED. An unresolvable value is never a failure. A
resource the rule's precheck rules out is UNKNOWN, which Checkov does not report: the cheapest
answer it takes (a PASSED result costs a record in the report).

Importing this module installs streamguard's extension of Checkov (streamguard.checkov) before it
imports anything of Checkov's: a Checkov it does not know stops the scan there.
"""

# ruff: noqa: E402  (install() runs before the imports of Checkov's modules below)
from __future__ import annotations

import logging
import os
from typing import Any

from streamguard.checkov import install

install()

from checkov.cloudformation.checks.resource.base_resource_check import BaseResourceCheck as CfnResourceCheck
from checkov.common.bridgecrew.severities import Severities
from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.data.base_check import BaseDataCheck
from checkov.terraform.checks.module.base_module_check import BaseModuleCheck
from checkov.terraform.checks.provider.base_check import BaseProviderCheck
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck as TfResourceCheck

from streamguard import metadata
from streamguard.checkov import sections as checkov_sections
from streamguard.logic import cfn, registry, sections, tf


class _RuleCheck:
    """What every streamguard check shares: identity from the catalog, the verdict, the result."""

    rule_id: str
    fmt: str

    def _identity(self, types: list[str]) -> dict:
        meta = metadata.rule(self.rule_id)
        return {
            "name": meta["title"],
            "id": self.rule_id,
            "categories": [CheckCategories[meta["checkov_category"]]],
            "types": types,
            "guideline": meta["help_uri"],
        }

    def _decide(self, view) -> CheckResult:
        return self._result(registry.lookup(self.rule_id, self.fmt)(view))

    def _result(self, reasons: list[str]) -> CheckResult:
        """FAILED with the finding message in details when there are reasons, else PASSED."""
        if not reasons:
            return CheckResult.PASSED
        self.details.append(metadata.finding_message(self.rule_id, self.fmt, reasons))
        return CheckResult.FAILED

    def _configure(self) -> None:
        """Severity from the catalog; Checkov's per-result debug record only when asked for."""
        self.severity = Severities[metadata.rule(self.rule_id)["severity"]]
        self._applies = registry.applies(self.rule_id, self.fmt)
        self._quiet_unless_debugging()

    def _quiet_unless_debugging(self) -> None:
        """Checkov records every check result at DEBUG in an in-memory log, whatever LOG_LEVEL says
        (13 µs a record, one per resource per check); streamguard's checks keep those records only
        when LOG_LEVEL=DEBUG asks for them."""
        if os.getenv("LOG_LEVEL", "WARNING").upper() != "DEBUG":
            self.logger.setLevel(logging.INFO)


class TerraformRuleCheck(_RuleCheck, TfResourceCheck):
    fmt = "terraform"

    def __init__(self) -> None:
        ident = self._identity(metadata.rule(self.rule_id)["checkov_types"]["resource"])
        super().__init__(name=ident["name"], id=ident["id"], categories=ident["categories"],
                         supported_resources=ident["types"], guideline=ident["guideline"])
        self._configure()

    def scan_resource_conf(self, conf: dict) -> CheckResult:
        if not self._applies(conf):
            return CheckResult.UNKNOWN
        return self._decide(tf.view(conf, self.entity_type, self.graph))


class TerraformDataRuleCheck(_RuleCheck, BaseDataCheck):
    fmt = "terraform"

    def __init__(self) -> None:
        ident = self._identity(metadata.rule(self.rule_id)["checkov_types"]["data"])
        super().__init__(name=ident["name"], id=ident["id"], categories=ident["categories"],
                         supported_data=ident["types"], guideline=ident["guideline"])
        self._configure()

    def scan_data_conf(self, conf: dict) -> CheckResult:
        if not self._applies(conf):
            return CheckResult.UNKNOWN
        view = tf.view(conf, self.entity_type, self.graph)
        if not view.address.startswith("data."):
            view.address = f"data.{view.address}"
        return self._decide(view)


class TerraformProviderRuleCheck(_RuleCheck, BaseProviderCheck):
    fmt = "terraform"

    def __init__(self) -> None:
        ident = self._identity(["aws"])
        super().__init__(name=ident["name"], id=ident["id"], categories=ident["categories"],
                         supported_provider=ident["types"], guideline=ident["guideline"])
        self._configure()

    def scan_provider_conf(self, conf: dict) -> CheckResult:
        alias = tf.unwrap(conf).get("alias")
        address = f"aws.{alias if isinstance(alias, str) else 'default'}"
        return self._decide(tf.TfResource(address, "provider.aws", tf.unwrap(conf), None, ""))


class TerraformModuleRuleCheck(_RuleCheck, BaseModuleCheck):
    """Module calls of HCL (Checkov names them without `module.`); plan JSON has no module blocks
    for Checkov, so TerraformSectionRuleCheck checks those."""

    fmt = "terraform"

    def __init__(self) -> None:
        ident = self._identity(["module"])
        super().__init__(name=ident["name"], id=ident["id"], categories=ident["categories"],
                         guideline=ident["guideline"])
        self._configure()

    def scan_module_conf(self, conf: dict) -> CheckResult:
        return self._decide(sections.module_call(conf))


class _SectionRuleCheck(_RuleCheck, checkov_sections.SectionCheck):
    """Entries outside resources, which Checkov's runners do not check: see streamguard.checkov.sections."""

    _types_key: str  # the catalog's checkov_types entry naming the kinds checked
    _registry: Any  # the streamguard.checkov.sections registry of the format

    def __init__(self) -> None:
        ident = self._identity(metadata.rule(self.rule_id)["checkov_types"][self._types_key])
        super().__init__(name=ident["name"], id=ident["id"], categories=ident["categories"], kinds=ident["types"],
                         guideline=ident["guideline"], registry=self._registry)
        self._configure()

    def scan_section(self, section: sections.Section) -> CheckResult:
        return self._decide(section)


class TerraformSectionRuleCheck(_SectionRuleCheck):
    """Variables, locals and outputs (and plan JSON module calls)."""

    fmt = "terraform"
    _types_key = "terraform_sections"
    _registry = checkov_sections.TERRAFORM


class CloudFormationRuleCheck(_RuleCheck, CfnResourceCheck):
    fmt = "cloudformation"

    def __init__(self) -> None:
        ident = self._identity(metadata.rule(self.rule_id)["checkov_types"]["cloudformation"])
        super().__init__(name=ident["name"], id=ident["id"], categories=ident["categories"],
                         supported_resources=ident["types"], guideline=ident["guideline"])
        self._configure()

    def scan_resource_conf(self, conf: dict) -> CheckResult:
        if not self._applies(conf):
            return CheckResult.UNKNOWN
        logical_id = self.entity_path.rsplit(":", 1)[-1]
        return self._result(registry.cloudformation_reasons(self.rule_id, cfn.view(conf, logical_id)))


class CloudFormationSectionRuleCheck(_SectionRuleCheck):
    """Parameters, Mappings and Outputs."""

    fmt = "cloudformation"
    _types_key = "cloudformation_sections"
    _registry = checkov_sections.CLOUDFORMATION
