# METADATA
# title: streamguard CloudFormation conditions
# description: >-
#   Evaluates a template's Conditions (Fn::Equals, Fn::Not, Fn::And, Fn::Or, Condition) from
#   parameter defaults, as RULES.md asks: a condition is true, false or "unknown" (a parameter
#   without a default, a pseudo parameter, any other intrinsic). Rego has no recursion, so every
#   node of every condition is evaluated in layers from its children; a condition nested deeper
#   than _layers reach (or a cycle) stays unknown. streamguard.logic.cfn_conditions is the Python
#   twin. A "world" decides the unknown conditions that depend on no other unknown condition;
#   rules report only what fails in every world (the generated deny, lib/worlds).
package streamguard.lib.conditions

import rego.v1

import data.streamguard.lib.util

# branches(condition) is the Fn::If branch indexes a condition name may select: {1} when it is
# true, {2} when false, both when unknown (or not a condition name).
branches(condition) := {1} if _now_value(condition) == true

branches(condition) := {2} if _now_value(condition) == false

branches(condition) := {1, 2} if not is_boolean(_now_value(condition))

# created(r): the resource r of input.Resources is created unless its Condition is false by
# default (an unknown Condition is taken as created, as Terraform's unknown count is).
created(r) if not _default_value(object.get(r, "Condition", null)) == false

# worlds is every assignment of true/false to the unknown conditions that depend on no other
# unknown condition (the first 4 by name: at most 16 evaluations); [] when there are none.
worlds := [world |
	n := count(_world_names)
	n > 0
	some i in numbers.range(0, bits.lsh(1, n) - 1)
	world := {name: _bit(i, j) | some j, name in _world_names}
]

# in_every_world(results) is {address: reasons} of the addresses every world's result reports.
in_every_world(results) := {address: reasons |
	some address, _ in results[0]
	every r in results {
		_has(r, address)
	}
	reasons := union({r[address] | some r in results})
}

_bit(i, j) := true if bits.and(bits.rsh(i, j), 1) == 1

_bit(i, j) := false if bits.and(bits.rsh(i, j), 1) == 0

_world_names := array.slice(sort([name |
	some name, expr in _conditions
	not is_boolean(_default_value(name))
	not _depends_on_unknown(expr)
]), 0, 4)

_depends_on_unknown(expr) if {
	walk(expr, [_, node])
	is_object(node)
	_is_condition(node.Condition)
	not is_boolean(_default_value(node.Condition))
}

_conditions := util.mapping(input.Conditions)

_is_condition(name) if {
	is_string(name)
	_ = _conditions[name]
}

_now_value(name) := _now[[name, []]]

_now_value(name) := "unknown" if not _has(_now, [name, []])

_default_value(name) := _default[[name, []]]

_default_value(name) := "unknown" if not _has(_default, [name, []])

# {[condition name, path in its expression]: true | false | "unknown"}, the world's choices first.
_default := _evaluated({})

_now := _evaluated({[name, []]: value | some name, value in _world})

_world := util.mapping(object.get(input, ["streamguard", "world"], {}))

_evaluated(known) := _layer(_layer(_layer(_layer(_layer(_layer(_layer(_layer(_layer(_layer(known))))))))))

_layer(known) := object.union(known, {key: value |
	some key, node in _nodes
	not _has(known, key)
	value := _value(node, key, known)
})

_has(known, key) if {
	_ = known[key]
}

_nodes[[name, path]] := node if {
	some name, expr in _conditions
	walk(expr, [path, node])
	is_object(node)
	count(node) == 1
}

_value(node, _, _) := _equals(node["Fn::Equals"][0], node["Fn::Equals"][1]) if {
	is_array(node["Fn::Equals"])
	count(node["Fn::Equals"]) == 2
}

_value(node, key, known) := _not(known[[key[0], array.concat(key[1], ["Fn::Not", 0])]]) if {
	is_array(node["Fn::Not"])
	count(node["Fn::Not"]) == 1
}

_value(node, key, known) := _and(_children(node, "Fn::And", key, known))

_value(node, key, known) := _or(_children(node, "Fn::Or", key, known))

_value(node, _, known) := known[[node.Condition, []]] if _is_condition(node.Condition)

_value(node, _, _) := "unknown" if {
	is_string(node.Condition)
	not _is_condition(node.Condition)
}

# The values of an Fn::And / Fn::Or node's operands, once every one of them has a value.
_children(node, op, key, known) := children if {
	is_array(node[op])
	count(node[op]) > 0
	children := [known[[key[0], array.concat(key[1], [op, i])]] | some i, _ in node[op]]
	count(children) == count(node[op])
}

_not(true) := false

_not(false) := true

_not("unknown") := "unknown"

_and(children) := false if false in children

_and(children) := true if {
	not false in children
	not "unknown" in children
}

_and(children) := "unknown" if {
	not false in children
	"unknown" in children
}

_or(children) := true if true in children

_or(children) := false if {
	not true in children
	not "unknown" in children
}

_or(children) := "unknown" if {
	not true in children
	"unknown" in children
}

_equals(a, b) := true if {
	_text(a) == _text(b)
}

_equals(a, b) := false if {
	_text(a) != _text(b)
}

_equals(a, b) := "unknown" if not _known(a)

_equals(a, b) := "unknown" if not _known(b)

_known(x) if _text(x)

# The string CloudFormation compares: a literal, or Ref to a parameter with a literal default.
_text(x) := _literal(x) if not is_object(x)

_text(x) := _literal(input.Parameters[x.Ref].Default) if is_string(x.Ref)

_literal(x) := x if is_string(x)

_literal(x) := "true" if x == true

_literal(x) := "false" if x == false

_literal(x) := format_int(x, 10) if {
	is_number(x)
	x == floor(x)
}
