# The verdict of SG_402: `_reasons[address]` is the set of reasons a resource fails.
# Its METADATA, `_meta`, `deny` and `suppressed` are generated into sg_402_meta.rego from
# catalog/SG_402.yaml.
package streamguard.rules.sg_402

import rego.v1

import data.streamguard.lib.cfn
import data.streamguard.lib.iam
import data.streamguard.lib.resources
import data.streamguard.lib.tf
import data.streamguard.lib.util

_reasons[role.address] contains reason if {
	some role in _sg402_streaming_roles
	role.type == "aws_iam_role"
	some arn in util.iterable(tf.value(role, ["managed_policy_arns"]))
	name := iam.full_access_policy_name(arn)
	reason := concat(" ", [name, "in managed_policy_arns"])
}

_reasons[role.address] contains reason if {
	some role in _sg402_streaming_roles
	role.type == "aws_iam_role"
	some address in _sg402_attachments[role.address]
	attachment := resources.by_address[address]
	name := iam.full_access_policy_name(tf.value(attachment, ["policy_arn"]))
	reason := concat(" ", [name, "attached by", address])
}

_reasons[role.address] contains reason if {
	some role in _sg402_streaming_roles
	role.type == "AWS::IAM::Role"
	some arn in iam.cfn_strings(cfn.prop(role.values, "ManagedPolicyArns"))
	name := iam.full_access_policy_name(arn)
	reason := concat(" ", [name, "in ManagedPolicyArns"])
}

# The roles a streaming service may assume, decided once per evaluation (a rule's value is
# computed once; a function is evaluated again at every call).
_sg402_streaming_roles := _sg402_streaming_roles_entries

_sg402_streaming_roles_entries[role.address] := role if {
	some role in resources.by_address
	role.type in {"aws_iam_role", "AWS::IAM::Role"}
	_sg402_streaming_service_role(role)
}

# The trust policy lets Managed Flink (kinesisanalytics) or Firehose assume the role (any case;
# CloudFormation may write the domain as ${AWS::URLSuffix}).
_sg402_streaming_service_role(role) if {
	some s in _sg402_trust_statements(role)
	some principal in s.principals
	principal[0] == "Service"
	regex.match(`^(kinesisanalytics|firehose)\.(amazonaws\.com|\$\{aws::urlsuffix\})$`, lower(principal[1]))
}

_sg402_trust_statements(role) := iam.tf_allow_statements(role, ["assume_role_policy"], "assume_role_policy") if {
	role.format == "terraform"
}

_sg402_trust_statements(role) := iam.cfn_allow_statements(cfn.prop(role.values, "AssumeRolePolicyDocument"), "AssumeRolePolicyDocument") if {
	role.format == "cloudformation"
}

# An attachment names its role by reference (.name, .id) or by the role's literal name. Each role's
# attachments are collected once per evaluation (matching every attachment against every role
# would make whole plans quadratic).
_sg402_role_attribute := {"aws_iam_role_policy_attachment": "role", "aws_iam_policy_attachment": "roles"}

_sg402_attachments := _sg402_attachments_entries

_sg402_attachments_entries[t.address] contains attachment.address if {
	some attachment in resources.by_address
	attribute := _sg402_role_attribute[attachment.type]
	some t in tf.targets(attachment, [attribute])
}

_sg402_attachments_entries[role_address] contains attachment.address if {
	some attachment in resources.by_address
	attribute := _sg402_role_attribute[attachment.type]
	some name in _sg402_names(tf.value(attachment, [attribute]))
	some role_address in _sg402_roles_by_name[name]
}

_sg402_roles_by_name := _sg402_roles_by_name_entries

_sg402_roles_by_name_entries[name] contains role.address if {
	some role in _sg402_streaming_roles
	role.type == "aws_iam_role"
	name := tf.value(role, ["name"])
}

# The role names an attachment gives: roles = [...] in aws_iam_policy_attachment, role = "..." otherwise.
_sg402_names(named) := {n | some n in named} if is_array(named)

_sg402_names(named) := {named} if not is_array(named)
