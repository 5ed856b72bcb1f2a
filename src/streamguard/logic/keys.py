"""Verdicts of the keys (SG_2xx) rules; policies/streamguard/rules/sg_2xx/sg_2xx_rule.rego are their twins.

Keys are found with streamguard.logic.kms: SG_201 reports the resource that uses a key, SG_203
and SG_204 report the key itself, and only keys that protect streaming data.
"""

from __future__ import annotations

from typing import Any

from streamguard.logic import kms
from streamguard.logic.cfn import CfnResource, conditions_agree, prop
from streamguard.logic.registry import verdict
from streamguard.logic.tf import TfResource
from streamguard.logic.tf_source import source_view
from streamguard.logic.values import UNKNOWN, is_false, show, upper_or_empty

_USAGE_ATTRIBUTES = {"aws_kms_key": ("key_usage",), "AWS::KMS::Key": ("KeyUsage",)}

_ENABLED_ATTRIBUTE = {
    "aws_kms_key": "is_enabled",
    "aws_kms_replica_key": "enabled",
    "AWS::KMS::Key": "Enabled",
    "AWS::KMS::ReplicaKey": "Enabled",
}


def _spec_problems(key: kms.Resource) -> list[str]:
    """What makes a key other than a symmetric encryption key: its spec, or its key usage."""
    problems = [f"{name} is {show(spec)}"
                for name in kms.SPEC_ATTRIBUTES.get(key.type, ())
                for spec in kms.key_setting(key, name)
                if isinstance(spec, str) and not kms.symmetric_key_spec(spec)]
    problems += [f"{name} is {show(usage)}"
                 for name in _USAGE_ATTRIBUTES.get(key.type, ())
                 for usage in kms.key_setting(key, name)
                 if isinstance(usage, str) and usage.upper() not in ("", "ENCRYPT_DECRYPT")]
    return problems


@verdict("SG_201", "terraform")
@verdict("SG_201", "cloudformation")
def symmetric_keys_only(res: kms.Resource) -> list[str]:
    reasons = []
    for use in kms.uses(res):
        for key in kms.spec_keys(use.key):
            # A replica key's spec is its primary's: the chain goes on to the primary.
            chain = use.chain if key.address == use.key.address else (*use.chain, key.address)
            problems = _spec_problems(key)
            if problems:
                reasons.append(f"{use.attribute} → {' → '.join(chain)}: {', '.join(sorted(set(problems)))}")
    return reasons


def _key_type_mismatch(key_type: Any, key_arn_set: bool, type_name: str, arn_name: str) -> str | None:
    """The key type and key ARN do not go together. Terraform's default key type is AWS_OWNED_CMK;
    CloudFormation requires KeyType, and a missing one is as wrong with a key ARN."""
    if not key_arn_set and upper_or_empty(key_type) == "CUSTOMER_MANAGED_CMK":
        return f"{type_name} is {show(key_type)} but {arn_name} is not set"
    if key_arn_set and (key_type is None or upper_or_empty(key_type) == "AWS_OWNED_CMK"):
        return f"{arn_name} is set but {type_name} is {show(key_type)}"
    return None


@verdict("SG_202", "terraform")
def firehose_key_settings_tf(res: TfResource) -> list[str]:
    res = source_view(res)  # a dynamic block whose for_each is unknown is no block there
    reasons = []
    for i, _ in enumerate(res.blocks("server_side_encryption")):
        key_type = res.value(["server_side_encryption", i, "key_type"])
        if key_type is UNKNOWN:
            continue
        # A key ARN that is a reference or otherwise unknown counts as set.
        key_arn_set = not res.absent(["server_side_encryption", i, "key_arn"])
        mismatch = _key_type_mismatch(key_type, key_arn_set, "key_type", "key_arn")
        if mismatch:
            reasons.append(f"server_side_encryption.{mismatch}")
    return reasons


@verdict("SG_202", "cloudformation")
def firehose_key_settings_cfn(res: CfnResource) -> list[str]:
    """Every combination of KeyType and KeyARN branches the template can deploy (conditions agree)."""
    reasons = []
    for enc, enc_when in res.branches_when(prop(res.values, "DeliveryStreamEncryptionConfigurationInput")):
        if not isinstance(enc, dict):
            continue
        for key_type_branch, key_type_when in res.branches_when(prop(enc, "KeyType")):
            for key_arn_branch, key_arn_when in res.branches_when(prop(enc, "KeyARN")):
                if not (conditions_agree(enc_when, key_type_when) and conditions_agree(enc_when, key_arn_when)
                        and conditions_agree(key_type_when, key_arn_when)):
                    continue
                key_arn_set = not any(v in (None, "") for v in res.values_of(key_arn_branch))
                for key_type in res.values_of(key_type_branch):
                    mismatch = _key_type_mismatch(key_type, key_arn_set, "KeyType", "KeyARN")
                    if mismatch:
                        reasons.append(f"DeliveryStreamEncryptionConfigurationInput.{mismatch}")
    return reasons


@verdict("SG_203", "terraform")
@verdict("SG_203", "cloudformation")
def streaming_key_enabled(key: kms.Resource) -> list[str]:
    """Only the keys streaming resources use: a multi-Region key's enabled state is its own, so a
    disabled primary does not stop its replica."""
    if key.address not in kms.used_key_addresses(key):
        return []
    name = _ENABLED_ATTRIBUTE[key.type]
    return [f"{name} is false" for enabled in kms.key_setting(key, name) if is_false(enabled)]


def _rotation_off(rotation: Any) -> str | None:
    """How a setting that leaves rotation off reads in the message ("false" in every spelling)."""
    if rotation is None:
        return "not set"
    return "false" if is_false(rotation) else None


@verdict("SG_204", "terraform")
def streaming_key_rotates_tf(key: TfResource) -> list[str]:
    """Asymmetric and HMAC keys cannot rotate automatically; replica keys follow their primary,
    which is among the streaming keys and reported instead."""
    if key.address not in kms.streaming_key_addresses(key):
        return []
    symmetric = all(any(kms.symmetric_key_spec(spec) for spec in kms.key_setting(key, name))
                    for name in kms.SPEC_ATTRIBUTES[key.type])
    if not symmetric:
        return []
    return [f"enable_key_rotation is {off}"
            for off in map(_rotation_off, kms.key_setting(key, "enable_key_rotation")) if off]


@verdict("SG_204", "cloudformation")
def streaming_key_rotates_cfn(key: CfnResource) -> list[str]:
    """Every combination of KeySpec and EnableKeyRotation branches the template can deploy."""
    if key.address not in kms.streaming_key_addresses(key):
        return []
    reasons = []
    for spec_branch, spec_when in key.branches_when(prop(key.values, "KeySpec")):
        if not any(kms.symmetric_key_spec(spec) for spec in key.values_of(spec_branch)):
            continue
        for rotation_branch, rotation_when in key.branches_when(prop(key.values, "EnableKeyRotation")):
            if conditions_agree(spec_when, rotation_when):
                reasons += [f"EnableKeyRotation is {off}"
                            for off in map(_rotation_off, key.values_of(rotation_branch)) if off]
    return reasons
