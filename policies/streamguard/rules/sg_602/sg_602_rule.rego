# The verdict of SG_602: `_reasons[address]` is the set of reasons a resource fails.
# Its METADATA, `_meta`, `deny` and `suppressed` are generated into sg_602_meta.rego from
# catalog/SG_602.yaml.
package streamguard.rules.sg_602

import rego.v1

import data.streamguard.lib.cfn
import data.streamguard.lib.resources
import data.streamguard.lib.tf
import data.streamguard.lib.util

# Log file validation defaults to off in both formats. A key given by reference is set (unknown
# values are not absent).
_reasons[res.address] contains "enable_log_file_validation is not true" if {
	some res in resources.by_address
	res.type == "aws_cloudtrail"
	not tf.unknown(res, ["enable_log_file_validation"])
	not util.is_true(util.at_or(res.values, ["enable_log_file_validation"], null))
}

_reasons[res.address] contains "kms_key_id is not set" if {
	some res in resources.by_address
	res.type == "aws_cloudtrail"
	tf.absent(res, ["kms_key_id"])
}

_reasons[res.address] contains "EnableLogFileValidation is not true" if {
	some res in resources.by_address
	res.type == "AWS::CloudTrail::Trail"
	some validation in cfn.values(cfn.prop(res.values, "EnableLogFileValidation"))
	not util.is_true(validation)
}

_reasons[res.address] contains "KMSKeyId is not set" if {
	some res in resources.by_address
	res.type == "AWS::CloudTrail::Trail"
	some key in cfn.values(cfn.prop(res.values, "KMSKeyId"))
	key in {null, ""}
}
