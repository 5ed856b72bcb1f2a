# METADATA
# title: streamguard Terraform value semantics
# description: >-
#   What a Terraform attribute is, as a rule must see it: a known value, unknown (computed at
#   apply time, an unresolved variable, a module output), or absent. Unknown never fails a rule.
#   References come from the configuration expressions, as terraform show -json writes them.
# custom:
#   public: true
package streamguard.lib.tf

import rego.v1

import data.streamguard.lib.resources
import data.streamguard.lib.util

# value(res, path) is the known, non-null value at path.
value(res, path) := v if {
	v := util.at(res.values, path)
	v != null
}

# unknown(res, path): the value at path, or a block above it, is not known before apply.
unknown(res, path) if {
	not value(res, path)
	_unset_but_computed(res, path)
}

_unset_but_computed(res, path) if {
	some n in numbers.range(1, count(path))
	util.at(res.unknown, array.slice(path, 0, n)) == true
}

_unset_but_computed(res, path) if {
	expr := util.at(res.config, path)
	is_object(expr)
	not "constant_value" in object.keys(expr)
	"references" in object.keys(expr)
}

# absent(res, path): known to have no value (not set, null, or an empty string).
absent(res, path) if {
	not value(res, path)
	not unknown(res, path)
}

absent(res, path) if value(res, path) == ""

# blocks(res, name) is every block of a nested block type (absent, empty or repeated alike).
# (Functions here have one body where they can: rego-cpp evaluates every body on each call.)
blocks(res, name) := [b | is_array(found); some b in found] if {
	found := object.get(res.values, name, [])
}

# references(res, path) is what the expression at path refers to.
references(res, path) := [ref |
	refs := util.at(res.config, array.concat(path, ["references"]))
	is_array(refs)
	some ref in refs
]

# targets(res, path) is every resource of the input the expression at path refers to, through a
# called module's output too (resources.referenced).
targets(res, path) := {t |
	some ref in references(res, path)
	some t in resources.referenced(res, ref)
}
