# The verdict of SG_104: `_reasons[address]` is the set of reasons a resource fails.
# Its METADATA, `_meta`, `deny` and `suppressed` are generated into sg_104_meta.rego from
# catalog/SG_104.yaml.
package streamguard.rules.sg_104

import rego.v1

import data.streamguard.lib.cfn
import data.streamguard.lib.firehose
import data.streamguard.lib.resources
import data.streamguard.lib.tf

_reasons[res.address] contains reason if {
	some res in resources.by_address
	res.type == "aws_kinesis_firehose_delivery_stream"
	some [label, block] in firehose.firehose_s3_destinations(res)
	tf.absent(block, ["kms_key_arn"])
	reason := concat("", [label, ".kms_key_arn is not set"])
}

_reasons[res.address] contains reason if {
	some res in resources.by_address
	res.type == "AWS::KinesisFirehose::DeliveryStream"
	some [label, block] in firehose.firehose_s3_destinations(res)
	some encryption in cfn.values(cfn.prop(block, "EncryptionConfiguration"))
	some reason in _sg104_cfn_reasons(concat("", [label, ".EncryptionConfiguration"]), encryption)
}

_sg104_cfn_reasons(where, encryption) := {concat("", [where, " is not set"])} if encryption == null

_sg104_cfn_reasons(where, encryption) := {r |
	null in cfn.values(cfn.prop(encryption, "KMSEncryptionConfig"))
	some none in cfn.values(cfn.prop(encryption, "NoEncryptionConfig"))
	r := _sg104_no_kms_reason(where, none)
} | {r |
	some kms in cfn.values(cfn.prop(encryption, "KMSEncryptionConfig"))
	some key in cfn.values(cfn.prop(kms, "AWSKMSKeyARN"))
	key in {null, ""}
	r := concat("", [where, ".KMSEncryptionConfig.AWSKMSKeyARN is not set"])
} if is_object(encryption)

_sg104_no_kms_reason(where, none) := concat("", [where, ".NoEncryptionConfig is \"NoEncryption\""]) if {
	none == "NoEncryption"
}

_sg104_no_kms_reason(where, none) := concat("", [where, ".KMSEncryptionConfig is not set"]) if {
	none != "NoEncryption"
}
