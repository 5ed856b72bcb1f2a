# The verdict of SG_302: `_reasons[address]` is the set of reasons a resource fails.
# Its METADATA, `_meta`, `deny` and `suppressed` are generated into sg_302_meta.rego from
# catalog/SG_302.yaml.
package streamguard.rules.sg_302

import rego.v1

import data.streamguard.lib.cfn
import data.streamguard.lib.credentials
import data.streamguard.lib.resources
import data.streamguard.lib.tf
import data.streamguard.lib.util

_reasons[res.address] contains r if {
	some res in resources.by_address
	res.type == "aws_kinesisanalyticsv2_application"
	some app in tf.blocks(res, "application_configuration")
	some env in util.iterable(app.environment_properties)
	some group in util.iterable(env.property_group)
	property_map := _sg302_map(group.property_map)
	properties := {key: values | some key in object.keys(property_map); values := [property_map[key]]}
	some r in _sg302_reasons(object.get(group, "property_group_id", null), properties)
}

_reasons[res.address] contains r if {
	some res in resources.by_address
	res.type == "AWS::KinesisAnalyticsV2::Application"
	some app in cfn.values(cfn.prop(res.values, "ApplicationConfiguration"))
	some env in cfn.values(cfn.prop(app, "EnvironmentProperties"))
	some groups in cfn.values(cfn.prop(env, "PropertyGroups"))
	is_array(groups)
	some item in groups
	some group in cfn.values(item)
	some property_map in cfn.values(cfn.prop(group, "PropertyMap"))
	is_object(property_map)
	properties := {key: values | some key in object.keys(property_map); values := [v | some v in cfn.values(property_map[key])]}
	some group_id in _sg302_group_ids(group)
	some r in _sg302_reasons(group_id, properties)
}

# A map attribute: a dict, or a one-element list holding one (RULES.md "Shapes vary").
_sg302_map(x) := x if is_object(x)

_sg302_map(x) := x[0] if {
	is_array(x)
	count(x) == 1
	is_object(x[0])
}

_sg302_group_ids(group) := ids if {
	ids := cfn.values(cfn.prop(group, "PropertyGroupId"))
	count(ids) > 0
}

_sg302_group_ids(group) := {null} if count(cfn.values(cfn.prop(group, "PropertyGroupId"))) == 0

# properties: key -> every value it may take. A key named like an AWS credential with a literal value,
# any value holding access key IDs, and (beside an access key ID in the same map) any 40-character
# secret key.
_sg302_reasons(group_id, properties) := {r |
	some key in object.keys(properties)
	some value in properties[key]
	is_string(value)
	some r in _sg302_value_reasons(concat("", ["property ", util.show(key), " in property group ", util.show(group_id)]), key, value, properties)
}

_sg302_value_reasons(where, key, value, properties) := {r |
	credentials.aws_credential_name(key)
	credentials.literal_secret(value)
	r := credentials.secret_reason(where, credentials.secret_kind(value), value)
} | {r |
	some id in credentials.access_key_ids(value)
	r := credentials.secret_reason(where, credentials.id_kind, id)
} | {r |
	_sg302_beside_id(properties)
	regex.match(`^[A-Za-z0-9/+=]{40}$`, value)
	r := credentials.secret_reason(where, credentials.secret_key_kind, value)
}

_sg302_beside_id(properties) if {
	some key in object.keys(properties)
	some value in properties[key]
	is_string(value)
	count(credentials.access_key_ids(value)) > 0
}
