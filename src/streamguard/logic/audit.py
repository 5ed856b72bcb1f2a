"""Verdicts of the audit and monitoring (SG_6xx) rules; policies/streamguard/rules/ holds their Rego twins.

Terraform is read through tf_source.source_view (the document the Rego engine evaluates), except
for SG_604, which compares alarm dimensions with stream names as Checkov renders them (and reads
only the known ends of an unknown name from the document).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from streamguard.logic import memo
from streamguard.logic.cfn import CfnResource, prop
from streamguard.logic.registry import verdict
from streamguard.logic.tf import TfResource
from streamguard.logic.tf_source import source_view
from streamguard.logic.values import (
    UNKNOWN,
    is_false,
    is_tf_expression,
    is_true,
    tf_affixes,
    upper_or_empty,
)


@verdict("SG_601", "terraform")
def trail_multi_region_tf(res: TfResource) -> list[str]:
    """is_multi_region_trail defaults to false, enable_logging to true."""
    res = source_view(res)
    reasons = []
    multi_region = res.value(["is_multi_region_trail"])
    if multi_region is not UNKNOWN and not is_true(multi_region):
        reasons.append("is_multi_region_trail is not true")
    if is_false(res.value(["enable_logging"])):
        reasons.append("enable_logging is false")
    return reasons


@verdict("SG_601", "cloudformation")
def trail_multi_region_cfn(res: CfnResource) -> list[str]:
    """IsMultiRegionTrail defaults to false; IsLogging is required and has no default."""
    reasons = []
    if any(not is_true(v) for v in res.values_of(prop(res.values, "IsMultiRegionTrail"))):
        reasons.append("IsMultiRegionTrail is not true")
    if any(not is_true(v) for v in res.values_of(prop(res.values, "IsLogging"))):
        reasons.append("IsLogging is not true")
    return reasons


@verdict("SG_602", "terraform")
def trail_validated_encrypted_tf(res: TfResource) -> list[str]:
    """Validation defaults to off; a key given by reference counts as set."""
    res = source_view(res)
    reasons = []
    validation = res.value(["enable_log_file_validation"])
    if validation is not UNKNOWN and not is_true(validation):
        reasons.append("enable_log_file_validation is not true")
    if res.absent(["kms_key_id"]):
        reasons.append("kms_key_id is not set")
    return reasons


@verdict("SG_602", "cloudformation")
def trail_validated_encrypted_cfn(res: CfnResource) -> list[str]:
    reasons = []
    if any(not is_true(v) for v in res.values_of(prop(res.values, "EnableLogFileValidation"))):
        reasons.append("EnableLogFileValidation is not true")
    if any(v in (None, "") for v in res.values_of(prop(res.values, "KMSKeyId"))):
        reasons.append("KMSKeyId is not set")
    return reasons


@verdict("SG_603", "terraform")
def flink_logging_tf(res: TfResource) -> list[str]:
    """The provider requires log_stream_arn: a block without one configures no logging."""
    res = source_view(res)
    if res.value(["cloudwatch_logging_options"]) is UNKNOWN:
        return []
    blocks = res.blocks("cloudwatch_logging_options")
    if not blocks:
        return ["cloudwatch_logging_options is not set"]
    if all(res.absent(["cloudwatch_logging_options", i, "log_stream_arn"]) for i in range(len(blocks))):
        return ["cloudwatch_logging_options.log_stream_arn is not set"]
    return []


@verdict("SG_603", "cloudformation")
def flink_logging_cfn(res: CfnResource) -> list[str]:
    """Logging is a separate resource naming the application by Ref or literal ApplicationName."""
    if _named_by(res, "ApplicationName", "audit.logging_options",
                 {"AWS::KinesisAnalyticsV2::ApplicationCloudWatchLoggingOption"},
                 lambda option: [prop(option.values, "ApplicationName")]):
        return []
    return ["no AWS::KinesisAnalyticsV2::ApplicationCloudWatchLoggingOption names the application"]


# The Firehose metrics for the four KMS errors that make the service discard data after 24 hours.
_KMS_METRICS = {"KMSKeyAccessDenied", "KMSKeyDisabled", "KMSKeyInvalidState", "KMSKeyNotFound"}
_NO_ALARM = "no CloudWatch alarm in the scanned files watches its KMS key error metrics"


@verdict("SG_604", "terraform")
def firehose_kms_alarm_tf(res: TfResource) -> list[str]:
    """Applies when SSE is on (enabled defaults to false) with a customer-managed key.

    Checkov renders a reference to the stream's name as the literal name, so literals are compared
    (the Rego twin also follows the reference, which the HCL reader keeps unresolved). A stream whose
    name is unknown fails only when no alarm could name it.
    """
    customer_key = any(is_true(sse.get("enabled")) and upper_or_empty(sse.get("key_type")) == "CUSTOMER_MANAGED_CMK"
                       for sse in source_view(res).blocks("server_side_encryption"))
    name = res.value(["name"])
    if not customer_key or not (isinstance(name, str) or name is UNKNOWN):
        return []
    dimensions = memo.by_name(res, "audit.kms_alarm_streams", {"aws_cloudwatch_metric_alarm"},
                              lambda alarm: [_tf_dimension(alarm)] if _tf_kms_alarm(alarm) else [])
    if name in dimensions or any(_names_stream(d, res.address) for d in dimensions):
        return []
    if name is UNKNOWN and _tf_may_name(res, dimensions):
        return []
    return [_NO_ALARM]


def _tf_may_name(res: TfResource, dimensions: dict[str, list]) -> bool:
    """Some dimension could name the stream, whose name is unknown: one unknown too that refers to no
    delivery stream, or a literal no delivery stream has, with the known ends of the name's template."""
    streams = res.resources_of_type({"aws_kinesis_firehose_delivery_stream"})
    if any(is_tf_expression(d) and not any(_names_stream(d, s.address) for s in streams) for d in dimensions):
        return True
    taken = {s.value(["name"]) for s in streams}
    prefix, suffix = tf_affixes(source_view(res).raw(["name"]))
    return any(not is_tf_expression(d) and d not in taken and d.startswith(prefix) and d.endswith(suffix)
               and len(d) >= len(prefix) + len(suffix) for d in dimensions)


@verdict("SG_604", "cloudformation")
def firehose_kms_alarm_cfn(res: CfnResource) -> list[str]:
    """An absent DeliveryStreamName is generated: only a Ref can name the stream then."""
    key_types = res.values_at(res.values, ["DeliveryStreamEncryptionConfigurationInput", "KeyType"])
    if not any(upper_or_empty(k) == "CUSTOMER_MANAGED_CMK" for k in key_types):
        return []
    if _named_by(res, "DeliveryStreamName", "audit.kms_alarms", {"AWS::CloudWatch::Alarm"},
                 lambda alarm: _cfn_stream_dimensions(alarm) if _cfn_kms_alarm(alarm) else []):
        return []
    return [_NO_ALARM]


def _names_stream(dimension: str, address: str) -> bool:
    """The dimension is an expression that reads the stream's name attribute."""
    return is_tf_expression(dimension) and re.search(rf"{re.escape(address)}\.name\b", dimension) is not None


def _tf_kms_alarm(alarm: TfResource) -> bool:
    metric = alarm.value(["metric_name"])
    return alarm.value(["namespace"]) == "AWS/Firehose" and isinstance(metric, str) and metric in _KMS_METRICS


def _tf_dimension(alarm: TfResource) -> Any:
    """The DeliveryStreamName dimension; Checkov gives a map attribute as a dict or a one-dict list."""
    dimensions = alarm.raw(["dimensions"])
    if isinstance(dimensions, list) and len(dimensions) == 1:
        dimensions = dimensions[0]
    return dimensions.get("DeliveryStreamName") if isinstance(dimensions, dict) else None


def _cfn_kms_alarm(alarm: CfnResource) -> bool:
    return ("AWS/Firehose" in alarm.values_of(prop(alarm.values, "Namespace"))
            and any(m in _KMS_METRICS for m in alarm.values_of(prop(alarm.values, "MetricName"))
                    if isinstance(m, str)))


def _cfn_stream_dimensions(alarm: CfnResource) -> list[Any]:
    """The Value of every DeliveryStreamName dimension, through Fn::If branches."""
    found = []
    for dimensions in alarm.values_of(prop(alarm.values, "Dimensions")):
        for item in dimensions if isinstance(dimensions, list) else []:
            for dimension in alarm.values_of(item):
                if "DeliveryStreamName" in alarm.values_of(prop(dimension, "Name")):
                    found.append(prop(dimension, "Value"))
    return found


# Links by Ref or by literal name, and what could name a resource whose name is unknown;
# policies/streamguard/lib/naming/naming.rego and the rules SG_603/SG_604 are the Rego twins.

def _named_by(target: CfnResource, name_key: str, fact: str, types: set[str],
              values: Callable[[CfnResource], list[Any]]) -> bool:
    """A resource of `types` in the template has a value (`values` lists them) that refers to target,
    or equals one of target's literal names. Each such resource is read once per template."""
    by_reference = memo.by_name(target, f"{fact}.by_reference", types,
                                lambda origin: [t.address for v in values(origin) for t in origin.targets(v)])
    by_literal = memo.by_name(target, f"{fact}.by_literal", types,
                              lambda origin: [s for v in values(origin) for s in origin.values_of(v)])
    names = target.values_of(prop(target.values, name_key))
    if target.address in by_reference or any(isinstance(n, str) and n in by_literal for n in names):
        return True
    return _name_unresolved(target, name_key) and memo.per_module(
        target, f"{fact}.open", lambda: _open_candidate(target, name_key, types, values, set(by_literal)))


def _open_candidate(target: CfnResource, name_key: str, types: set[str],
                    values: Callable[[CfnResource], list[Any]], literals: set[str]) -> bool:
    """Some resource of `types` could name a resource whose name is unknown: its value is unknown
    too (resolves to nothing, refers to no resource), or a literal no resource of target's type has."""
    if any(not origin.values_of(v) and not origin.targets(v)
           for origin in target.resources_of_type(types) for v in values(origin)):
        return True
    taken = {n for other in target.resources_of_type({target.type})
             for n in other.values_of(prop(other.values, name_key)) if isinstance(n, str)}
    return bool(literals - taken)


def _name_unresolved(res: CfnResource, name_key: str) -> bool:
    """The name is set but none of its values resolves: unknown, so the rule does not report."""
    return name_key in res.values and not res.values_of(res.values[name_key])
