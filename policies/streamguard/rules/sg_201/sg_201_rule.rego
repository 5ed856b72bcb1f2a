# The verdict of SG_201: `_reasons[address]` is the set of reasons a resource fails.
# Its METADATA, `_meta`, `deny` and `suppressed` are generated into sg_201_meta.rego from
# catalog/SG_201.yaml.
package streamguard.rules.sg_201

import rego.v1

import data.streamguard.lib.kms
import data.streamguard.lib.resources
import data.streamguard.lib.util

# Reported on the resource that uses the key, naming the chain followed to the key whose spec
# applies: "kms_key_id → aws_kms_alias.a → aws_kms_key.k: customer_master_key_spec is ...".
_reasons[res.address] contains reason if {
	some res in resources.by_address
	some use in kms.uses_by_address[res.address]
	some key in kms.spec_keys(use.key)
	problems := _sg201_problems(key)
	count(problems) > 0
	chain := _sg201_chain(use, key)
	reason := concat("", [use.attribute, " → ", concat(" → ", chain), ": ", concat(", ", sort(problems))])
}

# A replica key's spec is its primary's: the chain goes on to the primary.
_sg201_chain(use, key) := use.chain if key.address == use.key.address

_sg201_chain(use, key) := array.concat(use.chain, [key.address]) if key.address != use.key.address

_sg201_problems(key) := {problem |
	some name in object.get(kms.spec_attributes, key.type, [])
	some spec in kms.key_setting(key, name)
	is_string(spec)
	not kms.symmetric_key_spec(spec)
	problem := concat("", [name, " is ", util.show(spec)])
} | {problem |
	some name in object.get(_sg201_usage_attributes, key.type, [])
	some usage in kms.key_setting(key, name)
	is_string(usage)
	not upper(usage) in {"", "ENCRYPT_DECRYPT"}
	problem := concat("", [name, " is ", util.show(usage)])
}

_sg201_usage_attributes := {"aws_kms_key": ["key_usage"], "AWS::KMS::Key": ["KeyUsage"]}
