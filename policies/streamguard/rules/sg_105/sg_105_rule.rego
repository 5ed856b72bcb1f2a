# The verdict of SG_105: `_reasons[address]` is the set of reasons a resource fails.
# Its METADATA, `_meta`, `deny` and `suppressed` are generated into sg_105_meta.rego from
# catalog/SG_105.yaml.
package streamguard.rules.sg_105

import rego.v1

import data.streamguard.lib.pipeline
import data.streamguard.lib.resources
import data.streamguard.lib.s3

_reasons[bucket] contains reason if {
	some bucket in pipeline.pipeline_buckets
	some reason in s3.s3_default_kms_reasons(resources.by_address[bucket])
}
