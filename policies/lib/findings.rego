# METADATA
# title: streamguard findings of every rule
# description: >-
#   Collects the deny results of every rule package under streamguard.rules, so one query
#   (`data.streamguard.lib.findings.all`) evaluates the whole pack.
package streamguard.lib.findings

import rego.v1

all contains finding if {
	some name
	some finding in data.streamguard.rules[name].deny
}
