# METADATA
# title: streamguard entries outside the resources
# description: >-
#   What a rule may report besides resources (RULES.md "Addresses"), in the shape
#   resources.by_address gives resources (address, type, name, format, values, loc): Terraform
#   providers (aws.default, aws.<alias>), variables (values.default), locals and outputs
#   (values.value) and module calls (values.<argument>), read from the configuration of a plan
#   or of the document the CLI builds from HCL, constant values only; CloudFormation Parameters
#   (values.Default), Mappings and Outputs. units.py keeps these in the first evaluation unit
#   only (Parameters and Mappings in every unit, which report identical findings).
package streamguard.lib.sections

import rego.v1

import data.streamguard.lib.resources
import data.streamguard.lib.util

by_address := _by_address_entries

_by_address_entries[address] := entry if {
	resources.is_terraform
	some key, provider in util.mapping(input.configuration.provider_config)
	is_object(provider)
	not contains(key, ":")
	not startswith(key, "module.")
	name := object.get(provider, "name", key)
	address := _sections_provider_address(key)
	entry := _sections_entry(address, "provider", name, "terraform", _sections_constants(provider.expressions))
}

_by_address_entries[address] := entry if {
	resources.is_terraform
	some name, variable in util.mapping(input.configuration.root_module.variables)
	address := concat(".", ["variable", name])
	entry := _sections_entry(address, "variable", name, "terraform", _sections_default(variable, "default"))
}

_by_address_entries[address] := entry if {
	resources.is_terraform
	some kind, section in {"locals": "locals", "output": "outputs"}
	some name, item in util.mapping(input.configuration.root_module[section])
	address := concat(".", [kind, name])
	entry := _sections_entry(address, kind, name, "terraform", _sections_constant(item.expression))
}

_by_address_entries[address] := entry if {
	resources.is_terraform
	some name, call in util.mapping(input.configuration.root_module.module_calls)
	address := concat(".", ["module", name])
	entry := _sections_entry(address, "module", name, "terraform", _sections_constants(call.expressions))
}

_by_address_entries[address] := entry if {
	resources.is_cloudformation
	some name, parameter in util.mapping(input.Parameters)
	address := concat(".", ["Parameters", name])
	entry := _sections_entry(address, "Parameters", name, "cloudformation", _sections_default(parameter, "Default"))
}

_by_address_entries[address] := entry if {
	resources.is_cloudformation
	some section in ["Mappings", "Outputs"]
	some name, item in util.mapping(input[section])
	address := concat(".", [section, name])
	entry := _sections_entry(address, section, name, "cloudformation", _sections_object(item))
}

_sections_entry(address, kind, name, format, values) := {
	"address": address,
	"type": kind,
	"name": name,
	"format": format,
	"values": values,
	"loc": resources.location(address),
}

# A variable's default or a parameter's Default, when it has one.
_sections_default(x, key) := {key: x[key]} if {
	is_object(x)
	key in object.keys(x)
}

_sections_default(x, key) := {} if not _sections_has(x, key)

_sections_has(x, key) if {
	is_object(x)
	key in object.keys(x)
}

_sections_constant(expression) := {"value": expression.constant_value} if {
	is_object(expression)
	"constant_value" in object.keys(expression)
}

_sections_constant(expression) := {} if not _sections_has(expression, "constant_value")

# A provider's address comes from its provider_config key, which Terraform writes as name or
# name.alias: keys are unique, so addresses are too (a malformed alias field cannot make two).
_sections_provider_address(key) := key if contains(key, ".")

_sections_provider_address(key) := concat(".", [key, "default"]) if not contains(key, ".")

# The arguments of a provider block or module call that have constant values.
_sections_constants(expressions) := {arg: value |
	is_object(expressions)
	some arg in object.keys(expressions)
	_sections_has(expressions[arg], "constant_value")
	value := expressions[arg].constant_value
}

_sections_object(x) := x if is_object(x)

_sections_object(x) := {} if not is_object(x)
