# METADATA
# title: streamguard finding results
# description: >-
#   Builds the result object every rule reports, in conftest's shape: msg, plus id, severity,
#   title, resource and _loc (file, line) as metadata. The message format is the one the Python
#   checks use (streamguard.catalog.finding_message): what is wrong, the details, what to set.
package streamguard.lib.result

import rego.v1

import data.streamguard.lib.resources
import data.streamguard.lib.sections

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
