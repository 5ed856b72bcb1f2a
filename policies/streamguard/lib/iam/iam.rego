# METADATA
# title: streamguard IAM policy documents
# description: >-
#   The one reader of IAM policy documents (streamguard.logic.iam is its Python twin). It reads a
#   document from a JSON string (plan JSON, heredoc, the HCL loader's jsonencode()), a JSON object
#   (CloudFormation), or an aws_iam_policy_document data source (statement blocks, effect defaulting
#   to Allow), following a reference to such a data source when the attribute itself is unknown.
#   Statements are numbered from 1 in document order. Each Allow statement becomes a small record
#   of what the SG_4xx rules judge:
#   {"where", "actions", "not_action", "principals", "conditioned"}. Parts that are unknown (a
#   Terraform string holding "${", a CloudFormation intrinsic that does not resolve) are left out,
#   so they never fail a rule.
# custom:
#   public: true
package streamguard.lib.iam

import rego.v1

import data.streamguard.lib.cfn
import data.streamguard.lib.resources
import data.streamguard.lib.tf
import data.streamguard.lib.util

# Terraform types whose `policy` attribute is a permission policy (SG_401's sources).
_tf_policy_types := {
	"aws_iam_policy",
	"aws_iam_role_policy",
	"aws_iam_user_policy",
	"aws_iam_group_policy",
	"aws_kinesis_resource_policy",
}

# CloudFormation types and the property that holds their one permission policy.
_cfn_policy_property := {
	"AWS::IAM::Policy": "PolicyDocument",
	"AWS::IAM::ManagedPolicy": "PolicyDocument",
	"AWS::IAM::RolePolicy": "PolicyDocument",
	"AWS::Kinesis::ResourcePolicy": "ResourcePolicy",
}

# permission_statements(res) is every Allow statement of the permission policies res holds:
# policy attributes, a role's inline_policy blocks, the Policies of roles, users and groups, and
# the own statements of a policy-document data source, checked on its own whether or not a policy
# uses it, unless it serves only as key or trust policies.
permission_statements(res) := tf_allow_statements(res, ["policy"], "policy") if res.type in _tf_policy_types

permission_statements(res) := {s |
	blocks := tf.blocks(res, "inline_policy")
	block := blocks[i]
	some s in tf_allow_statements(res, ["inline_policy", i, "policy"], _iam_inline_label(block, i))
} if res.type == "aws_iam_role"

permission_statements(res) := data_source_statements(res, "") if {
	res.type == "aws_iam_policy_document"
	not _iam_only_key_or_trust_policy(res.address)
	not _iam_read_while_planning(res.address)
}

permission_statements(res) := cfn_allow_statements(cfn.prop(res.values, name), name) if {
	name := _cfn_policy_property[res.type]
}

permission_statements(res) := {s |
	some policies in cfn.values(cfn.prop(res.values, "Policies"))
	is_array(policies)
	item := policies[i]
	some policy in cfn.values(item)
	label := _iam_cfn_policy_label(policy, i)
	some s in cfn_allow_statements(cfn.prop(policy, "PolicyDocument"), label)
} if res.type in {"AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::Group"}

# permission_statements of every resource that holds permission policies, computed once per
# evaluation: a rule's value is kept, a function is evaluated again at every call.
permission_statements_by_address := _permission_statements_by_address_entries

_permission_statements_by_address_entries[res.address] := statements if {
	some res in resources.by_address
	statements := permission_statements(res)
}

# Key and trust policies use the data source, permission policies do not: kms:* for the account
# root belongs in a key policy (SG_403/SG_404 judge those documents).
_iam_only_key_or_trust_policy(address) if {
	_iam_key_or_trust_documents[address]
	not _iam_permission_documents[address]
}

_iam_tf_key_or_trust_policy := {"aws_kms_key": "policy", "aws_kms_replica_key": "policy", "aws_iam_role": "assume_role_policy"}

# Addresses of the policy-document data sources each kind of policy uses, collected once.
_iam_key_or_trust_documents := _iam_key_or_trust_documents_entries

_iam_key_or_trust_documents_entries contains t.address if {
	some user in resources.by_address
	attribute := _iam_tf_key_or_trust_policy[user.type]
	some t in tf.targets(user, [attribute])
}

_iam_permission_documents := _iam_permission_documents_entries

_iam_permission_documents_entries contains t.address if {
	some user in resources.by_address
	user.type in _tf_policy_types
	some t in tf.targets(user, ["policy"])
}

_iam_permission_documents_entries contains t.address if {
	some user in resources.by_address
	user.type == "aws_iam_role"
	some i, _ in tf.blocks(user, "inline_policy")
	some t in tf.targets(user, ["inline_policy", i, "policy"])
}

# A data source Terraform read while planning sits only in prior_state. Its statements reach the
# resources that use it (their policy is the rendered JSON), and Checkov's plan runner never sees
# the data source itself, so it is not reported on its own there.
_iam_read_while_planning(address) if {
	_iam_prior_state_addresses[address]
	not _iam_planned_addresses[address]
}

# Addresses of the root module's resources in the plan and in the prior state, collected once.
_iam_prior_state_addresses := _iam_prior_state_addresses_entries

_iam_prior_state_addresses_entries contains address if {
	some r in util.iterable(input.prior_state.values.root_module.resources)
	address := r.address
}

_iam_planned_addresses := _iam_planned_addresses_entries

_iam_planned_addresses_entries contains address if {
	some r in util.iterable(input.planned_values.root_module.resources)
	address := r.address
}

_iam_inline_label(block, i) := concat(" ", ["inline_policy", block.name]) if _iam_named(block.name)

_iam_inline_label(block, i) := concat(" ", ["inline_policy", format_int(i + 1, 10)]) if not _iam_named_field(block, "name")

_iam_cfn_policy_label(policy, i) := concat(" ", ["Policies", policy.PolicyName]) if _iam_named(policy.PolicyName)

_iam_cfn_policy_label(policy, i) := concat(" ", ["Policies", format_int(i + 1, 10)]) if not _iam_named_field(policy, "PolicyName")

# ---- Terraform --------------------------------------------------------------------------------

# tf_allow_statements(res, path, label) is every Allow statement of the document at path: a JSON
# string or object, or (when the value is unknown) the aws_iam_policy_document it refers to.
tf_allow_statements(res, path, label) := _iam_json_statements(doc, label) if {
	doc := _iam_tf_document(tf.value(res, path))
}

tf_allow_statements(res, path, label) := {s |
	some t in tf.targets(res, path)
	t.type == "aws_iam_policy_document"
	some s in data_source_statements(t, concat("", [label, " (", t.address, ")"]))
} if not tf.value(res, path)

_iam_tf_document(v) := doc if {
	is_string(v)
	json.is_valid(v)
	doc := json.unmarshal(v)
	is_object(doc)
}

_iam_tf_document(v) := v if is_object(v)

_iam_json_statements(doc, label) := {s |
	list := _iam_as_list(doc.Statement)
	st := list[i]
	is_object(st)
	is_string(st.Effect)
	lower(st.Effect) == "allow"
	s := {
		"where": _iam_where(label, object.get(st, "Sid", null), i),
		"actions": _iam_known_strings(object.get(st, "Action", null)),
		"not_action": _iam_given(object.get(st, "NotAction", null)),
		"principals": _iam_json_principals(object.get(st, "Principal", null)),
		"conditioned": _iam_given(object.get(st, "Condition", null)),
	}
}

_iam_json_principals(p) := [["*", "*"]] if p == "*"

_iam_json_principals(p) := [pair |
	some kind in object.keys(p)
	some v in _iam_known_strings(p[kind])
	pair := [kind, v]
] if is_object(p)

_iam_json_principals(p) := [] if {
	p != "*"
	not is_object(p)
}

# data_source_statements(t, label) is every Allow statement of an aws_iam_policy_document's own
# statement blocks (effect defaults to Allow).
data_source_statements(t, label) := {s |
	blocks := tf.blocks(t, "statement")
	st := blocks[i]
	is_object(st)
	_iam_block_allows(t, st, i)
	s := {
		"where": _iam_where(label, object.get(st, "sid", null), i),
		"actions": _iam_known_strings(object.get(st, "actions", null)),
		"not_action": _iam_given(object.get(st, "not_actions", null)),
		"principals": _iam_block_principals(object.get(st, "principals", null)),
		"conditioned": _iam_given(object.get(st, "condition", null)),
	}
}

_iam_block_allows(t, st, i) if {
	object.get(st, "effect", null) == null
	not _iam_effect_unknown(t, i)
}

_iam_effect_unknown(t, i) if util.at(t.unknown, ["statement", i, "effect"]) == true

_iam_block_allows(t, st, i) if {
	is_string(st.effect)
	lower(st.effect) == "allow"
}

# principals { type = "*", identifiers = ["*"] } is Principal "*": kind "*", as in JSON documents.
_iam_block_principals(blocks) := [pair |
	some block in blocks
	is_string(block.type)
	some v in _iam_known_strings(object.get(block, "identifiers", null))
	pair := [block.type, v]
] if is_array(blocks)

_iam_block_principals(blocks) := [] if not is_array(blocks)

# Known strings of a string-or-list value; a Terraform string holding "${" is not known yet.
_iam_known_strings(x) := [x] if _iam_known(x)

_iam_known_strings(x) := [v |
	some v in x
	_iam_known(v)
] if is_array(x)

_iam_known_strings(x) := [] if {
	not is_array(x)
	not _iam_known(x)
}

_iam_known(v) if {
	is_string(v)
	not contains(v, "${")
}

# ---- CloudFormation ---------------------------------------------------------------------------

# cfn_allow_statements(x, label) is every Allow statement of the policy document property x (an
# object or a JSON string), through every Fn::If branch.
cfn_allow_statements(x, label) := {s |
	some doc in _iam_cfn_documents(x)
	some list in cfn.values(cfn.prop(doc, "Statement"))
	some s in _iam_cfn_statement_list(list, label)
}

_iam_cfn_documents(x) := {doc |
	some v in cfn.values(x)
	doc := _iam_tf_document(v)
}

_iam_cfn_statement_list(list, label) := {s |
	item := list[i]
	some st in cfn.values(item)
	some s in _iam_cfn_statement(st, i, label)
} if is_array(list)

_iam_cfn_statement_list(st, label) := _iam_cfn_statement(st, 0, label) if is_object(st)

_iam_cfn_statement(st, i, label) := {s |
	is_object(st)
	some effect in cfn.values(cfn.prop(st, "Effect"))
	is_string(effect)
	lower(effect) == "allow"
	s := {
		"where": _iam_where(label, object.get(st, "Sid", null), i),
		"actions": _iam_cfn_actions(cfn.prop(st, "Action")),
		"not_action": count({v | some v in cfn.values(cfn.prop(st, "NotAction")); _iam_given(v)}) > 0,
		"principals": _iam_cfn_principals(cfn.prop(st, "Principal")),
		"conditioned": count({v | some v in cfn.values(cfn.prop(st, "Condition")); not _iam_given(v)}) == 0,
	}
}

_iam_cfn_actions(x) := [a |
	some v in cfn.values(x)
	some item in _iam_as_list(v)
	some a in cfn.values(item)
	is_string(a)
]

_iam_cfn_principals(x) := [pair |
	some p in cfn.values(x)
	some pair in _iam_cfn_principal_pairs(p)
]

_iam_cfn_principal_pairs(p) := [["*", "*"]] if p == "*"

_iam_cfn_principal_pairs(p) := [pair |
	some kind in object.keys(p)
	some text in cfn_strings(p[kind])
	pair := [kind, text]
] if is_object(p)

# cfn_strings(x) is every string a string-or-list value may hold: literals and parameter defaults
# (every Fn::If branch); Fn::Sub / Fn::Join / Ref built only from pseudo parameters, kept as text
# ("arn:${AWS::Partition}:iam::${AWS::AccountId}:root"); and the address of an IAM role or user of
# the template that the value refers to (!GetAtt Role.Arn), which names that principal.
cfn_strings(x) := {s |
	some v in cfn.values(x)
	some item in _iam_as_list(v)
	some s in _iam_cfn_texts(item)
} | _iam_cfn_texts(x)

_iam_cfn_texts(x) := {s |
	some s in cfn.values(x)
	is_string(s)
} | {s | s := _iam_pseudo_text(x)} | {t.address |
	some t in cfn.referenced(x)
	t.type in {"AWS::IAM::Role", "AWS::IAM::User"}
}

_iam_pseudo_text(x) := _iam_pseudo_ref(x)

_iam_pseudo_text(x) := x["Fn::Sub"] if {
	is_object(x)
	_iam_pseudo_template(x["Fn::Sub"])
}

_iam_pseudo_text(x) := x["Fn::Sub"][0] if {
	is_object(x)
	is_array(x["Fn::Sub"])
	_iam_pseudo_template(x["Fn::Sub"][0])
}

_iam_pseudo_text(x) := concat(join[0], texts) if {
	is_object(x)
	join := x["Fn::Join"]
	is_array(join)
	is_string(join[0])
	parts := join[1]
	is_array(parts)
	texts := [t | some part in parts; t := _iam_join_part(part)]
	count(texts) == count(parts)
}

# Join parts are literals or pseudo parameter Refs (Rego has no recursion: no nested Sub or Join).
_iam_join_part(part) := part if is_string(part)

_iam_join_part(part) := _iam_pseudo_ref(part) if is_object(part)

_iam_pseudo_ref(x) := concat("", ["${", x.Ref, "}"]) if {
	is_object(x)
	is_string(x.Ref)
	startswith(x.Ref, "AWS::")
}

_iam_pseudo_template(s) if {
	is_string(s)
	every ref in regex.find_n(`\$\{[^}]*\}`, s, -1) {
		startswith(ref, "${AWS::")
	}
}

# ---- Shared -----------------------------------------------------------------------------------

# is_account_root(p): p names an account root (arn:aws:iam::<account>:root, a bare account ID, or
# their ${AWS::AccountId} / ${AWS::Partition} forms).
is_account_root(p) if regex.match(`^(arn:(aws[a-z-]*|\$\{AWS::Partition\}):iam::([0-9]{12}|\$\{AWS::AccountId\}):root|[0-9]{12}|\$\{AWS::AccountId\})$`, p)

# wildcard_action(a): "*", "*:*" or "<service>:*", in any case.
wildcard_action(a) if regex.match(`^([a-z0-9*-]+:)?\*$`, lower(a))

# full_access_policy_name(arn) is the name of an AWS managed policy ARN when it is
# AdministratorAccess, PowerUserAccess or ends in FullAccess.
full_access_policy_name(arn) := name if {
	is_string(arn)
	match := regex.find_all_string_submatch_n(`^arn:(aws[a-z-]*|\$\{AWS::Partition\}):iam::aws:policy/(.*/)?([^/]+)$`, arn, 1)
	name := match[0][3]
	_iam_full_access(name)
}

_iam_full_access(name) if name in {"AdministratorAccess", "PowerUserAccess"}

_iam_full_access(name) if endswith(name, "FullAccess")

# How messages name a statement: by Sid when it has one, else by position ("statement 2"). Names
# are printed without quotes: rego-cpp's sort() orders a '"' after digits and letters, unlike
# Python and OPA, so quotes in reasons could order the message differently in each engine.
_iam_where(label, sid, i) := _iam_prefixed(label, concat(" ", ["statement", sid])) if _iam_named(sid)

_iam_where(label, sid, i) := _iam_prefixed(label, concat(" ", ["statement", format_int(i + 1, 10)])) if not _iam_named(sid)

_iam_prefixed("", id) := id

_iam_prefixed(label, id) := concat(" ", [label, id]) if label != ""

# (A field, not its value, is passed: OPA evaluates a function's argument outside `not`, so
# `not _iam_named(x.name)` would be undefined when x has no name.)
_iam_named_field(obj, field) if _iam_named(obj[field])

_iam_named(name) if {
	_iam_known(name)
	name != ""
}

_iam_as_list(x) := x if is_array(x)

_iam_as_list(x) := [x] if not is_array(x)

# _iam_given(v): a value that says something (not absent, null or empty).
_iam_given(v) := false if v in {null, "", [], {}}

_iam_given(v) := true if not v in {null, "", [], {}}
