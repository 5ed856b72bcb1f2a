# The verdict of SG_304: `_reasons[address]` is the set of reasons a resource fails.
# Its METADATA, `_meta`, `deny` and `suppressed` are generated into sg_304_meta.rego from
# catalog/SG_304.yaml.
package streamguard.rules.sg_304

import rego.v1

import data.streamguard.lib.credentials
import data.streamguard.lib.resources
import data.streamguard.lib.sections

_reasons[address] contains reason if {
	some address, pairs in _sg304_strings
	some pair in pairs
	some id in credentials.access_key_ids(pair[1])
	reason := credentials.secret_reason(pair[0], credentials.id_kind, id)
}

# Every string each resource and entry holds: Terraform values as the plan (or the CLI's HCL
# document) states them; CloudFormation with a Ref to a parameter read as its Default.
_sg304_strings := _sg304_strings_entries

_sg304_strings_entries[res.address] contains pair if {
	some res in resources.blocks_by_address
	res.format == "terraform"
	some pair in credentials.string_paths(res.values)
}

_sg304_strings_entries[res.address] contains pair if {
	some res in resources.blocks_by_address
	res.format == "cloudformation"
	some pair in credentials.cfn_string_paths(res.resource, object.get(input, "Parameters", {}))
}

_sg304_strings_entries[entry.address] contains pair if {
	some entry in sections.by_address
	entry.type in {"variable", "locals", "output", "module"}
	some pair in credentials.string_paths(entry.values)
}

_sg304_strings_entries[entry.address] contains pair if {
	some entry in sections.by_address
	entry.format == "cloudformation"
	some pair in credentials.cfn_string_paths(entry.values, object.get(input, "Parameters", {}))
}
