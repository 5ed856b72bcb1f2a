"""ACME_002 (CloudFormation): Firehose writes to S3 under a prefix per day.

Twin of policies/acme/rules/acme_002/acme_002.rego.
"""

import re

from streamguard.api import CfnResource, CloudFormationCheck, prop

DAILY = re.compile(r"!\{timestamp:[^}]*dd[^}]*\}")


class Acme002Cloudformation(CloudFormationCheck):
    rule_id = "ACME_002"

    def reasons(self, res: CfnResource) -> list[str]:
        reasons = set()
        for destination in res.values_of(prop(res.values, "ExtendedS3DestinationConfiguration")):
            if not isinstance(destination, dict):
                continue
            for prefix in res.values_of(prop(destination, "Prefix")):
                if prefix in (None, ""):
                    reasons.add("ExtendedS3DestinationConfiguration.Prefix is not set")
                elif isinstance(prefix, str) and not DAILY.search(prefix):
                    reasons.add(f'ExtendedS3DestinationConfiguration.Prefix "{prefix}" has no day in it')
        return sorted(reasons)


check = Acme002Cloudformation()
