# METADATA
# title: streamguard links by reference or by name
# description: >-
#   A CloudFormation resource that acts on another one (a logging option on an application, an
#   alarm dimension on a delivery stream) names it by Ref or by its literal name. These helpers
#   decide whether a property names a given resource, and whether that resource's own name is
#   known at all (a name that cannot be resolved is unknown: rules do not report on it).
package streamguard.lib.naming

import rego.v1

import data.streamguard.lib.cfn

# arn_names(arn, separator) is every name a literal ARN ends with after the separator
# (":stream/" for Kinesis streams, ":::" for buckets, ":" for KMS aliases): exactly the names n for
# which the ARN ends with separator + n, so a rule looks a name up instead of testing every resource.
arn_names(arn, separator) := {name |
	is_string(arn)
	startswith(arn, "arn:")
	parts := split(arn, separator)
	some i in numbers.range(1, count(parts) - 1)
	name := concat(separator, array.slice(parts, i, count(parts)))
}

# cfn_names_resource(x, target, name_key): property x refers to target (Ref, Fn::GetAtt, Fn::Sub),
# or one of its literal values equals one of target's literal name values (property name_key).
cfn_names_resource(x, target, name_key) if {
	some t in cfn.referenced(x)
	t.address == target.address
}

cfn_names_resource(x, target, name_key) if {
	some name in cfn.values(x)
	is_string(name)
	name in cfn.values(cfn.prop(target.values, name_key))
}

# cfn_name_unresolved(target, name_key): the name property is set, but no value of it resolves
# (a Ref to a parameter without a default, or another intrinsic).
cfn_name_unresolved(target, name_key) if {
	x := target.values[name_key]
	count(cfn.values(x)) == 0
}

# cfn_unknown_name(x): a name property that neither resolves nor refers to a resource of the
# template, so it could be any name (an unknown name of another resource included).
cfn_unknown_name(x) if {
	count(cfn.values(x)) == 0
	count(cfn.referenced(x)) == 0
}

# tf_could_be(res, path, name): the Terraform value at path, which is unknown, could be the literal
# name: it has the known ends of the string template it comes from ("${var.env}-ingest" can be
# "prod-ingest", never "orders"). The HCL reader records them; plan JSON has none (any name).
tf_could_be(res, path, name) if {
	expr := object.get(res.config, path, {})
	prefix := object.get(expr, "literal_prefix", "")
	suffix := object.get(expr, "literal_suffix", "")
	startswith(name, prefix)
	endswith(name, suffix)
	count(name) >= count(prefix) + count(suffix)
}
