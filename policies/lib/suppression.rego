# METADATA
# title: streamguard suppressions
# description: >-
#   Checkov's in-source suppressions, honoured exactly as Checkov honours them for streamguard's
#   checks: CloudFormation Metadata.checkov.skip (and Metadata.bridgecrew.skip) entries with an
#   id and an optional comment, read from the template itself; and `#checkov:skip=ID:reason`
#   comments inside a Terraform block or a CloudFormation resource's YAML, which the streamguard
#   CLI reads from the source and passes in input.streamguard.suppressions.
package streamguard.lib.suppression

import rego.v1

import data.streamguard.lib.resources

# reason(rule_id, address) is the suppression comment when rule_id is suppressed for the resource.
reason(rule_id, address) := comments[0] if {
	comments := sort([c | some s in _skips(address); s.id == rule_id; c := _comment(s)])
	count(comments) > 0
}

_skips(address) := array.concat(_metadata_skips(address), _comment_skips(address))

_metadata_skips(address) := [s |
	some tool in ["checkov", "bridgecrew"]
	some s in object.get(_metadata(address), [tool, "skip"], [])
	is_string(s.id)
]

_metadata(address) := object.get(object.get(resources.by_address, address, {}), ["resource", "Metadata"], {})

_comment_skips(address) := object.get(object.get(input, ["streamguard", "suppressions"], {}), address, [])

_comment(s) := s.comment if is_string(s.comment)

_comment(s) := "No comment provided" if not is_string(s.comment)
