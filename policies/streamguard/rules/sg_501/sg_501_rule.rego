# The verdict of SG_501: `_reasons[address]` is the set of reasons a resource fails.
# Its METADATA, `_meta`, `deny` and `suppressed` are generated into sg_501_meta.rego from
# catalog/SG_501.yaml.
package streamguard.rules.sg_501

import rego.v1

import data.streamguard.lib.cfn
import data.streamguard.lib.resources
import data.streamguard.lib.tf

_reasons[res.address] contains "http_endpoint_configuration.url does not start with https://" if {
	some res in resources.by_address
	res.type == "aws_kinesis_firehose_delivery_stream"
	some block in tf.blocks(res, "http_endpoint_configuration")
	_sg501_plain(block.url)
}

_reasons[res.address] contains "HttpEndpointDestinationConfiguration.EndpointConfiguration.Url does not start with https://" if {
	some res in resources.by_address
	res.type == "AWS::KinesisFirehose::DeliveryStream"
	path := ["HttpEndpointDestinationConfiguration", "EndpointConfiguration", "Url"]
	some url in cfn.values_at(res.values, path)
	_sg501_plain(url)
}

# A literal URL whose scheme is not https (in any case). Unknown URLs are not in the values; an
# absent or empty URL names no endpoint to judge.
_sg501_plain(url) if {
	is_string(url)
	url != ""
	not startswith(lower(url), "https://")
}
