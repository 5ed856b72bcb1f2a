# METADATA
# title: streamguard KMS key resolution
# description: >-
#   Follows a key reference to the KMS key resources of the input: directly, through an alias
#   (by reference, or by its name or ARN as a literal), and from a replica key to its primary.
#   Each result names the chain followed, for messages. A key outside the input resolves to
#   nothing, which is unknown, never a failure.
package streamguard.lib.kms

import rego.v1

import data.streamguard.lib.cfn
import data.streamguard.lib.resources
import data.streamguard.lib.tf

key_types := {"aws_kms_key", "aws_kms_replica_key", "AWS::KMS::Key", "AWS::KMS::ReplicaKey"}

alias_types := {"aws_kms_alias", "AWS::KMS::Alias"}

# keys(res, path) is {"key": key resource, "chain": [addresses after res]} for every key the
# key reference at path (a property path in res.values) resolves to.
keys(res, path) := {k |
	some first in _first_hops(res, path)
	some k in _through_alias(first)
}

# spec_key(key) is the key whose key spec and rotation apply: the primary of a replica key.
spec_key(key) := primary if {
	key.type in {"aws_kms_replica_key", "AWS::KMS::ReplicaKey"}
	some primary in _primaries(key)
}

spec_key(key) := key if not key.type in {"aws_kms_replica_key", "AWS::KMS::ReplicaKey"}

# chain_text(res, k) is "res → alias → key" for messages.
chain_text(res, k) := concat(" → ", array.concat([res.address], k.chain))

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
	some t in cfn.referenced(x)
} | {t |
	res.format == "cloudformation"
	x := _cfn_at(res.values, path)
	some v in cfn.values(x)
	some t in _by_literal(v)
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
_by_literal(v) := {t |
	is_string(v)
	some t in resources.by_address
	t.type in alias_types
	some name in _alias_names(t)
	_names_alias(v, name)
} | _keys_by_literal(v)

_keys_by_literal(v) := {t |
	is_string(v)
	some t in resources.by_address
	t.type in key_types
	t.format == "terraform"
	v in {object.get(t.values, "arn", null), object.get(t.values, "key_id", null)}
}

_alias_names(t) := {n |
	t.format == "terraform"
	n := tf.value(t, ["name"])
} | {n |
	t.format == "cloudformation"
	some n in cfn.values(cfn.prop(t.values, "AliasName"))
	is_string(n)
}

_names_alias(v, name) if v == name

_names_alias(v, name) if {
	startswith(v, "arn:")
	endswith(v, concat("", [":", name]))
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
