# The verdict of SG_204: `_reasons[address]` is the set of reasons a resource fails.
# Its METADATA, `_meta`, `deny` and `suppressed` are generated into sg_204_meta.rego from
# catalog/SG_204.yaml.
package streamguard.rules.sg_204

import rego.v1

import data.streamguard.lib.cfn
import data.streamguard.lib.kms
import data.streamguard.lib.resources
import data.streamguard.lib.util

# Replica keys are not reported: their primary's rotation setting governs them, and the primary is
# among the streaming keys. Asymmetric and HMAC keys cannot rotate automatically.
_reasons[key.address] contains reason if {
	some address in kms.streaming_key_addresses
	key := resources.by_address[address]
	key.type == "aws_kms_key"
	every name in kms.spec_attributes[key.type] {
		some spec in kms.key_setting(key, name)
		kms.symmetric_key_spec(spec)
	}
	some rotation in kms.key_setting(key, "enable_key_rotation")
	off := _sg204_rotation_off(rotation)
	reason := concat("", ["enable_key_rotation is ", off])
}

# Every combination of KeySpec and EnableKeyRotation branches the template can deploy.
_reasons[key.address] contains reason if {
	some address in kms.streaming_key_addresses
	key := resources.by_address[address]
	key.type == "AWS::KMS::Key"
	some [spec_branch, spec_when] in cfn.branches_when(cfn.prop(key.values, "KeySpec"))
	some [rotation_branch, rotation_when] in cfn.branches_when(cfn.prop(key.values, "EnableKeyRotation"))
	cfn.conditions_agree(spec_when, rotation_when)
	some spec in cfn.values(spec_branch)
	kms.symmetric_key_spec(spec)
	some rotation in cfn.values(rotation_branch)
	off := _sg204_rotation_off(rotation)
	reason := concat("", ["EnableKeyRotation is ", off])
}

# How a setting that leaves rotation off reads in the message ("false" in every spelling).
_sg204_rotation_off(rotation) := "not set" if rotation == null

_sg204_rotation_off(rotation) := "false" if util.is_false(rotation)
