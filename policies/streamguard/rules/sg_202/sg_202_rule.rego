# The verdict of SG_202: `_reasons[address]` is the set of reasons a resource fails.
# Its METADATA, `_meta`, `deny` and `suppressed` are generated into sg_202_meta.rego from
# catalog/SG_202.yaml.
package streamguard.rules.sg_202

import rego.v1

import data.streamguard.lib.cfn
import data.streamguard.lib.resources
import data.streamguard.lib.tf
import data.streamguard.lib.util

_reasons[res.address] contains reason if {
	some res in resources.by_address
	res.type == "aws_kinesis_firehose_delivery_stream"
	some i, block in tf.blocks(res, "server_side_encryption")
	not tf.unknown(res, ["server_side_encryption", i, "key_type"])
	key_type := util.at_or(block, ["key_type"], null)
	key_arn_set := _sg202_tf_key_arn_set(res, ["server_side_encryption", i, "key_arn"])
	mismatch := _sg202_mismatch(key_type, key_arn_set, {"type": "key_type", "arn": "key_arn"})
	reason := concat("", ["server_side_encryption.", mismatch])
}

# Every combination of KeyType and KeyARN branches the template can deploy (conditions agree).
_reasons[res.address] contains reason if {
	some res in resources.by_address
	res.type == "AWS::KinesisFirehose::DeliveryStream"
	some [enc, enc_when] in cfn.branches_when(cfn.prop(res.values, "DeliveryStreamEncryptionConfigurationInput"))
	some [key_type_branch, key_type_when] in cfn.branches_when(cfn.prop(enc, "KeyType"))
	some [key_arn_branch, key_arn_when] in cfn.branches_when(cfn.prop(enc, "KeyARN"))
	cfn.conditions_agree(enc_when, key_type_when)
	cfn.conditions_agree(enc_when, key_arn_when)
	cfn.conditions_agree(key_type_when, key_arn_when)
	some key_type in cfn.values(key_type_branch)
	key_arn_set := _sg202_cfn_key_arn_set(key_arn_branch)
	mismatch := _sg202_mismatch(key_type, key_arn_set, {"type": "KeyType", "arn": "KeyARN"})
	reason := concat("", ["DeliveryStreamEncryptionConfigurationInput.", mismatch])
}

# A key ARN that is a reference or otherwise unknown counts as set.
_sg202_tf_key_arn_set(res, path) := false if tf.absent(res, path)

_sg202_tf_key_arn_set(res, path) := true if not tf.absent(res, path)

_sg202_cfn_key_arn_set(branch) := false if {
	some v in cfn.values(branch)
	v in {null, ""}
}

_sg202_cfn_key_arn_set(branch) := true if {
	not null in cfn.values(branch)
	not "" in cfn.values(branch)
}

# The key type and key ARN do not go together: names are the attribute names of the format.
_sg202_mismatch(key_type, key_arn_set, names) := concat("", [names.type, " is ", util.show(key_type), " but ", names.arn, " is not set"]) if {
	not key_arn_set
	util.upper_or_empty(key_type) == "CUSTOMER_MANAGED_CMK"
}

_sg202_mismatch(key_type, key_arn_set, names) := concat("", [names.arn, " is set but ", names.type, " is ", util.show(key_type)]) if {
	key_arn_set
	_sg202_aws_owned(key_type)
}

# Terraform's default key type is AWS_OWNED_CMK; CloudFormation requires KeyType, and a missing
# one is as wrong with a key ARN.
_sg202_aws_owned(key_type) if key_type == null

_sg202_aws_owned(key_type) if util.upper_or_empty(key_type) == "AWS_OWNED_CMK"
