# METADATA
# title: Firehose writes to S3 under a prefix per day
# description: >-
#   Athena and Glue partition the delivered objects by the day in their key; a delivery stream
#   whose S3 prefix has no day in it (!{timestamp:yyyy-MM-dd}, or yyyy/MM/dd) makes every query
#   scan the whole bucket, and lifecycle rules cannot expire one day at a time.
# related_resources:
# - ref: https://docs.aws.amazon.com/firehose/latest/dev/s3-prefixes.html
# custom:
#   id: ACME_002
#   severity: LOW
#   message: Firehose S3 destination has no prefix per day
#   remediation:
#     terraform: Set extended_s3_configuration.prefix to a prefix with the day, for example "events/!{timestamp:yyyy-MM-dd}/".
#     cloudformation: Set ExtendedS3DestinationConfiguration.Prefix to a prefix with the day, for example "events/!{timestamp:yyyy-MM-dd}/".
#   resource_types:
#     terraform: [aws_kinesis_firehose_delivery_stream]
#     cloudformation: ["AWS::KinesisFirehose::DeliveryStream"]
package acme.rules.acme_002

import rego.v1

import data.streamguard.lib.cfn
import data.streamguard.lib.resources
import data.streamguard.lib.result
import data.streamguard.lib.tf

_meta := result.meta(rego.metadata.chain())

deny := result.findings(_meta, _reasons)

suppressed := result.suppressed_findings(_meta, _reasons)

# A Firehose timestamp namespace that names the day: !{timestamp:yyyy-MM-dd}, !{timestamp:dd}, ...
_daily := `!\{timestamp:[^}]*dd[^}]*\}`

_reasons[res.address] contains reason if {
	some res in resources.by_type.aws_kinesis_firehose_delivery_stream
	some i, _ in tf.blocks(res, "extended_s3_configuration")
	reason := _tf_reason(res, ["extended_s3_configuration", i, "prefix"])
}

_tf_reason(res, path) := "extended_s3_configuration.prefix is not set" if tf.absent(res, path)

_tf_reason(res, path) := concat("", ["extended_s3_configuration.prefix \"", prefix, "\" has no day in it"]) if {
	prefix := tf.value(res, path)
	is_string(prefix)
	not regex.match(_daily, prefix)
}

_reasons[res.address] contains reason if {
	some res in resources.by_type["AWS::KinesisFirehose::DeliveryStream"]
	some destination in cfn.values(cfn.prop(res.values, "ExtendedS3DestinationConfiguration"))
	is_object(destination)
	some prefix in cfn.values(cfn.prop(destination, "Prefix"))
	reason := _cfn_reason(prefix)
}

_cfn_reason(prefix) := "ExtendedS3DestinationConfiguration.Prefix is not set" if prefix in {null, ""}

_cfn_reason(prefix) := concat("", ["ExtendedS3DestinationConfiguration.Prefix \"", prefix, "\" has no day in it"]) if {
	is_string(prefix)
	prefix != ""
	not regex.match(_daily, prefix)
}
