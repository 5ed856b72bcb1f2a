# METADATA
# title: streamguard credential detector
# description: >-
#   The one Rego credential detector (RULES.md "3xx"), twin of streamguard.logic.credentials: AWS
#   access key IDs, 40-character secret access keys (beside an access key ID, or under a
#   secret-named field), and literal values of fields whose name says password, token, secret or
#   key. A literal is a non-empty string that is no {{resolve:...}} dynamic reference; references
#   of other kinds never reach the detector as strings. Reasons mask secrets to their last 4
#   characters (secrets under 12 characters entirely).
# custom:
#   public: true
package streamguard.lib.credentials

import rego.v1

import data.streamguard.lib.util

# id_kind names an access key ID in reasons.
id_kind := "an AWS access key ID"

# secret_key_kind names an AWS secret access key in reasons.
secret_key_kind := "an AWS secret access key"

# secret_kind_literal names any other literal secret in reasons.
secret_kind_literal := "a literal secret"

# What a field's name ends with (lower case, punctuation dropped) when it holds a secret; the AWS
# names are those of an access key, a secret key or a session token (Flink connector properties).
_credentials_names := {
	"secret", "secretkey", "secretaccesskey", "password", "passwd", "passphrase", "token",
	"accesskey", "privatekey", "apikey",
}

_credentials_aws_names := {"accesskey", "accesskeyid", "secretkey", "secretaccesskey", "sessiontoken"}

# access_key_ids(text) is every AWS access key ID in text.
access_key_ids(text) := regex.find_n(`(AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}`, text, -1)

# credential_name(name): the field or key's name says it holds a password, token, secret or key.
credential_name(name) if {
	plain := _credentials_plain(name) # once per name, not once per suffix: a regex each time
	some suffix in _credentials_names
	endswith(plain, suffix)
}

# aws_credential_name(name): the name is that of an AWS access key, secret key or session token.
aws_credential_name(name) if {
	plain := _credentials_plain(name)
	some suffix in _credentials_aws_names
	endswith(plain, suffix)
}

_credentials_plain(name) := regex.replace(lower(name), `[^a-z0-9]`, "") if is_string(name)

# literal_secret(v): v is a literal that could be a secret: a non-empty string, no {{resolve:...}}
# dynamic reference and no placeholder.
literal_secret(v) if {
	is_string(v)
	trim_space(v) != ""
	not contains(v, "{{resolve:")
	not placeholder(v)
}

# placeholder(v): a value written to be replaced, not a secret (RULES.md): <...>, {{...}},
# ${...}, %...%, $NAME, one repeated character, and a few words on their own. An access key ID
# is always a credential (access_key_ids is matched on its own). logic/credentials.py holds the
# same pattern and words.
placeholder(v) if regex.match(`^(<.*>|\{\{.*\}\}|\$\{.*\}|%.*%|\$[A-Za-z_][A-Za-z0-9_]*)$`, trim_space(v))

placeholder(v) if count({c | some c in regex.find_n(`(?s).`, trim_space(v), -1)}) == 1

placeholder(v) if lower(trim_space(v)) in {"changeme", "replace_me", "todo", "placeholder", "example"}

# secret_kind(v) is what a literal secret looks like, for the message.
secret_kind(v) := id_kind if regex.match(`^(AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}$`, v)

secret_kind(v) := secret_key_kind if {
	not regex.match(`^(AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}$`, v)
	_credentials_secret_key(v)
}

secret_kind(v) := secret_kind_literal if {
	not regex.match(`^(AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}$`, v)
	not _credentials_secret_key(v)
}

_credentials_secret_key(v) if regex.match(`^[A-Za-z0-9/+=]{40}$`, v)

# masked(s): every character but the last 4 as "*"; a secret under 12 characters entirely.
masked(s) := _credentials_stars(count(s)) if count(s) < 12

masked(s) := concat("", [_credentials_stars(count(s) - 4), substring(s, count(s) - 4, 4)]) if count(s) >= 12

# n >= 1 here: numbers.range(1, 0) would count down.
_credentials_stars(n) := concat("", [star | some _ in numbers.range(1, n); star := "*"])

# secret_reason(where, kind, secret) is a finding's detail, the secret masked.
secret_reason(where, kind, secret) := concat("", [where, " holds ", kind, " ", util.show(masked(secret))])

# text_credentials(text) is every [kind, secret] in a text: access key IDs, 40-character secret
# keys in a text that holds an access key ID, and the literal value of every `name = value` or
# `name: value` line whose name says it holds a credential.
text_credentials(text) := _credentials_ids(text) | _credentials_beside_ids(text) | _credentials_fields(text)

_credentials_ids(text) := {pair | some id in access_key_ids(text); pair := [id_kind, id]}

_credentials_beside_ids(text) := {pair |
	count(access_key_ids(text)) > 0
	some line in _credentials_lines(text)
	some a in split(line, "\t")
	some piece in regex.split(`\t`, a)
	some run in regex.find_n(`[A-Za-z0-9/+=]+`, piece, -1)
	count(run) == 40
	pair := [secret_key_kind, run]
}

_credentials_fields(text) := {pair |
	some line in _credentials_lines(text)
	head := regex.find_n(`^[^:=]*[:=]`, line, 1)[0]
	credential_name(trim(substring(head, 0, count(head) - 1), " \t\r\"'{[,"))
	rest := substring(line, count(head), -1)
	value := trim(rest, " \t\r\"',;}]")
	literal_secret(value)
	not placeholder(trim(rest, " \t\r\"',;")) # quotes and separators only: {{ name }} keeps its braces
	pair := [secret_kind(value), value]
}

# The lines of a text. rego-cpp holds a string from the input with its JSON escapes, where split
# finds "\n" and its regex functions see the escaped form, but a decoded base64 string raw, where
# only a regex finds the line breaks: splitting both ways works for both. (Tabs likewise, so that a
# tab before a secret key never joins it in the escaped form.)
_credentials_lines(text) := {line |
	some piece in split(text, "\n")
	some line in regex.split(`\n`, piece)
}

# base64_text(v) is a content_base64 value decoded; undefined when it is not padded base64.
base64_text(v) := base64.decode(v) if {
	is_string(v)
	count(v) % 4 == 0
	base64.is_valid(v)
}

# string_paths(x) is every [dotted path, string] in a value; indices and Fn::If are not named.
string_paths(x) := {pair |
	walk(x, [path, v])
	is_string(v)
	pair := [_credentials_path_text(path), v]
}

# cfn_string_paths(x, parameters) is string_paths(x) with a Ref to a parameter read as its
# literal Default (and the referenced name itself left out).
cfn_string_paths(x, parameters) := {pair |
	refs := _credentials_ref_paths(x)
	walk(x, [path, v])
	is_string(v)
	not _credentials_ref_name(path, refs)
	pair := [_credentials_path_text(path), v]
} | {pair |
	walk(x, [path, v])
	is_object(v)
	count(v) == 1
	parameter_default := parameters[v.Ref].Default
	is_string(parameter_default)
	pair := [_credentials_path_text(path), parameter_default]
}

_credentials_ref_paths(x) := {path |
	walk(x, [path, v])
	is_object(v)
	count(v) == 1
	is_string(v.Ref)
}

_credentials_ref_name(path, refs) if {
	count(path) > 0
	path[count(path) - 1] == "Ref"
	array.slice(path, 0, count(path) - 1) in refs
}

_credentials_path_text(path) := concat(".", [p | some p in path; is_string(p); p != "Fn::If"])
