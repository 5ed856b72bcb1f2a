# METADATA
# title: streamguard suppressions
# description: >-
#   Checkov's in-source suppressions, honoured exactly as Checkov honours them for streamguard's
#   checks: CloudFormation Metadata.checkov.skip (and Metadata.bridgecrew.skip) entries with an
#   id and an optional comment, read from the template itself; and `#checkov:skip=ID:reason`
#   comments inside a Terraform block or a CloudFormation resource's YAML, which the streamguard
#   CLI reads from the source and passes in input.streamguard.suppressions.
# custom:
#   public: true
package streamguard.lib.suppression

import rego.v1

import data.streamguard.lib.resources
import data.streamguard.lib.util

# reason(rule_id, address) is the suppression comment when rule_id is suppressed for the resource.
reason(rule_id, address) := comments[0] if {
	comments := sort([skip[2] | some skip in _skips; skip[0] == address; skip[1] == rule_id])
	count(comments) > 0
}

# Every skip of the input as [address, rule id, comment], collected once per evaluation (reason
# is asked for every finding of every rule; most inputs have no skips at all).
_skips := _skips_entries

_skips_entries contains [address, s.id, _comment(s)] if {
	some address, res in resources.by_address
	some tool in ["checkov", "bridgecrew"]
	some s in util.iterable(object.get(res, ["resource", "Metadata", tool, "skip"], []))
	is_string(s.id)
}

_skips_entries contains [address, s.id, _comment(s)] if {
	some address, skips in util.mapping(object.get(input, ["streamguard", "suppressions"], {}))
	is_array(skips)
	some s in skips
	is_string(s.id)
}

_comment(s) := s.comment if is_string(s.comment)

_comment(s) := "No comment provided" if not _has_comment(s)

_has_comment(s) if is_string(s.comment)
