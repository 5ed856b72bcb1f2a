# METADATA
# title: streamguard pipeline buckets
# description: >-
#   The buckets streaming data lands in: written by a delivery stream or holding a Flink
#   application's code (RULES.md: pipeline buckets). SG_105 checks their default encryption, and
#   SG_201, SG_203 and SG_204 follow a bucket's SSE key only on them (key scope).
#   src/streamguard/logic/s3.py (pipeline_buckets, pipeline_encryption) is the Python twin.
package streamguard.lib.pipeline

import rego.v1

import data.streamguard.lib.blocks
import data.streamguard.lib.cfn
import data.streamguard.lib.firehose
import data.streamguard.lib.resources
import data.streamguard.lib.s3
import data.streamguard.lib.tf

# pipeline_buckets is every bucket a delivery stream writes to (any S3 destination or backup) or a
# Flink application's code is read from; any other bucket is out of scope.
pipeline_buckets := _pipeline_buckets_entries

_pipeline_buckets_entries contains bucket if {
	some res in resources.by_address
	res.type == "aws_kinesis_firehose_delivery_stream"
	some [_, block] in firehose.firehose_s3_destinations(res)
	some bucket in s3.s3_tf_buckets(block, "bucket_arn")
}

_pipeline_buckets_entries contains bucket if {
	some res in resources.by_address
	res.type == "AWS::KinesisFirehose::DeliveryStream"
	some [_, block] in firehose.firehose_s3_destinations(res)
	some bucket in s3.s3_cfn_buckets(cfn.prop(block, "BucketARN"))
}

_pipeline_buckets_entries contains bucket if {
	some res in resources.by_address
	res.type == "aws_kinesisanalyticsv2_application"
	some configuration in blocks.nested_blocks(res, "application_configuration")
	some code in blocks.nested_blocks(configuration, "application_code_configuration")
	some content in blocks.nested_blocks(code, "code_content")
	some location in blocks.nested_blocks(content, "s3_content_location")
	some bucket in s3.s3_tf_buckets(location, "bucket_arn")
}

_pipeline_buckets_entries contains bucket if {
	some res in resources.by_address
	res.type == "AWS::KinesisAnalyticsV2::Application"
	some configuration in cfn.values(cfn.prop(res.values, "ApplicationConfiguration"))
	some code in cfn.values(cfn.prop(configuration, "ApplicationCodeConfiguration"))
	some content in cfn.values(cfn.prop(code, "CodeContent"))
	some location in cfn.values(cfn.prop(content, "S3ContentLocation"))
	some bucket in s3.s3_cfn_buckets(cfn.prop(location, "BucketARN"))
}

# pipeline_encryption is every pipeline bucket and every
# aws_s3_bucket_server_side_encryption_configuration that targets one (by reference or literal
# name): where a bucket key protects streaming data.
# (It keeps its own name index: regorus 0.13 loses s3's index inside s3 once another package
# refers to it.)
pipeline_encryption := _pipeline_encryption_entries

_pipeline_encryption_entries contains bucket if some bucket in pipeline_buckets

_pipeline_encryption_entries contains c.address if {
	some c in resources.by_address
	c.type == "aws_s3_bucket_server_side_encryption_configuration"
	some t in tf.targets(c, ["bucket"])
	pipeline_buckets[t.address]
}

_pipeline_encryption_entries contains c.address if {
	some c in resources.by_address
	c.type == "aws_s3_bucket_server_side_encryption_configuration"
	_pipeline_bucket_names[tf.value(c, ["bucket"])]
}

_pipeline_bucket_names := {name |
	some bucket in pipeline_buckets
	name := tf.value(resources.by_address[bucket], ["bucket"])
	is_string(name)
}
