# METADATA
# title: streamguard Firehose delivery stream shapes
# description: >-
#   Where a delivery stream reads from (Direct PUT, a Kinesis data stream, MSK) and the S3
#   configurations it writes through (the S3 destination, and the S3 configuration and backup
#   nested in every other destination), for Terraform and CloudFormation alike.
package streamguard.lib.firehose

import rego.v1

import data.streamguard.lib.blocks
import data.streamguard.lib.cfn
import data.streamguard.lib.naming
import data.streamguard.lib.resources
import data.streamguard.lib.tf

firehose_types := {"aws_kinesis_firehose_delivery_stream", "AWS::KinesisFirehose::DeliveryStream"}

# firehose_sources(res) is every source the delivery stream may have, named as DeliveryStreamType
# names them (DirectPut, KinesisStreamAsSource, MSKAsSource, ...). Terraform: a
# kinesis_source_configuration or msk_source_configuration block, or neither (Direct PUT); a source
# block that is unknown (a dynamic block with an unresolved for_each) gives no source at all.
firehose_sources(res) := {s |
	res.type == "aws_kinesis_firehose_delivery_stream"
	count(tf.blocks(res, "kinesis_source_configuration")) > 0
	s := "KinesisStreamAsSource"
} | {s |
	res.type == "aws_kinesis_firehose_delivery_stream"
	count(tf.blocks(res, "msk_source_configuration")) > 0
	s := "MSKAsSource"
} | {s |
	res.type == "aws_kinesis_firehose_delivery_stream"
	_firehose_tf_known_none(res, "kinesis_source_configuration")
	_firehose_tf_known_none(res, "msk_source_configuration")
	s := "DirectPut"
} | {s |
	res.type == "AWS::KinesisFirehose::DeliveryStream"
	some v in cfn.values(cfn.prop(res.values, "DeliveryStreamType"))
	s := _firehose_cfn_source(v)
}

_firehose_tf_known_none(res, name) if {
	count(tf.blocks(res, name)) == 0
	not tf.unknown(res, [name])
}

_firehose_cfn_source(v) := "DirectPut" if v == null

_firehose_cfn_source(v) := v if is_string(v)

# firehose_s3_destinations(res) is [label, block] for every S3 configuration of the delivery
# stream: extended_s3_configuration (and the legacy top-level s3_configuration), and the
# s3_configuration / s3_backup_configuration inside any destination; CloudFormation likewise
# (ExtendedS3DestinationConfiguration, S3DestinationConfiguration, nested S3Configuration and
# S3BackupConfiguration, through Fn::If). A Terraform block is a document of blocks.nested_blocks;
# a CloudFormation block is the property mapping. label names the block for messages.
firehose_s3_destinations(res) := {pair |
	res.type == "aws_kinesis_firehose_delivery_stream"
	some name in ["extended_s3_configuration", "s3_configuration"]
	some block in blocks.nested_blocks(res, name)
	pair := [name, block]
} | {pair |
	res.type == "aws_kinesis_firehose_delivery_stream"
	some name in object.keys(res.values)
	some destination in blocks.nested_blocks(res, name)
	some inner in ["s3_configuration", "s3_backup_configuration"]
	some block in blocks.nested_blocks(destination, inner)
	pair := [concat(".", [name, inner]), block]
} | {pair |
	res.type == "AWS::KinesisFirehose::DeliveryStream"
	some name in ["ExtendedS3DestinationConfiguration", "S3DestinationConfiguration"]
	some block in cfn.values(cfn.prop(res.values, name))
	is_object(block)
	pair := [name, block]
} | {pair |
	res.type == "AWS::KinesisFirehose::DeliveryStream"
	some name in object.keys(res.values)
	some destination in cfn.values(res.values[name])
	is_object(destination)
	some inner in ["S3Configuration", "S3BackupConfiguration"]
	some block in cfn.values(cfn.prop(destination, inner))
	is_object(block)
	pair := [concat(".", [name, inner]), block]
}

# firehose_source_stream_addresses(res) is the address of every Kinesis data stream of the input
# the delivery stream's Kinesis source ARN names: by reference, or by a literal stream ARN whose
# name is the stream's name. A stream outside the input is not found (unknown, never a failure).
firehose_source_stream_addresses(res) := {address |
	res.type == "aws_kinesis_firehose_delivery_stream"
	some source in blocks.nested_blocks(res, "kinesis_source_configuration")
	some address in _firehose_tf_streams(source)
} | {address |
	res.type == "AWS::KinesisFirehose::DeliveryStream"
	some source in cfn.values(cfn.prop(res.values, "KinesisStreamSourceConfiguration"))
	some address in _firehose_cfn_streams(cfn.prop(source, "KinesisStreamARN"))
}

_firehose_tf_streams(source) := {t.address |
	some t in tf.targets(source, ["kinesis_stream_arn"])
	t.type == "aws_kinesis_stream"
} | {address |
	arn := tf.value(source, ["kinesis_stream_arn"])
	some name in naming.arn_names(arn, ":stream/")
	some address in _firehose_streams_by_name[name]
	startswith(address, "aws_")
}

_firehose_cfn_streams(x) := {t.address |
	some t in cfn.referenced(x)
	t.type == "AWS::Kinesis::Stream"
} | {address |
	some arn in cfn.values(x)
	some name in naming.arn_names(arn, ":stream/")
	some address in _firehose_streams_by_name[name]
	startswith(address, "AWS::")
}

# Every Kinesis data stream by its literal name, built once per evaluation so that a literal
# source ARN is a look-up, not a scan of every resource (whole plans stay linear).
_firehose_streams_by_name := _firehose_streams_by_name_entries

_firehose_streams_by_name_entries[name] contains s.address if {
	some s in resources.by_address
	s.type == "aws_kinesis_stream"
	name := tf.value(s, ["name"])
	is_string(name)
}

_firehose_streams_by_name_entries[name] contains s.address if {
	some s in resources.by_address
	s.type == "AWS::Kinesis::Stream"
	some name in cfn.values(cfn.prop(s.values, "Name"))
	is_string(name)
}

