# The verdict of SG_403: `_reasons[address]` is the set of reasons a resource fails.
# Its METADATA, `_meta`, `deny` and `suppressed` are generated into sg_403_meta.rego from
# catalog/SG_403.yaml.
package streamguard.rules.sg_403

import rego.v1

import data.streamguard.lib.cfn
import data.streamguard.lib.iam
import data.streamguard.lib.kms
import data.streamguard.lib.resources

_reasons[res.address] contains s.where if {
	some res in resources.by_address
	some s in _sg403_statements(res)
	not s.conditioned
	some principal in s.principals
	principal in {["*", "*"], ["AWS", "*"]}
}

# The policy each resource type holds: resource policies, key policies, role trust policies.
_sg403_policy_property := {
	"aws_kinesis_resource_policy": "policy",
	"aws_kms_key": "policy",
	"aws_kms_replica_key": "policy",
	"aws_iam_role": "assume_role_policy",
	"AWS::Kinesis::ResourcePolicy": "ResourcePolicy",
	"AWS::KMS::Key": "KeyPolicy",
	"AWS::KMS::ReplicaKey": "KeyPolicy",
	"AWS::IAM::Role": "AssumeRolePolicyDocument",
}

_sg403_statements(res) := iam.tf_allow_statements(res, [name], name) if {
	res.format == "terraform"
	name := _sg403_policy_property[res.type]
	_sg403_in_scope(res)
}

_sg403_statements(res) := iam.cfn_allow_statements(cfn.prop(res.values, name), name) if {
	res.format == "cloudformation"
	name := _sg403_policy_property[res.type]
	_sg403_in_scope(res)
}

# Key policies count for keys that protect streaming data (resolved as in SG_201).
_sg403_in_scope(res) if not res.type in kms.key_types

_sg403_in_scope(res) if res.address in kms.streaming_key_addresses
