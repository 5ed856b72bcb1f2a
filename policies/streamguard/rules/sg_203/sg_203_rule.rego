# The verdict of SG_203: `_reasons[address]` is the set of reasons a resource fails.
# Its METADATA, `_meta`, `deny` and `suppressed` are generated into sg_203_meta.rego from
# catalog/SG_203.yaml.
package streamguard.rules.sg_203

import rego.v1

import data.streamguard.lib.kms
import data.streamguard.lib.resources
import data.streamguard.lib.util

# Only the keys streaming resources use: a multi-Region key's enabled state is its own, so a
# disabled primary does not stop its replica. A false flag reads "false" in every spelling.
_reasons[key.address] contains reason if {
	some address in kms.used_key_addresses
	key := resources.by_address[address]
	name := _sg203_enabled_attribute[key.type]
	some enabled in kms.key_setting(key, name)
	util.is_false(enabled)
	reason := concat("", [name, " is false"])
}

_sg203_enabled_attribute := {
	"aws_kms_key": "is_enabled",
	"aws_kms_replica_key": "enabled",
	"AWS::KMS::Key": "Enabled",
	"AWS::KMS::ReplicaKey": "Enabled",
}
