# The verdict of SG_301: `_reasons[address]` is the set of reasons a resource fails.
# Its METADATA, `_meta`, `deny` and `suppressed` are generated into sg_301_meta.rego from
# catalog/SG_301.yaml.
package streamguard.rules.sg_301

import rego.v1

import data.streamguard.lib.credentials
import data.streamguard.lib.sections

_reasons[provider.address] contains reason if {
	some provider in sections.by_address
	provider.type == "provider"
	provider.name == "aws"
	some field in ["access_key", "secret_key", "token"]
	value := provider.values[field]
	credentials.literal_secret(value)
	reason := credentials.secret_reason(field, credentials.secret_kind(value), value)
}
