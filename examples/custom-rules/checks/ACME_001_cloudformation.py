"""ACME_001 (CloudFormation): Kinesis streams keep data at least 48 hours.

Twin of policies/acme/rules/acme_001/acme_001.rego.
"""

from hours import hours

from streamguard.api import CfnResource, CloudFormationCheck, prop

MINIMUM = 48


class Acme001Cloudformation(CloudFormationCheck):
    rule_id = "ACME_001"

    def reasons(self, res: CfnResource) -> list[str]:
        reasons = set()
        for value in res.values_of(prop(res.values, "RetentionPeriodHours")):
            found = hours(value)
            if value is None:
                reasons.add("RetentionPeriodHours is not set (the default is 24 hours)")
            elif found is not None and found < MINIMUM:
                reasons.add(f"RetentionPeriodHours is {int(found)}")
        return sorted(reasons)


check = Acme001Cloudformation()
