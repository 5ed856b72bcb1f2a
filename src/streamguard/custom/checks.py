"""Base classes of a rule pack's Checkov checks (`checkov --external-checks-dir my-rules/checks`).

A pack's check names its rule ID and implements `reasons(res)`; its title, severity, resource
types and message come from the rule's Rego METADATA (found through `policies`, a folder relative
to the check's own file), so the two engines of a pack share one catalog entry. `res` is the
same view the built-in checks get: Terraform resources tied to Checkov's graph (references
resolve), CloudFormation resources inside their whole template.
"""

from __future__ import annotations

import functools
import inspect
from pathlib import Path

from checkov.cloudformation.checks.resource.base_resource_check import BaseResourceCheck as CfnResourceCheck
from checkov.common.bridgecrew.severities import Severities
from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck as TfResourceCheck

from streamguard import metadata
from streamguard.custom import pack
from streamguard.logic import cfn, tf


@functools.cache
def _rules(policies: Path) -> dict[str, dict]:
    return pack.load([str(policies)]).rules


class _PackCheck:
    rule_id: str
    policies: str = "../policies"
    fmt: str

    def _rule(self) -> dict:
        policies = (Path(inspect.getfile(type(self))).parent / self.policies).resolve()
        rules = _rules(policies)
        if self.rule_id not in rules:
            raise pack.PackError(f"{inspect.getfile(type(self))}: no rule {self.rule_id} in {policies}")
        return rules[self.rule_id]

    def _identity(self, rule: dict) -> dict:
        return {"name": rule["title"], "id": self.rule_id, "categories": [CheckCategories.GENERAL_SECURITY],
                "supported_resources": rule["resource_types"].get(self.fmt, []),
                "guideline": rule["help_uri"] or None}

    def reasons(self, res) -> list[str]:
        """Why res fails (empty: it passes); the same strings as the rule's Rego `_reasons`."""
        raise NotImplementedError

    def _decide(self, res) -> CheckResult:
        reasons = self.reasons(res)
        if not reasons:
            return CheckResult.PASSED
        self.details.append(metadata.format_message(self._meta, self.fmt, reasons))
        return CheckResult.FAILED


class TerraformCheck(_PackCheck, TfResourceCheck):
    """A pack's check of Terraform resources (HCL and plan JSON); `reasons` gets a TfResource."""

    fmt = "terraform"

    def __init__(self) -> None:
        self._meta = self._rule()
        super().__init__(**self._identity(self._meta))
        self.severity = Severities[self._meta["severity"]]

    def scan_resource_conf(self, conf: dict) -> CheckResult:
        return self._decide(tf.view(conf, self.entity_type, self.graph))


class CloudFormationCheck(_PackCheck, CfnResourceCheck):
    """A pack's check of CloudFormation resources (YAML and JSON); `reasons` gets a CfnResource."""

    fmt = "cloudformation"

    def __init__(self) -> None:
        self._meta = self._rule()
        super().__init__(**self._identity(self._meta))
        self.severity = Severities[self._meta["severity"]]

    def scan_resource_conf(self, conf: dict) -> CheckResult:
        return self._decide(cfn.view(conf, self.entity_path.rsplit(":", 1)[-1]))
