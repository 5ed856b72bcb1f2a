# METADATA
# title: Kinesis streams keep data at least 48 hours
# description: >-
#   A consumer that falls behind (a failing Firehose delivery, a Flink application restored from
#   an old snapshot) can only catch up on records the stream still holds. Kinesis keeps them 24
#   hours unless told otherwise; ACME's standard is two days.
# related_resources:
# - ref: https://docs.aws.amazon.com/streams/latest/dev/kinesis-extended-retention.html
# custom:
#   id: ACME_001
#   severity: MEDIUM
#   message: Kinesis stream keeps data less than 48 hours
#   remediation:
#     terraform: Set retention_period = 48 (hours) or more.
#     cloudformation: Set RetentionPeriodHours to 48 or more.
#   resource_types:
#     terraform: [aws_kinesis_stream]
#     cloudformation: ["AWS::Kinesis::Stream"]
package acme.rules.acme_001

import rego.v1

import data.streamguard.lib.cfn
import data.streamguard.lib.resources
import data.streamguard.lib.result
import data.streamguard.lib.tf

_meta := result.meta(rego.metadata.chain())

deny := result.findings(_meta, _reasons)

suppressed := result.suppressed_findings(_meta, _reasons)

_minimum := 48

_reasons[res.address] contains "retention_period is not set (the default is 24 hours)" if {
	some res in resources.by_type.aws_kinesis_stream
	tf.absent(res, ["retention_period"])
}

_reasons[res.address] contains concat("", ["retention_period is ", format_int(hours, 10), " hours"]) if {
	some res in resources.by_type.aws_kinesis_stream
	hours := _hours(tf.value(res, ["retention_period"]))
	hours < _minimum
}

_reasons[res.address] contains reason if {
	some res in resources.by_type["AWS::Kinesis::Stream"]
	some value in cfn.values(cfn.prop(res.values, "RetentionPeriodHours"))
	reason := _cfn_reason(value)
}

_cfn_reason(value) := "RetentionPeriodHours is not set (the default is 24 hours)" if value == null

_cfn_reason(value) := concat("", ["RetentionPeriodHours is ", format_int(hours, 10)]) if {
	hours := _hours(value)
	hours < _minimum
}

# A number of hours, written as a number or as digits (a CloudFormation parameter's default).
_hours(value) := value if is_number(value)

_hours(value) := to_number(value) if {
	is_string(value)
	regex.match(`^[0-9]+$`, value)
}
