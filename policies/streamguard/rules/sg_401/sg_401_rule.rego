# The verdict of SG_401: `_reasons[address]` is the set of reasons a resource fails.
# Its METADATA, `_meta`, `deny` and `suppressed` are generated into sg_401_meta.rego from
# catalog/SG_401.yaml.
package streamguard.rules.sg_401

import rego.v1

import data.streamguard.lib.iam
import data.streamguard.lib.resources

_reasons[res.address] contains reason if {
	some address, statements in iam.permission_statements_by_address
	res := resources.by_address[address]
	some s in statements
	wildcards := {action | some action in s.actions; iam.wildcard_action(action)}
	count(wildcards) > 0
	reason := concat(" ", [s.where, "allows", concat(", ", sort(wildcards))])
}

_reasons[res.address] contains reason if {
	some address, statements in iam.permission_statements_by_address
	res := resources.by_address[address]
	some s in statements
	s.not_action
	reason := concat(" ", [s.where, "uses NotAction"])
}
