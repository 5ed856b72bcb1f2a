# METADATA
# title: streamguard Kinesis data stream encryption
# description: >-
#   Why a Kinesis data stream is not encrypted at rest with a KMS key. SG_101 reports the stream
#   itself; SG_103 reports a delivery stream that reads from such a stream, with the same reasons.
package streamguard.lib.streams

import rego.v1

import data.streamguard.lib.cfn
import data.streamguard.lib.tf
import data.streamguard.lib.util

kinesis_stream_types := {"aws_kinesis_stream", "AWS::Kinesis::Stream"}

# kinesis_stream_sse_reasons(stream) is every reason the stream fails server-side encryption
# (empty when it is encrypted with a KMS key, or when what decides it is unknown).
kinesis_stream_sse_reasons(stream) := {r |
	stream.type == "aws_kinesis_stream"
	not tf.unknown(stream, ["encryption_type"])
	etype := util.at_or(stream.values, ["encryption_type"], null)
	util.upper_or_empty(etype) != "KMS"
	r := concat("", ["encryption_type is ", util.show(etype)])
} | {r |
	stream.type == "aws_kinesis_stream"
	tf.absent(stream, ["kms_key_id"])
	r := "kms_key_id is not set"
} | {r |
	stream.type == "AWS::Kinesis::Stream"
	null in cfn.values(cfn.prop(stream.values, "StreamEncryption"))
	r := "StreamEncryption is not set"
} | {r |
	stream.type == "AWS::Kinesis::Stream"
	some enc in cfn.values(cfn.prop(stream.values, "StreamEncryption"))
	some etype in cfn.values(cfn.prop(enc, "EncryptionType"))
	util.upper_or_empty(etype) != "KMS"
	r := concat("", ["StreamEncryption.EncryptionType is ", util.show(etype)])
} | {r |
	stream.type == "AWS::Kinesis::Stream"
	some enc in cfn.values(cfn.prop(stream.values, "StreamEncryption"))
	some key in cfn.values(cfn.prop(enc, "KeyId"))
	key in {null, ""}
	r := "StreamEncryption.KeyId is not set"
}
