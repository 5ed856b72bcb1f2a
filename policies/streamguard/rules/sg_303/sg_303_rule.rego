# The verdict of SG_303: `_reasons[address]` is the set of reasons a resource fails.
# Its METADATA, `_meta`, `deny` and `suppressed` are generated into sg_303_meta.rego from
# catalog/SG_303.yaml.
package streamguard.rules.sg_303

import rego.v1

import data.streamguard.lib.cfn
import data.streamguard.lib.credentials
import data.streamguard.lib.resources
import data.streamguard.lib.tf
import data.streamguard.lib.util

# Destination block -> the paths of its secret fields.
_sg303_tf_fields := {
	"http_endpoint_configuration": [["access_key"]],
	"redshift_configuration": [["password"]],
	"splunk_configuration": [["hec_token"]],
	"snowflake_configuration": [["private_key"], ["key_passphrase"]],
}

_sg303_cfn_fields := {
	"HttpEndpointDestinationConfiguration": [["EndpointConfiguration", "AccessKey"]],
	"RedshiftDestinationConfiguration": [["Password"]],
	"SplunkDestinationConfiguration": [["HECToken"]],
	"SnowflakeDestinationConfiguration": [["PrivateKey"], ["KeyPassphrase"]],
}

_reasons[res.address] contains reason if {
	some res in resources.by_address
	res.type == "aws_kinesis_firehose_delivery_stream"
	some destination, paths in _sg303_tf_fields
	some block in tf.blocks(res, destination)
	not _sg303_tf_secrets_manager(block)
	some path in paths
	value := block[path[0]]
	credentials.literal_secret(value)
	reason := credentials.secret_reason(concat(".", array.concat([destination], path)), credentials.secret_kind(value), value)
}

_reasons[res.address] contains reason if {
	some res in resources.by_address
	res.type == "AWS::KinesisFirehose::DeliveryStream"
	some destination_key, paths in _sg303_cfn_fields
	some destination in cfn.values(cfn.prop(res.values, destination_key))
	is_object(destination)
	not _sg303_cfn_secrets_manager(destination)
	some path in paths
	some value in _sg303_cfn_values(destination, path)
	credentials.literal_secret(value)
	reason := credentials.secret_reason(concat(".", array.concat([destination_key], path)), credentials.secret_kind(value), value)
}

# An enabled (or not provably disabled) secrets_manager_configuration supplies the secret.
_sg303_tf_secrets_manager(block) if {
	some sm in util.iterable(block.secrets_manager_configuration)
	is_object(sm)
	not util.is_false(object.get(sm, "enabled", null))
}

# Every configuration the template can deploy reads the secret from Secrets Manager (an
# unresolvable setting is unknown, and counts as configured).
_sg303_cfn_secrets_manager(destination) if {
	every sm in cfn.values(cfn.prop(destination, "SecretsManagerConfiguration")) {
		is_object(sm)
		not _sg303_cfn_disabled(sm)
	}
}

_sg303_cfn_disabled(sm) if {
	some enabled in cfn.values(cfn.prop(sm, "Enabled"))
	util.is_false(enabled)
}

_sg303_cfn_values(destination, path) := cfn.values(cfn.prop(destination, path[0])) if count(path) == 1

_sg303_cfn_values(destination, path) := {v |
	some parent in cfn.values(cfn.prop(destination, path[0]))
	is_object(parent)
	some v in cfn.values(cfn.prop(parent, path[1]))
} if count(path) == 2
