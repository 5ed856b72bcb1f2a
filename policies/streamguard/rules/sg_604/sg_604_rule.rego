# The verdict of SG_604: `_reasons[address]` is the set of reasons a resource fails.
# Its METADATA, `_meta`, `deny` and `suppressed` are generated into sg_604_meta.rego from
# catalog/SG_604.yaml.
package streamguard.rules.sg_604

import rego.v1

import data.streamguard.lib.cfn
import data.streamguard.lib.naming
import data.streamguard.lib.resources
import data.streamguard.lib.tf
import data.streamguard.lib.util

# The Firehose metrics for the four KMS errors that make the service discard data after 24 hours.
_sg604_metrics := {"KMSKeyAccessDenied", "KMSKeyDisabled", "KMSKeyInvalidState", "KMSKeyNotFound"}

_sg604_reason := "no CloudWatch alarm in the scanned files watches its KMS key error metrics"

# Terraform: server-side encryption is on (enabled defaults to false) with a customer-managed key.
# A stream whose name is unknown fails only when no alarm could name it.
_reasons[res.address] contains _sg604_reason if {
	some res in resources.by_address
	res.type == "aws_kinesis_firehose_delivery_stream"
	some sse in tf.blocks(res, "server_side_encryption")
	util.is_true(sse.enabled)
	util.upper_or_empty(sse.key_type) == "CUSTOMER_MANAGED_CMK"
	_sg604_tf_named(res)
	not _sg604_tf_alarmed(res)
	not _sg604_tf_may_be_alarmed(res)
}

_sg604_tf_named(stream) if is_string(tf.value(stream, ["name"]))

_sg604_tf_named(stream) if tf.unknown(stream, ["name"])

# An unknown name can be named by a dimension that is unknown too and refers to no delivery
# stream's name, or by a literal that no delivery stream of the module has and that has the known
# ends of the name's template.
_sg604_tf_may_be_alarmed(stream) if {
	tf.unknown(stream, ["name"])
	some alarm in _sg604_tf_alarms
	tf.unknown(alarm, ["dimensions", "DeliveryStreamName"])
	every reference in tf.references(alarm, ["dimensions"]) {
		not _sg604_tf_stream_name_references[reference]
	}
}

_sg604_tf_may_be_alarmed(stream) if {
	tf.unknown(stream, ["name"])
	some name in _sg604_tf_alarmed_names
	is_string(name)
	not _sg604_tf_stream_names[name]
	naming.tf_could_be(stream, ["name"], name)
}

_sg604_tf_stream_names := {name |
	some stream in resources.by_type.aws_kinesis_firehose_delivery_stream
	name := tf.value(stream, ["name"])
}

_sg604_tf_stream_name_references := {concat(".", [stream.address, "name"]) |
	some stream in resources.by_type.aws_kinesis_firehose_delivery_stream
}

# The DeliveryStreamName dimension is the stream's name, literally (a resolved variable or local
# included) or as a reference to the stream's name attribute.
_sg604_tf_alarmed(stream) if _sg604_tf_alarmed_names[stream.values.name]

_sg604_tf_alarmed(stream) if _sg604_tf_alarmed_references[concat(".", [stream.address, "name"])]

# What the Firehose KMS-error alarms name, collected once per evaluation.
_sg604_tf_alarmed_names := _sg604_tf_alarmed_names_entries

_sg604_tf_alarmed_names_entries contains name if {
	some alarm in _sg604_tf_alarms
	name := alarm.values.dimensions.DeliveryStreamName
}

_sg604_tf_alarmed_references := _sg604_tf_alarmed_references_entries

_sg604_tf_alarmed_references_entries contains reference if {
	some alarm in _sg604_tf_alarms
	tf.unknown(alarm, ["dimensions", "DeliveryStreamName"])
	some reference in tf.references(alarm, ["dimensions"])
}

_sg604_tf_alarms := _sg604_tf_alarms_entries

_sg604_tf_alarms_entries contains alarm if {
	some alarm in resources.by_address
	alarm.type == "aws_cloudwatch_metric_alarm"
	alarm.values.namespace == "AWS/Firehose"
	alarm.values.metric_name in _sg604_metrics
}

# CloudFormation: DeliveryStreamEncryptionConfigurationInput is SSE on; an absent DeliveryStreamName
# is generated, and only a Ref can name it.
_reasons[res.address] contains _sg604_reason if {
	some res in resources.by_address
	res.type == "AWS::KinesisFirehose::DeliveryStream"
	some key_type in cfn.values_at(res.values, ["DeliveryStreamEncryptionConfigurationInput", "KeyType"])
	util.upper_or_empty(key_type) == "CUSTOMER_MANAGED_CMK"
	not _sg604_cfn_alarmed(res)
	not _sg604_cfn_may_be_alarmed(res)
}

# A stream whose name is unknown can only be named by a dimension that could name it: one whose
# value is unknown too, or a literal that no other delivery stream of the template has.
_sg604_cfn_may_be_alarmed(stream) if {
	naming.cfn_name_unresolved(stream, "DeliveryStreamName")
	_sg604_cfn_open_dimension
}

_sg604_cfn_open_dimension if {
	some value in _sg604_cfn_dimension_values
	naming.cfn_unknown_name(value)
}

_sg604_cfn_open_dimension if {
	some name in _sg604_cfn_alarmed_names
	not _sg604_cfn_stream_names[name]
}

_sg604_cfn_stream_names := _sg604_cfn_stream_names_entries

_sg604_cfn_stream_names_entries contains name if {
	some stream in resources.by_address
	stream.type == "AWS::KinesisFirehose::DeliveryStream"
	some name in cfn.values(cfn.prop(stream.values, "DeliveryStreamName"))
	is_string(name)
}

_sg604_cfn_alarmed(stream) if _sg604_cfn_alarmed_addresses[stream.address]

_sg604_cfn_alarmed(stream) if {
	some name in cfn.values(cfn.prop(stream.values, "DeliveryStreamName"))
	_sg604_cfn_alarmed_names[name]
}

# What the DeliveryStreamName dimensions of Firehose KMS-error alarms name, collected once per
# evaluation: delivery streams they refer to, and literal stream names.
_sg604_cfn_alarmed_addresses := _sg604_cfn_alarmed_addresses_entries

_sg604_cfn_alarmed_addresses_entries contains t.address if {
	some value in _sg604_cfn_dimension_values
	some t in cfn.referenced(value)
}

_sg604_cfn_alarmed_names := _sg604_cfn_alarmed_names_entries

_sg604_cfn_alarmed_names_entries contains name if {
	some value in _sg604_cfn_dimension_values
	some name in cfn.values(value)
	is_string(name)
}

_sg604_cfn_dimension_values := _sg604_cfn_dimension_values_entries

_sg604_cfn_dimension_values_entries contains value if {
	some alarm in resources.by_address
	alarm.type == "AWS::CloudWatch::Alarm"
	"AWS/Firehose" in cfn.values(cfn.prop(alarm.values, "Namespace"))
	some metric in cfn.values(cfn.prop(alarm.values, "MetricName"))
	metric in _sg604_metrics
	some dimensions in cfn.values(cfn.prop(alarm.values, "Dimensions"))
	some item in util.iterable(dimensions)
	some dimension in cfn.values(item)
	"DeliveryStreamName" in cfn.values(cfn.prop(dimension, "Name"))
	value := cfn.prop(dimension, "Value")
}
