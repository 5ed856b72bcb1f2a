# The verdict of SG_101: `_reasons[address]` is the set of reasons a resource fails.
# Its METADATA, `_meta`, `deny` and `suppressed` are generated into sg_101_meta.rego from
# catalog/SG_101.yaml.
package streamguard.rules.sg_101

import rego.v1

import data.streamguard.lib.resources
import data.streamguard.lib.streams

_reasons[res.address] contains reason if {
	some res in resources.by_address
	res.type in streams.kinesis_stream_types
	some reason in streams.kinesis_stream_sse_reasons(res)
}
