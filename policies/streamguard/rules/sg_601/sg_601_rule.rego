# The verdict of SG_601: `_reasons[address]` is the set of reasons a resource fails.
# Its METADATA, `_meta`, `deny` and `suppressed` are generated into sg_601_meta.rego from
# catalog/SG_601.yaml.
package streamguard.rules.sg_601

import rego.v1

import data.streamguard.lib.cfn
import data.streamguard.lib.resources
import data.streamguard.lib.tf
import data.streamguard.lib.util

# Terraform: is_multi_region_trail defaults to false, enable_logging to true.
_reasons[res.address] contains "is_multi_region_trail is not true" if {
	some res in resources.by_address
	res.type == "aws_cloudtrail"
	not tf.unknown(res, ["is_multi_region_trail"])
	not util.is_true(util.at_or(res.values, ["is_multi_region_trail"], null))
}

_reasons[res.address] contains "enable_logging is false" if {
	some res in resources.by_address
	res.type == "aws_cloudtrail"
	util.is_false(tf.value(res, ["enable_logging"]))
}

# CloudFormation: IsMultiRegionTrail defaults to false; IsLogging is required and has no default,
# so a trail without it does not log.
_reasons[res.address] contains "IsMultiRegionTrail is not true" if {
	some res in resources.by_address
	res.type == "AWS::CloudTrail::Trail"
	some multi_region in cfn.values(cfn.prop(res.values, "IsMultiRegionTrail"))
	not util.is_true(multi_region)
}

_reasons[res.address] contains "IsLogging is not true" if {
	some res in resources.by_address
	res.type == "AWS::CloudTrail::Trail"
	some logging in cfn.values(cfn.prop(res.values, "IsLogging"))
	not util.is_true(logging)
}
