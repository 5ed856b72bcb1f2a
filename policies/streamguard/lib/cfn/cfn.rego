# METADATA
# title: streamguard CloudFormation value semantics
# description: >-
#   What a CloudFormation property may be. An Fn::If is the branch its condition selects
#   (lib/conditions: decided by parameter defaults, or by the world being evaluated); both of
#   its branches when the condition is unknown. Ref to a parameter takes its Default (no
#   Default: unknown); Ref AWS::NoValue is absent (null); any other intrinsic is unknown and
#   never fails a rule on its own.
# custom:
#   public: true
package streamguard.lib.cfn

import rego.v1

import data.streamguard.lib.conditions
import data.streamguard.lib.resources

# values(x) is every value x may take: literals, objects, arrays, or null for absent.
# Call it with the property, or null when the property is missing.
values(x) := {v |
	some a in _branches(x)
	v := _resolved(a)
}

# referenced(x) is every resource of the template that x refers to (Ref, Fn::GetAtt, Fn::Sub
# with one reference), through Fn::If branches.
referenced(x) := {t |
	some a in _branches(x)
	t := resources.cfn_resource(_referenced_id(a))
}

# prop(obj, key) is the property or null, for values()/referenced() of a key that may be missing.
prop(obj, key) := v if {
	is_object(obj)
	v := obj[key]
}

prop(obj, key) := null if {
	is_object(obj)
	not key in object.keys(obj)
}

# values_at(obj, path) is every value the property at a path of plain keys (up to 3) may take,
# through Fn::If at every level; null when it, or a mapping above it, is absent.
values_at(obj, path) := values(prop(obj, path[0])) if count(path) == 1

values_at(obj, path) := {v |
	some p0 in values(prop(obj, path[0]))
	some v in _values_below(p0, path[1])
} if count(path) == 2

values_at(obj, path) := {v |
	some p0 in values(prop(obj, path[0]))
	some p1 in _values_below(p0, path[1])
	some v in _values_below(p1, path[2])
} if count(path) == 3

_values_below(parent, key) := {null} if parent == null

_values_below(parent, key) := values(prop(parent, key)) if is_object(parent)

# is_intrinsic(v): v is a Ref, Condition or Fn:: call (one key), whose value is not literal.
is_intrinsic(v) if {
	is_object(v)
	count(v) == 1
	some k, _ in v
	_intrinsic_key(k)
}

_intrinsic_key(k) if k in {"Ref", "Condition"}

_intrinsic_key(k) if startswith(k, "Fn::")

# branches_when(x) is every branch of x (as _branches gives it; resolve it with values()) paired
# with the conditions that select it: [branch, {[condition, true | false]}]. Properties that share
# a condition (KeyType and KeyARN both under !If [UseCmk, ...]) are deployed together only in
# branches whose conditions agree; combine them with conditions_agree.
branches_when(x) := {pair |
	ifs := _if_conditions(x)
	walk(x, [path, branch])
	_branch_path(path)
	not _is_if(branch)
	_selected(ifs, path)
	pair := [branch, _conditions_on(x, path)]
}

# conditions_agree(a, b): no condition is true in one set of branch conditions and false in the other.
conditions_agree(a, b) if not _conditions_clash(a, b)

_conditions_clash(a, b) if {
	some [name, taken] in a
	some [other, other_taken] in b
	name == other
	taken != other_taken
}

_conditions_on(x, path) := {condition |
	walk(x, [prefix, node])
	count(prefix) < count(path)
	count(prefix) % 2 == 0
	array.slice(path, 0, count(prefix)) == prefix
	condition := [node["Fn::If"][0], _branch_taken(path[count(prefix) + 1])]
}

_branch_taken(1) := true

_branch_taken(2) := false

# _branches(x): x with every (nested) Fn::If replaced by each branch its condition may select.
_branches(x) := {v |
	ifs := _if_conditions(x)
	walk(x, [path, v])
	_branch_path(path)
	not _is_if(v)
	_selected(ifs, path)
}

# {path: condition} of every Fn::If in x.
_if_conditions(x) := {path: node["Fn::If"][0] |
	walk(x, [path, node])
	_is_if(node)
}

# Every Fn::If on a branch path selects the branch the path takes.
_selected(ifs, path) if {
	every i, step in path {
		_selected_step(ifs, path, i, step)
	}
}

_selected_step(_, _, i, _) if i % 2 == 0

_selected_step(ifs, path, i, step) if {
	i % 2 == 1
	step in conditions.branches(ifs[array.slice(path, 0, i - 1)])
}

_is_if(v) if {
	is_object(v)
	is_array(v["Fn::If"])
	count(v["Fn::If"]) == 3
}

_branch_path(path) if {
	count(path) % 2 == 0
	every i, k in path {
		_branch_step(i, k)
	}
}

_branch_step(i, "Fn::If") if i % 2 == 0

_branch_step(i, k) if {
	i % 2 == 1
	k in {1, 2}
}

_resolved(v) := v if not is_intrinsic(v)

_resolved(v) := null if v == {"Ref": "AWS::NoValue"}

_resolved(v) := d if {
	is_string(v.Ref)
	d := input.Parameters[v.Ref].Default
}

_referenced_id(v) := v.Ref if is_string(v.Ref)

_referenced_id(v) := v["Fn::GetAtt"][0] if is_array(v["Fn::GetAtt"])

_referenced_id(v) := split(v["Fn::GetAtt"], ".")[0] if is_string(v["Fn::GetAtt"])

_referenced_id(v) := id if {
	ids := _sub_references(v["Fn::Sub"])
	count(ids) == 1
	some id in ids
}

_sub_references(s) := {split(m, ".")[0] |
	some match in regex.find_n(`\$\{[^}!]+\}`, _cfn_sub_template(s), -1)
	m := trim_suffix(trim_prefix(match, "${"), "}")
	not contains(m, "::")
}

# The template of an Fn::Sub: the string, or the first item of [template, variables]. (Not a
# recursive _sub_references: Rego has no recursion, and rego-cpp fails the query on it.)
_cfn_sub_template(s) := s if is_string(s)

_cfn_sub_template(s) := s[0] if {
	is_array(s)
	is_string(s[0])
}
