# METADATA
# title: streamguard KMS key resolution
# description: >-
#   Follows a key reference to the KMS key resources of the input: directly, through an alias
#   (by reference, or by its name or ARN as a literal), and from a replica key to its primary.
#   Each result names the chain followed, for messages. A key outside the input resolves to
#   nothing, which is unknown, never a failure. src/streamguard/logic/kms.py is the Python twin.
# custom:
#   public: true
package streamguard.lib.kms

import rego.v1

import data.streamguard.lib.cfn
import data.streamguard.lib.naming
import data.streamguard.lib.pipeline
import data.streamguard.lib.resources
import data.streamguard.lib.tf
import data.streamguard.lib.util

# key_types are the KMS key resource types of both formats (replica keys included).
key_types := {"aws_kms_key", "aws_kms_replica_key", "AWS::KMS::Key", "AWS::KMS::ReplicaKey"}

# replica_types are the replica key types, whose spec is their primary's.
replica_types := {"aws_kms_replica_key", "AWS::KMS::ReplicaKey"}

# alias_types are the KMS alias types.
alias_types := {"aws_kms_alias", "AWS::KMS::Alias"}

# keys(res, path) is {"key": key resource, "chain": [addresses after res]} for every key the
# key reference at path (a property path in res.values) resolves to.
keys(res, path) := {k |
	some first in _first_hops(res, path)
	some k in _through_alias(first)
}

# spec_keys(key) is every key whose key spec and rotation apply to key: a replica key's primary
# (several only when the primary reference is conditional), else the key itself.
spec_keys(key) := _primaries(key) if key.type in replica_types

spec_keys(key) := {key} if not key.type in replica_types

# spec_key(key) is the one key of spec_keys(key); undefined when there is none or several.
spec_key(key) := primary if {
	primaries := spec_keys(key)
	count(primaries) == 1
	some primary in primaries
}

# chain_text(res, k) is "res → alias → key" for messages.
chain_text(res, k) := concat(" → ", array.concat([res.address], k.chain))

# key_setting(key, name) is every value the key's top-level attribute may take: null when it is
# not set (the AWS default applies), every Fn::If branch in CloudFormation; unknowns left out.
key_setting(key, name) := {v |
	key.format == "terraform"
	not tf.unknown(key, [name])
	v := util.at_or(key.values, [name], null)
} | {v |
	key.format == "cloudformation"
	some v in cfn.values(cfn.prop(key.values, name))
}

# The attributes that hold a key's spec (customer_master_key_spec is the provider's name for it).
spec_attributes := {
	"aws_kms_key": ["customer_master_key_spec", "key_spec"],
	"AWS::KMS::Key": ["KeySpec"],
}

# symmetric_key_spec(v): the key spec value v (null: not set) is the symmetric encryption default.
symmetric_key_spec(v) if v == null

symmetric_key_spec(v) if {
	is_string(v)
	upper(v) in {"", "SYMMETRIC_DEFAULT"}
}

_first_hops(res, path) := {t |
	res.format == "terraform"
	some t in tf.targets(res, path)
} | {t |
	res.format == "terraform"
	v := tf.value(res, path)
	some t in _by_literal(v)
} | {t |
	res.format == "cloudformation"
	x := _cfn_at(res.values, path)
	some t in _cfn_first_hops(x)
}

_through_alias(t) := {{"key": t, "chain": [t.address]}} if t.type in key_types

_through_alias(t) := {{"key": key, "chain": [t.address, key.address]} |
	some key in _alias_keys(t)
} if t.type in alias_types

_through_alias(t) := set() if {
	not t.type in key_types
	not t.type in alias_types
}

_alias_keys(alias) := {k |
	alias.format == "terraform"
	some k in tf.targets(alias, ["target_key_id"])
	k.type in key_types
} | {k |
	alias.format == "terraform"
	v := tf.value(alias, ["target_key_id"])
	some k in _keys_by_literal(v)
} | {k |
	alias.format == "cloudformation"
	some k in cfn.referenced(cfn.prop(alias.values, "TargetKeyId"))
	k.type in key_types
}

_primaries(replica) := {k |
	replica.format == "terraform"
	some k in tf.targets(replica, ["primary_key_arn"])
	k.type in key_types
} | {k |
	replica.format == "cloudformation"
	some k in cfn.referenced(cfn.prop(replica.values, "PrimaryKeyArn"))
	k.type in key_types
}

# A literal alias name ("alias/x"), alias ARN ("arn:...:alias/x"), or key ARN / key ID.
# (Only strings are keys of the indexes, so other values find nothing.)
_by_literal(v) := {t |
	some name in ({v} | naming.arn_names(v, ":"))
	some address in _aliases_by_name[name]
	t := resources.by_address[address]
} | _keys_by_literal(v)

_keys_by_literal(v) := {t |
	some address in _keys_by_literal_index[v]
	t := resources.by_address[address]
}

# Each alias by its names and each key by its ARN and ID, built once per evaluation: literals are
# looked up for every key reference, and scanning every alias or key there would make whole plans
# quadratic.
_aliases_by_name := _aliases_by_name_entries

_aliases_by_name_entries[name] contains t.address if {
	some t in resources.by_address
	t.type in alias_types
	some name in _alias_names(t)
}

_keys_by_literal_index := _keys_by_literal_index_entries

_keys_by_literal_index_entries[literal] contains t.address if {
	some t in resources.by_address
	t.type in key_types
	t.format == "terraform"
	some attribute in ["arn", "key_id"]
	literal := t.values[attribute]
	literal != null
}

_alias_names(t) := {n |
	t.format == "terraform"
	n := tf.value(t, ["name"])
} | {n |
	t.format == "cloudformation"
	some n in cfn.values(cfn.prop(t.values, "AliasName"))
	is_string(n)
}

# Property at a path for CloudFormation; the path's steps are plain keys (no Fn::If inside).
_cfn_at(values, path) := x if {
	count(path) == 1
	x := cfn.prop(values, path[0])
}

_cfn_at(values, path) := x if {
	count(path) == 2
	some parent in cfn.values(cfn.prop(values, path[0]))
	x := cfn.prop(parent, path[1])
}

_cfn_at(values, path) := x if {
	count(path) == 3
	some p0 in cfn.values(cfn.prop(values, path[0]))
	some p1 in cfn.values(cfn.prop(p0, path[1]))
	x := cfn.prop(p1, path[2])
}

_cfn_first_hops(x) := cfn.referenced(x) | {t |
	some v in cfn.values(x)
	some t in _by_literal(v)
}

# Where streaming resources name the KMS key that protects their data (RULES.md SG_201): the
# attribute names below, found at any depth of the resource (so every Firehose S3 destination,
# backup and bucket encryption rule is covered, through Fn::If branches in CloudFormation).
key_attributes := {
	"aws_kinesis_stream": "kms_key_id",
	"aws_kinesis_firehose_delivery_stream": "key_arn",
	"aws_s3_bucket": "kms_master_key_id",
	"aws_s3_bucket_server_side_encryption_configuration": "kms_master_key_id",
	"aws_cloudtrail": "kms_key_id",
	"AWS::Kinesis::Stream": "KeyId",
	"AWS::KinesisFirehose::DeliveryStream": "KeyARN",
	"AWS::S3::Bucket": "KMSMasterKeyID",
	"AWS::CloudTrail::Trail": "KMSKeyId",
}

# Firehose names S3-destination keys kms_key_arn / AWSKMSKeyARN, beside its own SSE key.
_extra_key_attributes := {
	"aws_kinesis_firehose_delivery_stream": "kms_key_arn",
	"AWS::KinesisFirehose::DeliveryStream": "AWSKMSKeyARN",
}

# uses(res) is {"key", "chain", "attribute"} for every key res's key references resolve to;
# attribute is the dotted path of the reference, for messages.
uses(res) := {u |
	res.format == "terraform"
	some path in _key_reference_paths(res)
	some k in keys(res, path)
	u := {"key": k.key, "chain": k.chain, "attribute": concat(".", _logical_path(path))}
} | {u |
	res.format == "cloudformation"
	some [path, x] in _cfn_key_references(res)
	some first in _cfn_first_hops(x)
	some k in _through_alias(first)
	u := {"key": k.key, "chain": k.chain, "attribute": concat(".", path)}
}

# uses_by_address is uses(res) for every resource that names a key, computed once per evaluation.
uses_by_address := _uses_by_address_entries

_uses_by_address_entries[res.address] := uses(res) if {
	some res in resources.by_address
	key_attributes[res.type]
	_key_scope(res)
}

# Bucket keys protect streaming data only on pipeline buckets (RULES.md SG_201: key scope).
_bucket_key_users := {"aws_s3_bucket", "aws_s3_bucket_server_side_encryption_configuration", "AWS::S3::Bucket"}

_key_scope(res) if not res.type in _bucket_key_users

_key_scope(res) if pipeline.pipeline_encryption[res.address]

# used_key_addresses is every key a streaming resource's key reference resolves to.
used_key_addresses := _used_key_addresses_entries

_used_key_addresses_entries contains address if {
	some u in uses_by_address[_]
	address := u.key.address
}

# streaming_key_addresses is every key that protects streaming data: the keys used, and the
# primaries of the replica keys used (they hold the same key material).
streaming_key_addresses := _streaming_key_addresses_entries

_streaming_key_addresses_entries contains address if {
	some used in used_key_addresses
	some key in spec_keys(resources.by_address[used])
	some address in {used, key.address}
}

# Terraform: found in the known values and in the configuration (a reference is not a value yet).
_key_reference_paths(res) := {path |
	some doc in [res.values, res.config]
	walk(doc, [path, _])
	count(path) > 0
	path[count(path) - 1] in names
} if {
	names := _key_attribute_names(res)
}

_cfn_key_references(res) := {pair |
	walk(res.values, [path, v])
	count(path) > 0
	path[count(path) - 1] in names
	pair := [_logical_path(path), v]
} if {
	names := _key_attribute_names(res)
}

# Computed before a walk, not inside it: rego-cpp would rebuild the set at every node.
_key_attribute_names(res) := {key_attributes[res.type], object.get(_extra_key_attributes, res.type, "")}

# The path without Fn::If steps and array indices: how a property is named in messages.
_logical_path(path) := [p |
	some p in path
	is_string(p)
	p != "Fn::If"
]
