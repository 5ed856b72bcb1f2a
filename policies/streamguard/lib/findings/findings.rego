# METADATA
# title: streamguard findings of every rule
# description: >-
#   Collects the results of every rule package under streamguard.rules, so one query evaluates the
#   whole pack: `data.streamguard.lib.findings.all` (what fails), `...suppressed` (what a
#   Checkov-style skip suppressed, with its reason), and `...report` (both, as the CLI reads them).
package streamguard.lib.findings

import rego.v1

all contains finding if {
	some name
	some finding in data.streamguard.rules[name].deny
}

suppressed contains finding if {
	some name
	some finding in data.streamguard.rules[name].suppressed
}

report := {"deny": all, "suppressed": suppressed}
