# The verdict of SG_102: `_reasons[address]` is the set of reasons a resource fails.
# Its METADATA, `_meta`, `deny` and `suppressed` are generated into sg_102_meta.rego from
# catalog/SG_102.yaml.
package streamguard.rules.sg_102

import rego.v1

import data.streamguard.lib.blocks
import data.streamguard.lib.cfn
import data.streamguard.lib.firehose
import data.streamguard.lib.resources
import data.streamguard.lib.tf
import data.streamguard.lib.util

_reasons[res.address] contains "server_side_encryption is not set" if {
	some res in resources.by_address
	res.type == "aws_kinesis_firehose_delivery_stream"
	"DirectPut" in firehose.firehose_sources(res)
	count(tf.blocks(res, "server_side_encryption")) == 0
	not tf.unknown(res, ["server_side_encryption"])
}

_reasons[res.address] contains reason if {
	some res in resources.by_address
	res.type == "aws_kinesis_firehose_delivery_stream"
	"DirectPut" in firehose.firehose_sources(res)
	some sse in blocks.nested_blocks(res, "server_side_encryption")
	not tf.unknown(sse, ["enabled"])
	enabled := util.at_or(sse.values, ["enabled"], null)
	not util.is_true(enabled)
	reason := concat("", ["server_side_encryption.enabled is ", util.show(enabled)])
}

_reasons[res.address] contains "DeliveryStreamEncryptionConfigurationInput is not set" if {
	some res in resources.by_address
	res.type == "AWS::KinesisFirehose::DeliveryStream"
	"DirectPut" in firehose.firehose_sources(res)
	null in cfn.values(cfn.prop(res.values, "DeliveryStreamEncryptionConfigurationInput"))
}
