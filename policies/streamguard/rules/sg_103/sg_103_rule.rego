# The verdict of SG_103: `_reasons[address]` is the set of reasons a resource fails.
# Its METADATA, `_meta`, `deny` and `suppressed` are generated into sg_103_meta.rego from
# catalog/SG_103.yaml.
package streamguard.rules.sg_103

import rego.v1

import data.streamguard.lib.blocks
import data.streamguard.lib.cfn
import data.streamguard.lib.firehose
import data.streamguard.lib.resources
import data.streamguard.lib.streams
import data.streamguard.lib.util

# How the source stream is named, for the chain in messages.
_sg103_source_attribute := {
	"terraform": "kinesis_source_configuration.kinesis_stream_arn",
	"cloudformation": "KinesisStreamSourceConfiguration.KinesisStreamARN",
}

# One reason per source stream that fails SG_101, naming the chain followed and SG_101's reasons.
_reasons[res.address] contains reason if {
	some res in resources.by_address
	res.type in firehose.firehose_types
	"KinesisStreamAsSource" in firehose.firehose_sources(res)
	some address in firehose.firehose_source_stream_addresses(res)
	stream_reasons := streams.kinesis_stream_sse_reasons(resources.referable[address])
	count(stream_reasons) > 0
	reason := concat("", [
		_sg103_source_attribute[res.format], " → ", address, ": ",
		concat(", ", sort(stream_reasons)),
	])
}

_reasons[res.address] contains reason if {
	some res in resources.by_address
	res.type == "aws_kinesis_firehose_delivery_stream"
	"KinesisStreamAsSource" in firehose.firehose_sources(res)
	some sse in blocks.nested_blocks(res, "server_side_encryption")
	util.is_true(util.at_or(sse.values, ["enabled"], null))
	reason := concat("", [
		"server_side_encryption is enabled on a delivery stream with a Kinesis stream source, ",
		"which AWS rejects at deploy time",
	])
}

_reasons[res.address] contains reason if {
	some res in resources.by_address
	res.type == "AWS::KinesisFirehose::DeliveryStream"
	"KinesisStreamAsSource" in firehose.firehose_sources(res)
	some encryption in cfn.values(cfn.prop(res.values, "DeliveryStreamEncryptionConfigurationInput"))
	encryption != null
	reason := concat("", [
		"DeliveryStreamEncryptionConfigurationInput is set on a delivery stream with a Kinesis stream source ",
		"(DeliveryStreamType KinesisStreamAsSource), which AWS rejects at deploy time",
	])
}
