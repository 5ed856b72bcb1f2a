# The verdict of SG_105: `_reasons[address]` is the set of reasons a resource fails.
# Its METADATA, `_meta`, `deny` and `suppressed` are generated into sg_105_meta.rego from
# catalog/SG_105.yaml.
package streamguard.rules.sg_105

import rego.v1

import data.streamguard.lib.blocks
import data.streamguard.lib.cfn
import data.streamguard.lib.firehose
import data.streamguard.lib.resources
import data.streamguard.lib.s3

_reasons[address] contains reason if {
	some address in _sg105_streaming_buckets
	some reason in s3.s3_default_kms_reasons(resources.by_address[address])
}

# Buckets a delivery stream writes to (any S3 destination or backup) or a Flink application's code
# is read from; any other bucket is out of scope.
_sg105_streaming_buckets := _sg105_streaming_buckets_entries

_sg105_streaming_buckets_entries contains address if {
	some res in resources.by_address
	res.type == "aws_kinesis_firehose_delivery_stream"
	some [_, block] in firehose.firehose_s3_destinations(res)
	some address in s3.s3_tf_buckets(block, "bucket_arn")
}

_sg105_streaming_buckets_entries contains address if {
	some res in resources.by_address
	res.type == "AWS::KinesisFirehose::DeliveryStream"
	some [_, block] in firehose.firehose_s3_destinations(res)
	some address in s3.s3_cfn_buckets(cfn.prop(block, "BucketARN"))
}

_sg105_streaming_buckets_entries contains address if {
	some res in resources.by_address
	res.type == "aws_kinesisanalyticsv2_application"
	some configuration in blocks.nested_blocks(res, "application_configuration")
	some code in blocks.nested_blocks(configuration, "application_code_configuration")
	some content in blocks.nested_blocks(code, "code_content")
	some location in blocks.nested_blocks(content, "s3_content_location")
	some address in s3.s3_tf_buckets(location, "bucket_arn")
}

_sg105_streaming_buckets_entries contains address if {
	some res in resources.by_address
	res.type == "AWS::KinesisAnalyticsV2::Application"
	some configuration in cfn.values(cfn.prop(res.values, "ApplicationConfiguration"))
	some code in cfn.values(cfn.prop(configuration, "ApplicationCodeConfiguration"))
	some content in cfn.values(cfn.prop(code, "CodeContent"))
	some location in cfn.values(cfn.prop(content, "S3ContentLocation"))
	some address in s3.s3_cfn_buckets(cfn.prop(location, "BucketARN"))
}
