# The verdict of SG_305: `_reasons[address]` is the set of reasons a resource fails.
# Its METADATA, `_meta`, `deny` and `suppressed` are generated into sg_305_meta.rego from
# catalog/SG_305.yaml.
package streamguard.rules.sg_305

import rego.v1

import data.streamguard.lib.credentials
import data.streamguard.lib.resources
import data.streamguard.lib.tf

_reasons[res.address] contains reason if {
	some res in resources.by_address
	res.type in {"aws_s3_object", "aws_s3_bucket_object"}
	some where, text in _sg305_texts(res)
	some pair in credentials.text_credentials(text)
	reason := credentials.secret_reason(where, pair[0], pair[1])
}

# What the object will hold: content as written, content_base64 decoded.
_sg305_texts(res) := {where: text |
	some where in ["content", "content_base64 (decoded)"]
	text := _sg305_text(res, where)
}

_sg305_text(res, where) := text if {
	where == "content"
	text := tf.value(res, ["content"])
	is_string(text)
}

_sg305_text(res, where) := credentials.base64_text(tf.value(res, ["content_base64"])) if where == "content_base64 (decoded)"
