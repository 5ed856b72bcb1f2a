"""Verdicts of the encryption-at-rest rules (SG_1xx); their Rego twins are
policies/streamguard/rules/sg_1xx/sg_1xx_rule.rego."""

from __future__ import annotations

from typing import Any

from streamguard.logic import firehose, s3
from streamguard.logic.cfn import CfnResource, prop
from streamguard.logic.registry import verdict
from streamguard.logic.tf import TfResource
from streamguard.logic.tf_source import nested, source_view
from streamguard.logic.values import UNKNOWN, is_true, show, upper_or_empty


@verdict("SG_101", "terraform")
def kinesis_stream_encrypted_tf(res: TfResource) -> list[str]:
    res = source_view(res)
    reasons = []
    etype = res.value(["encryption_type"])
    if etype is not UNKNOWN and upper_or_empty(etype) != "KMS":
        reasons.append(f"encryption_type is {show(etype)}")
    if res.absent(["kms_key_id"]):
        reasons.append("kms_key_id is not set")
    return reasons


@verdict("SG_101", "cloudformation")
def kinesis_stream_encrypted_cfn(res: CfnResource) -> list[str]:
    reasons = []
    for enc in res.values_of(prop(res.values, "StreamEncryption")):
        if enc is None:
            reasons.append("StreamEncryption is not set")
        elif isinstance(enc, dict):
            for etype in res.values_of(prop(enc, "EncryptionType")):
                if upper_or_empty(etype) != "KMS":
                    reasons.append(f"StreamEncryption.EncryptionType is {show(etype)}")
            if any(key in (None, "") for key in res.values_of(prop(enc, "KeyId"))):
                reasons.append("StreamEncryption.KeyId is not set")
    return reasons


# SG_102-SG_105 read Terraform resources with tf_source.source_view: they follow blocks (dynamic
# ones included) and links that Checkov's rendering does not keep.

@verdict("SG_102", "terraform")
def direct_put_sse_tf(res: TfResource) -> list[str]:
    res = source_view(res)
    if "DirectPut" not in firehose.sources(res):
        return []
    if res.value(["server_side_encryption"]) is UNKNOWN:
        return []
    blocks = nested(res, "server_side_encryption")
    if not blocks:
        return ["server_side_encryption is not set"]
    reasons = set()
    for sse in blocks:
        enabled = sse.value(["enabled"])
        if enabled is not UNKNOWN and not is_true(enabled):
            reasons.add(f"server_side_encryption.enabled is {show(enabled)}")
    return sorted(reasons)


@verdict("SG_102", "cloudformation")
def direct_put_sse_cfn(res: CfnResource) -> list[str]:
    if "DirectPut" in firehose.sources(res) and None in res.values_of(
            prop(res.values, "DeliveryStreamEncryptionConfigurationInput")):
        return ["DeliveryStreamEncryptionConfigurationInput is not set"]
    return []


_KINESIS_SOURCE_SSE = {
    "terraform": "server_side_encryption is enabled on a delivery stream with a Kinesis stream source, "
                 "which AWS rejects at deploy time",
    "cloudformation": "DeliveryStreamEncryptionConfigurationInput is set on a delivery stream with a Kinesis stream "
                      "source (DeliveryStreamType KinesisStreamAsSource), which AWS rejects at deploy time",
}
_SOURCE_ATTRIBUTE = {
    "terraform": "kinesis_source_configuration.kinesis_stream_arn",
    "cloudformation": "KinesisStreamSourceConfiguration.KinesisStreamARN",
}


def _kinesis_source_reasons(res: TfResource | CfnResource, sse_set: bool) -> list[str]:
    """SG_103 for either format: the source stream's SG_101 reasons, named by the chain followed."""
    if "KinesisStreamAsSource" not in firehose.sources(res):
        return []
    reasons = set()
    for stream in firehose.source_streams(res):
        stream_reasons = (kinesis_stream_encrypted_tf(source_view(stream)) if isinstance(stream, TfResource)
                          else kinesis_stream_encrypted_cfn(stream))
        if stream_reasons:
            details = ", ".join(sorted(set(stream_reasons)))
            reasons.add(f"{_SOURCE_ATTRIBUTE[res.format]} → {stream.address}: {details}")
    if sse_set:
        reasons.add(_KINESIS_SOURCE_SSE[res.format])
    return sorted(reasons)


@verdict("SG_103", "terraform")
def kinesis_source_encrypted_tf(res: TfResource) -> list[str]:
    res = source_view(res)
    return _kinesis_source_reasons(res, any(is_true(sse.value(["enabled"]))
                                            for sse in nested(res, "server_side_encryption")))


@verdict("SG_103", "cloudformation")
def kinesis_source_encrypted_cfn(res: CfnResource) -> list[str]:
    encryption = res.values_of(prop(res.values, "DeliveryStreamEncryptionConfigurationInput"))
    return _kinesis_source_reasons(res, any(v is not None for v in encryption))


@verdict("SG_104", "terraform")
def s3_destination_kms_tf(res: TfResource) -> list[str]:
    return sorted({f"{label}.kms_key_arn is not set" for label, block in firehose.s3_destinations(source_view(res))
                   if block.absent(["kms_key_arn"])})


@verdict("SG_104", "cloudformation")
def s3_destination_kms_cfn(res: CfnResource) -> list[str]:
    reasons: set[str] = set()
    for label, block in firehose.s3_destinations(res):
        for encryption in res.values_of(prop(block, "EncryptionConfiguration")):
            reasons |= _s3_encryption_reasons(res, f"{label}.EncryptionConfiguration", encryption)
    return sorted(reasons)


def _s3_encryption_reasons(res: CfnResource, where: str, encryption: Any) -> set[str]:
    """Why one possible EncryptionConfiguration of an S3 destination names no KMS key."""
    if encryption is None:
        return {f"{where} is not set"}
    if not isinstance(encryption, dict):
        return set()
    reasons = set()
    kms_configs = res.values_of(prop(encryption, "KMSEncryptionConfig"))
    if None in kms_configs:
        for none in res.values_of(prop(encryption, "NoEncryptionConfig")):
            reasons.add(f'{where}.NoEncryptionConfig is "NoEncryption"' if none == "NoEncryption"
                        else f"{where}.KMSEncryptionConfig is not set")
    for kms in kms_configs:
        if isinstance(kms, dict) and any(key in (None, "") for key in res.values_of(prop(kms, "AWSKMSKeyARN"))):
            reasons.add(f"{where}.KMSEncryptionConfig.AWSKMSKeyARN is not set")
    return reasons


@verdict("SG_105", "terraform")
def streaming_bucket_kms_tf(res: TfResource) -> list[str]:
    if res.address not in s3.pipeline_buckets(res):
        return []
    return s3.default_kms_reasons(source_view(res))


@verdict("SG_105", "cloudformation")
def streaming_bucket_kms_cfn(res: CfnResource) -> list[str]:
    if res.address not in s3.pipeline_buckets(res):
        return []
    return s3.default_kms_reasons(res)
