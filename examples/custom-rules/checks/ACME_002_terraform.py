"""ACME_002 (Terraform): Firehose writes to S3 under a prefix per day.

Twin of policies/acme/rules/acme_002/acme_002.rego.
"""

import re

from streamguard.api import UNKNOWN, TerraformCheck, TfResource, nested, source_view

DAILY = re.compile(r"!\{timestamp:[^}]*dd[^}]*\}")


class Acme002Terraform(TerraformCheck):
    rule_id = "ACME_002"

    def reasons(self, res: TfResource) -> list[str]:
        reasons = set()
        for destination in nested(source_view(res), "extended_s3_configuration"):
            prefix = destination.value(["prefix"])
            if prefix is UNKNOWN:
                continue
            if prefix in (None, ""):
                reasons.add("extended_s3_configuration.prefix is not set")
            elif isinstance(prefix, str) and not DAILY.search(prefix):
                reasons.add(f'extended_s3_configuration.prefix "{prefix}" has no day in it')
        return sorted(reasons)


check = Acme002Terraform()
