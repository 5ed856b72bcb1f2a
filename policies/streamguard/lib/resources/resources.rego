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
# CloudFormation resource whose Condition is false by default. Nor does a child module that is
# `reported_on_its_own`: the CLI adds the local modules a directory of .tf files calls to its
# document for references to reach, and evaluates and reports each of them on its own.
by_address := {address: res |
	some address, res in referable
	not res.reported_on_its_own
}

# referable is every resource a reference may resolve to: by_address, and the resources of the
# local modules a .tf directory calls.
referable := {address: res |
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
blocks_by_address := {address: res |
	some address, res in _by_address_entries
	not res.reported_on_its_own
}

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
	some address, planned in _tf_planned
	r := planned.resource
	res := {
		"address": r.address,
		"type": r.type,
		"name": r.name,
		"mode": object.get(r, "mode", "managed"),
		"format": "terraform",
		"module": planned.module,
		"reported_on_its_own": planned.reported_on_its_own,
		"values": util.mapping(object.get(r, "values", {})),
		"config": util.mapping(object.get(_tf_expressions, _call_names(r.address), {})),
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
		"module": "",
		"reported_on_its_own": false,
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

# Each planned resource with the prefix of the module instance it is in ("" in the root module,
# "module.keys[0]." below a call): its references are relative to that module.
_tf_planned_entries[r.address] := {
	"resource": r,
	"module": _module_prefix(m),
	"reported_on_its_own": object.get(m, "reported_on_its_own", false) == true,
} if {
	some m in _tf_modules
	some r in util.iterable(m.resources)
	is_string(r.address)
	is_string(r.type)
}

# Data sources Terraform could read at plan time sit in prior_state, not planned_values.
_tf_planned_entries[r.address] := {"resource": r, "module": "", "reported_on_its_own": false} if {
	some r in util.iterable(input.prior_state.values.root_module.resources)
	r.mode == "data"
	is_string(r.address)
	is_string(r.type)
	not _planned_addresses[r.address]
}

_module_prefix(m) := concat("", [m.address, "."]) if is_string(object.get(m, "address", null))

# (The root module has no address; OPA is undefined, not false, for `not is_string(m.address)`.)
_module_prefix(m) := "" if not is_string(object.get(m, "address", null))

_planned_addresses := _planned_addresses_entries

_planned_addresses_entries contains address if {
	some m in _tf_modules
	some r in util.iterable(m.resources)
	address := r.address
}

# referenced(res, ref) is every referable resource a reference in res's configuration names,
# resolved in res's module (a plan writes references inside a called module relative to it), or
# through one output of a module that module calls to the resources the output refers to
# (`module.keys.key_arn` or `module.keys[0].key_arn`). A module output that is not in the input
# (a registry or missing module) resolves to nothing: unknown.
referenced(res, ref) := {t |
	is_string(ref)
	module := object.get(res, "module", "")
	some hop in array.concat([{"module": module, "ref": ref}], _through_output(module, ref))
	t := referable[concat("", [hop.module, hop.ref])]
}

_through_output(module, ref) := [{"module": concat("", [module, call]), "ref": r} |
	some call in regex.find_n(`^module\.[A-Za-z_][A-Za-z0-9_-]*(\[[^\]]*\])?\.`, ref, 1)
	some output in regex.find_n(`^[A-Za-z_][A-Za-z0-9_-]*`, substring(ref, count(call), -1), 1)
	some r in object.get(_tf_output_references, _call_names(concat("", [module, call, output])), [])
]

# An address without its instance keys: how the configuration names what it configures
# (`module.keys[0].aws_kms_key.this[1]` is `module.keys.aws_kms_key.this` there).
_call_names(address) := regex.replace(address, `\[[^\]]*\]`, "")

# Each module of the configuration by the calls that lead to it: "" for the root module,
# "module.a.module.b." for module b called by module a.
_tf_config_modules := _tf_config_modules_entries

_tf_config_modules_entries[""] := m if {
	m := input.configuration.root_module
	is_object(m)
}

_tf_config_modules_entries[names] := m if {
	walk(util.mapping(input.configuration.root_module.module_calls), [path, m])
	_config_module_path(path)
	is_object(m)
	names := concat("", [concat("", ["module.", name, "."]) | some i, name in path; i % 3 == 0])
}

# name, "module", or name, "module", "module_calls", name, "module", ...
_config_module_path(path) if {
	count(path) % 3 == 2
	every i, step in path {
		_config_module_step(i, step)
	}
}

_config_module_step(i, step) if {
	i % 3 == 0
	is_string(step)
}

_config_module_step(i, step) if {
	i % 3 == 1
	step == "module"
}

_config_module_step(i, step) if {
	i % 3 == 2
	step == "module_calls"
}

_tf_expressions := _tf_expressions_entries

_tf_expressions_entries[concat("", [names, r.address])] := r.expressions if {
	some names, m in _tf_config_modules
	some r in util.iterable(m.resources)
	is_string(r.address)
}

_tf_output_references := _tf_output_references_entries

_tf_output_references_entries[concat("", [names, name])] := refs if {
	some names, m in _tf_config_modules
	some name, output in util.mapping(m.outputs)
	refs := [r | some r in util.iterable(output.expression.references); is_string(r)]
}

_tf_after_unknown := _tf_after_unknown_entries

_tf_after_unknown_entries[rc.address] := after_unknown if {
	some rc in util.iterable(input.resource_changes)
	is_string(rc.address)
	after_unknown := rc.change.after_unknown
}
