# METADATA
# title: streamguard finding results
# description: >-
#   Builds the result object every rule reports, in conftest's shape: msg, plus id, severity,
#   title, resource and _loc (file, line) as metadata. The message format is the one the Python
#   checks use (streamguard.catalog.finding_message): what is wrong, the details, what to set.
# custom:
#   public: true
package streamguard.lib.result

import rego.v1

import data.streamguard.lib.resources
import data.streamguard.lib.sections
import data.streamguard.lib.suppression

# subjects is everything a finding can be about, by address: the resources, and the entries
# outside them that SG_301 and SG_304 report (providers, variables, Parameters, ...).
subjects := object.union(sections.by_address, resources.blocks_by_address)

# make(meta, res, reasons) is one finding for res; reasons is a set of detail strings.
make(meta, res, reasons) := {
	"msg": concat("", [meta.message, ": ", concat("; ", sort(reasons)), ". ", _fix(meta, res)]),
	"id": meta.id,
	"severity": meta.severity,
	"title": meta.title,
	"resource": res.address,
	"_loc": res.loc,
}

_fix(meta, res) := object.get(meta.remediation, res.format, meta.remediation.terraform)

# suppressed(meta, res, reasons, why) is the finding with the suppression's reason attached.
suppressed(meta, res, reasons, why) := object.union(make(meta, res, reasons), {"suppression": why})

# meta(chain) is a custom rule's metadata, from the METADATA of its package: pass it
# rego.metadata.chain(). It reads custom.id, custom.severity, title, custom.message (the title
# when absent) and custom.remediation (one text, or one per format: terraform, cloudformation).
# The streamguard CLI answers rego.metadata.chain() from the same METADATA for its engine.
meta(chain) := {
	"id": a.custom.id,
	"severity": upper(a.custom.severity),
	"title": a.title,
	"message": object.get(a.custom, "message", a.title),
	"remediation": _remediation(object.get(a.custom, "remediation", "")),
} if {
	a := [e.annotations | some e in chain; is_string(e.annotations.custom.id)][0]
}

_remediation(r) := {"terraform": r, "cloudformation": r} if is_string(r)

_remediation(r) := object.union({"terraform": "", "cloudformation": ""}, r) if is_object(r)

# findings(meta, reasons) is a rule's `deny` (or `warn`): one finding per address of reasons
# (address -> set of reason strings) that no Checkov-style skip of meta.id suppresses.
findings(meta, reasons) := {f |
	some address, why in reasons
	not suppression.reason(meta.id, address)
	f := make(meta, subjects[address], why)
}

# suppressed_findings(meta, reasons) is a rule's `suppressed`: the findings a skip suppressed,
# each with the skip's reason.
suppressed_findings(meta, reasons) := {f |
	some address, why in reasons
	reason := suppression.reason(meta.id, address)
	f := suppressed(meta, subjects[address], why, reason)
}
