"""Verdicts of the encryption-at-rest rules (SG_1xx); policies/rules/sg_1xx.rego are their twins."""

from __future__ import annotations

from streamguard.logic.cfn import CfnResource, prop
from streamguard.logic.registry import verdict
from streamguard.logic.tf import TfResource
from streamguard.logic.values import UNKNOWN, show, upper_or_empty


@verdict("SG_101", "terraform")
def kinesis_stream_encrypted_tf(res: TfResource) -> list[str]:
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
