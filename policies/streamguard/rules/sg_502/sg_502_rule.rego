# The verdict of SG_502: `_reasons[address]` is the set of reasons a resource fails.
# Its METADATA, `_meta`, `deny` and `suppressed` are generated into sg_502_meta.rego from
# catalog/SG_502.yaml.
package streamguard.rules.sg_502

import rego.v1

import data.streamguard.lib.cfn
import data.streamguard.lib.resources
import data.streamguard.lib.tf
import data.streamguard.lib.util

# Absent settings take the AWS defaults (TLS, in-cluster encryption on) and pass; unknown values
# are not in the values, so only known insecure settings are reported.
_sg502_plaintext := {"PLAINTEXT", "TLS_PLAINTEXT"}

_reasons[res.address] contains reason if {
	some res in resources.by_address
	res.type == "aws_msk_cluster"
	some transit in _sg502_transit_blocks(res)
	broker := transit.client_broker
	util.upper_or_empty(broker) in _sg502_plaintext
	reason := concat("", ["encryption_in_transit.client_broker is ", util.show(broker)])
}

_reasons[res.address] contains "encryption_in_transit.in_cluster is false" if {
	some res in resources.by_address
	res.type == "aws_msk_cluster"
	some transit in _sg502_transit_blocks(res)
	util.is_false(transit.in_cluster)
}

_reasons[res.address] contains reason if {
	some res in resources.by_address
	res.type == "AWS::MSK::Cluster"
	some broker in cfn.values_at(res.values, ["EncryptionInfo", "EncryptionInTransit", "ClientBroker"])
	util.upper_or_empty(broker) in _sg502_plaintext
	reason := concat("", ["EncryptionInfo.EncryptionInTransit.ClientBroker is ", util.show(broker)])
}

_reasons[res.address] contains "EncryptionInfo.EncryptionInTransit.InCluster is false" if {
	some res in resources.by_address
	res.type == "AWS::MSK::Cluster"
	some in_cluster in cfn.values_at(res.values, ["EncryptionInfo", "EncryptionInTransit", "InCluster"])
	util.is_false(in_cluster)
}

# Every encryption_in_transit block of every encryption_info block.
_sg502_transit_blocks(res) := [transit |
	some info in tf.blocks(res, "encryption_info")
	some transit in util.iterable(info.encryption_in_transit)
]
