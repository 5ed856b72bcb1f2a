# METADATA
# title: streamguard input normalisation
# description: >-
#   Turns every input shape into one set of resources that rules iterate: Terraform plan JSON
#   (as `terraform show -json` writes it, or the plan-shaped document the streamguard CLI builds
#   from HCL) and CloudFormation templates (JSON, or YAML with long-form intrinsics). Each resource
#   has address, type, name, format, values, config (Terraform expressions with references),
#   unknown (Terraform after_unknown) and loc (file, line).
# custom:
#   public: true
package streamguard.lib.resources

import rego.v1

import data.streamguard.lib.conditions
import data.streamguard.lib.util

# is_terraform: the input is Terraform (plan JSON, or the CLI's document of .tf files).
is_terraform if is_object(input.planned_values)

is_terraform if {
	not _planned_values_object
	is_object(input.configuration)
	input.format_version
}

_planned_values_object if is_object(input.planned_values)

# is_cloudformation: the input is a CloudFormation template.
is_cloudformation if {
	not is_terraform
	is_object(input.Resources)
}

# by_address is every resource the input configures, normalised, keyed by address: a data source
# that looks infrastructure up configures nothing (RULES.md), so no rule checks it and no reference
# resolves to it; the policy documents written as data sources are configuration. Nor does a
# CloudFormation resource whose Condition is false by default.
by_address := {address: res |
	some address, res in _by_address_entries
	not _looked_up(res)
	not _not_created(res)
}

# by_type[type] is the set of by_address resources of one type ("aws_kinesis_stream",
# "AWS::Kinesis::Stream"): iterate it instead of filtering every resource.
by_type[res.type] contains res if {
	some res in by_address
}

# blocks_by_address is every block, looked-up data sources included (SG_304 reads every argument).
blocks_by_address := _by_address_entries

# authored_data_types are the data sources that are configuration (policy documents), not look-ups.
authored_data_types := {"aws_iam_policy_document"}

_looked_up(res) if {
	res.mode == "data"
	not res.type in authored_data_types
}

_not_created(res) if {
	res.format == "cloudformation"
	not conditions.created(res.resource)
}

_by_address_entries[address] := res if {
	is_terraform
	some address, r in _tf_planned
	res := {
		"address": r.address,
		"type": r.type,
		"name": r.name,
		"mode": object.get(r, "mode", "managed"),
		"format": "terraform",
		"values": util.mapping(object.get(r, "values", {})),
		"config": util.mapping(object.get(_tf_expressions, r.address, {})),
		"unknown": util.mapping(object.get(_tf_after_unknown, r.address, {})),
		"loc": location(r.address),
	}
}

_by_address_entries[address] := res if {
	is_cloudformation
	some logical_id, r in util.mapping(input.Resources)
	is_string(r.Type)
	address := concat(".", [r.Type, logical_id])
	res := {
		"address": address,
		"type": r.Type,
		"name": logical_id,
		"mode": "managed",
		"format": "cloudformation",
		"values": util.mapping(object.get(r, "Properties", {})),
		"config": {},
		"unknown": {},
		"resource": r,
		"loc": location(address),
	}
}

# cfn_resource(logical_id) is the CloudFormation resource with that logical ID.
# (Both parts are checked to be strings: concat of anything else is an error in regorus, where OPA
# is undefined, and a template may give a list as a Type or a Ref.)
cfn_resource(logical_id) := by_address[concat(".", [type, logical_id])] if {
	is_string(logical_id)
	type := input.Resources[logical_id].Type
	is_string(type)
}

# location(address) is where the CLI found the resource; opa/conftest inputs carry no lines.
location(address) := object.get(_locations, address, _no_location)

_locations := object.get(input, ["streamguard", "locations"], {})

_no_location := {"file": object.get(input, ["streamguard", "file"], ""), "line": 0}

_tf_modules := _tf_modules_entries

# Every module of the plan: the root, and its child_modules at any depth. walk visits each node
# below the root's child_modules once, so this stays linear in the plan's size (the root's own
# resources, often most of a plan, are not walked).
_tf_modules_entries contains m if {
	m := input.planned_values.root_module
	is_object(m)
}

_tf_modules_entries contains m if {
	walk(util.iterable(input.planned_values.root_module.child_modules), [path, m])
	_module_path(path)
	is_object(m)
}

# i, or i, child_modules, j, or i, child_modules, j, child_modules, k, ...
_module_path(path) if {
	count(path) % 2 == 1
	every i, step in path {
		_module_step(i, step)
	}
}

_module_step(i, step) if {
	i % 2 == 0
	is_number(step)
}

_module_step(i, step) if {
	i % 2 == 1
	step == "child_modules"
}

_tf_planned := _tf_planned_entries

_tf_planned_entries[r.address] := r if {
	some m in _tf_modules
	some r in util.iterable(m.resources)
	is_string(r.address)
	is_string(r.type)
}

# Data sources Terraform could read at plan time sit in prior_state, not planned_values.
_tf_planned_entries[r.address] := r if {
	some r in util.iterable(input.prior_state.values.root_module.resources)
	r.mode == "data"
	is_string(r.address)
	is_string(r.type)
	not _planned_addresses[r.address]
}

_planned_addresses := _planned_addresses_entries

_planned_addresses_entries contains address if {
	some m in _tf_modules
	some r in util.iterable(m.resources)
	address := r.address
}

_tf_expressions := _tf_expressions_entries

_tf_expressions_entries[r.address] := expressions if {
	some r in util.iterable(input.configuration.root_module.resources)
	is_string(r.address)
	expressions := r.expressions
}

_tf_expressions_entries[address] := expressions if {
	some name, call in util.mapping(input.configuration.root_module.module_calls)
	some r in util.iterable(call.module.resources)
	is_string(r.address)
	address := concat(".", ["module", name, r.address])
	expressions := r.expressions
}

_tf_after_unknown := _tf_after_unknown_entries

_tf_after_unknown_entries[rc.address] := after_unknown if {
	some rc in util.iterable(input.resource_changes)
	is_string(rc.address)
	after_unknown := rc.change.after_unknown
}
