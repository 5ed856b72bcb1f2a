"""ACME_001 (Terraform): Kinesis streams keep data at least 48 hours.

Twin of policies/acme/rules/acme_001/acme_001.rego: same reasons, same verdicts (`streamguard
test-rules examples/custom-rules` proves it on the fixtures).
"""

from hours import hours

from streamguard.api import UNKNOWN, TerraformCheck, TfResource

MINIMUM = 48


class Acme001Terraform(TerraformCheck):
    rule_id = "ACME_001"

    def reasons(self, res: TfResource) -> list[str]:
        value = res.value(["retention_period"])
        if value is UNKNOWN:
            return []
        if value in (None, ""):
            return ["retention_period is not set (the default is 24 hours)"]
        found = hours(value)
        return [f"retention_period is {int(found)} hours"] if found is not None and found < MINIMUM else []


check = Acme001Terraform()
