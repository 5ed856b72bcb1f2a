# METADATA
# title: streamguard S3 buckets and their default encryption
# description: >-
#   Which bucket of the input a bucket ARN names (by reference, or a literal
#   arn:<partition>:s3:::<name> matching the bucket's name), and whether that bucket's default
#   encryption is SSE-KMS: in Terraform the aws_s3_bucket_server_side_encryption_configuration
#   resources that target it (by reference or literal name) and the legacy inline
#   server_side_encryption_configuration block; in CloudFormation BucketEncryption.
package streamguard.lib.s3

import rego.v1

import data.streamguard.lib.blocks
import data.streamguard.lib.cfn
import data.streamguard.lib.naming
import data.streamguard.lib.resources
import data.streamguard.lib.tf
import data.streamguard.lib.util

s3_kms_algorithms := {"aws:kms", "aws:kms:dsse"}

# s3_tf_buckets(doc, attr) is the address of every aws_s3_bucket the bucket ARN at doc's attribute
# names (doc: a resource, or a block from blocks.nested_blocks).
s3_tf_buckets(doc, attr) := {t.address |
	some t in tf.targets(doc, [attr])
	t.type == "aws_s3_bucket"
} | {address |
	arn := tf.value(doc, [attr])
	some name in naming.arn_names(arn, ":::")
	some address in _s3_buckets_by_name[name]
	startswith(address, "aws_")
}

# s3_cfn_buckets(x) is the address of every AWS::S3::Bucket the BucketARN property x names.
s3_cfn_buckets(x) := {t.address |
	some t in cfn.referenced(x)
	t.type == "AWS::S3::Bucket"
} | {address |
	some arn in cfn.values(x)
	some name in naming.arn_names(arn, ":::")
	some address in _s3_buckets_by_name[name]
	startswith(address, "AWS::")
}

# Every bucket by its literal name, built once per evaluation (look-ups keep whole plans linear).
_s3_buckets_by_name := _s3_buckets_by_name_entries

_s3_buckets_by_name_entries[name] contains b.address if {
	some b in resources.by_address
	b.type == "aws_s3_bucket"
	name := tf.value(b, ["bucket"])
	is_string(name)
}

_s3_buckets_by_name_entries[name] contains b.address if {
	some b in resources.by_address
	b.type == "AWS::S3::Bucket"
	some name in cfn.values(cfn.prop(b.values, "BucketName"))
	is_string(name)
}

# s3_default_kms_reasons(bucket) is every reason the bucket has no default encryption rule with
# aws:kms or aws:kms:dsse; empty when it has one. Terraform: undefined (nothing to report) when a
# rule's algorithm is unknown. CloudFormation: a rule fails when any Fn::If branch of it fails,
# and the configuration fails when every rule in it does.
s3_default_kms_reasons(bucket) := reasons if {
	bucket.type == "aws_s3_bucket"
	sources := _s3_tf_sources(bucket)
	not _s3_tf_kms_or_unknown(sources)
	reasons := _s3_tf_or_no_rule(_s3_tf_reasons(sources))
}

s3_default_kms_reasons(bucket) := {r |
	some enc in cfn.values(cfn.prop(bucket.values, "BucketEncryption"))
	some r in _s3_cfn_encryption_reasons(enc)
} if bucket.type == "AWS::S3::Bucket"

# [label, document] of every place a Terraform bucket's default encryption rules come from.
_s3_tf_sources(bucket) := array.concat(
	[pair |
		some address in sort(object.get(_s3_tf_configurations_by_bucket, bucket.address, set()))
		pair := [address, resources.by_address[address]]
	],
	[pair |
		some inline in blocks.nested_blocks(bucket, "server_side_encryption_configuration")
		pair := ["server_side_encryption_configuration", inline]
	],
)

# Each bucket's aws_s3_bucket_server_side_encryption_configuration resources, which name it by
# reference or by its literal name; built once per evaluation.
_s3_tf_configurations_by_bucket := _s3_tf_configurations_by_bucket_entries

_s3_tf_configurations_by_bucket_entries[t.address] contains c.address if {
	some c in resources.by_address
	c.type == "aws_s3_bucket_server_side_encryption_configuration"
	some t in tf.targets(c, ["bucket"])
}

_s3_tf_configurations_by_bucket_entries[address] contains c.address if {
	some c in resources.by_address
	c.type == "aws_s3_bucket_server_side_encryption_configuration"
	name := tf.value(c, ["bucket"])
	is_string(name)
	some address in _s3_buckets_by_name[name]
	startswith(address, "aws_")
}

_s3_tf_kms_or_unknown(sources) if {
	some pair in sources
	tf.unknown(pair[1], ["rule"])
}

_s3_tf_kms_or_unknown(sources) if {
	some pair in sources
	some rule in blocks.nested_blocks(pair[1], "rule")
	tf.unknown(rule, ["apply_server_side_encryption_by_default"])
}

_s3_tf_kms_or_unknown(sources) if {
	some pair in sources
	some rule in blocks.nested_blocks(pair[1], "rule")
	some by_default in blocks.nested_blocks(rule, "apply_server_side_encryption_by_default")
	tf.unknown(by_default, ["sse_algorithm"])
}

_s3_tf_kms_or_unknown(sources) if {
	some pair in sources
	some rule in blocks.nested_blocks(pair[1], "rule")
	some by_default in blocks.nested_blocks(rule, "apply_server_side_encryption_by_default")
	_s3_kms(tf.value(by_default, ["sse_algorithm"]))
}

_s3_tf_reasons(sources) := {r |
	some pair in sources
	some rule in blocks.nested_blocks(pair[1], "rule")
	count(blocks.nested_blocks(rule, "apply_server_side_encryption_by_default")) == 0
	r := concat("", [pair[0], ": apply_server_side_encryption_by_default is not set"])
} | {r |
	some pair in sources
	some rule in blocks.nested_blocks(pair[1], "rule")
	some by_default in blocks.nested_blocks(rule, "apply_server_side_encryption_by_default")
	algorithm := util.at_or(by_default.values, ["sse_algorithm"], null)
	r := concat("", [pair[0], ": sse_algorithm is ", util.show(algorithm)])
}

_s3_tf_or_no_rule(reasons) := reasons if count(reasons) > 0

_s3_tf_or_no_rule(reasons) := {"no default encryption rule is configured"} if count(reasons) == 0

_s3_kms(algorithm) if {
	is_string(algorithm)
	lower(algorithm) in s3_kms_algorithms
}

_s3_cfn_encryption_reasons(enc) := {"BucketEncryption is not set"} if enc == null

_s3_cfn_encryption_reasons(enc) := {r |
	some rules in cfn.values(cfn.prop(enc, "ServerSideEncryptionConfiguration"))
	some r in _s3_cfn_rules_reasons(rules)
} if is_object(enc)

_s3_cfn_rules_reasons(rules) := {"BucketEncryption.ServerSideEncryptionConfiguration is not set"} if {
	rules in {null, []}
}

_s3_cfn_rules_reasons(rules) := {r | some per_rule in each; some r in per_rule} if {
	is_array(rules)
	count(rules) > 0
	each := [per_rule | some rule in rules; per_rule := _s3_cfn_rule_reasons(rule)]
	every per_rule in each {
		count(per_rule) > 0
	}
}

_s3_cfn_rule_reasons(rule) := {r |
	some value in cfn.values(rule)
	null in cfn.values(cfn.prop(value, "ServerSideEncryptionByDefault"))
	r := "BucketEncryption.ServerSideEncryptionConfiguration.ServerSideEncryptionByDefault is not set"
} | {r |
	some value in cfn.values(rule)
	some by_default in cfn.values(cfn.prop(value, "ServerSideEncryptionByDefault"))
	some algorithm in cfn.values(cfn.prop(by_default, "SSEAlgorithm"))
	not _s3_kms(algorithm)
	r := concat("", [
		"BucketEncryption.ServerSideEncryptionConfiguration.ServerSideEncryptionByDefault.SSEAlgorithm is ",
		util.show(algorithm),
	])
}
