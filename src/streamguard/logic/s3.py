"""S3 buckets and their default encryption, mirroring policies/streamguard/lib/s3.rego.

Which bucket of the input a bucket ARN names (by reference, or a literal arn:<partition>:s3:::<name>
matching the bucket's name), and whether that bucket's default encryption is SSE-KMS: in Terraform
the aws_s3_bucket_server_side_encryption_configuration resources that target it (by reference or
literal name) and the legacy inline server_side_encryption_configuration block; in CloudFormation
BucketEncryption.
"""

from __future__ import annotations

from typing import Any

from streamguard.logic import firehose, memo
from streamguard.logic.cfn import CfnResource, prop
from streamguard.logic.tf import TfResource
from streamguard.logic.tf_source import nested, source_view
from streamguard.logic.values import UNKNOWN, arn_name_candidates, show

KMS_ALGORITHMS = {"aws:kms", "aws:kms:dsse"}
SSE_CONFIGURATION = "aws_s3_bucket_server_side_encryption_configuration"
_CFN_RULE = "BucketEncryption.ServerSideEncryptionConfiguration"


def tf_buckets(doc: TfResource, attr: str) -> set[str]:
    """Addresses of the aws_s3_bucket the bucket ARN at doc's attribute names (doc: a resource or block view)."""
    found = {t.address for t in doc.targets([attr]) if t.type == "aws_s3_bucket"}
    named = memo.by_name(doc, "s3.bucket_names", {"aws_s3_bucket"}, lambda b: [source_view(b).value(["bucket"])])
    return found | {b.address for name in arn_name_candidates(doc.value([attr]), ":::") for b in named.get(name, [])}


def cfn_buckets(res: CfnResource, x: Any) -> set[str]:
    """Addresses of the AWS::S3::Bucket the BucketARN property x of res names."""
    found = {t.address for t in res.targets(x) if t.type == "AWS::S3::Bucket"}
    named = memo.by_name(res, "s3.bucket_names", {"AWS::S3::Bucket"},
                         lambda b: b.values_of(prop(b.values, "BucketName")))
    return found | {b.address for arn in res.values_of(x) for name in arn_name_candidates(arn, ":::")
                    for b in named.get(name, [])}


def pipeline_buckets(res: TfResource | CfnResource) -> set[str]:
    """Buckets of res's module or template that a delivery stream writes to or that hold Flink
    application code (RULES.md: pipeline buckets); any other bucket is out of scope."""
    if isinstance(res, CfnResource):
        return memo.per_module(res, "s3.pipeline_buckets", lambda: _cfn_pipeline_buckets(res))
    return memo.per_module(res, "s3.pipeline_buckets", lambda: _tf_pipeline_buckets(res))


def pipeline_encryption(res: TfResource | CfnResource) -> set[str]:
    """Pipeline buckets and the aws_s3_bucket_server_side_encryption_configuration resources that
    target them: where a bucket key protects streaming data (SG_201, SG_203, SG_204)."""

    def compute() -> set[str]:
        buckets = pipeline_buckets(res)
        if isinstance(res, CfnResource):
            return buckets
        return buckets | {address for bucket in res.resources_of_type({"aws_s3_bucket"})
                          if bucket.address in buckets for address, _ in _tf_configurations(source_view(bucket))}

    return memo.per_module(res, "s3.pipeline_encryption", compute)


def _tf_pipeline_buckets(res: TfResource) -> set[str]:
    writers = [source_view(w) for w in res.resources_of_type({"aws_kinesis_firehose_delivery_stream"})]
    locations = [block for w in writers for _, block in firehose.s3_destinations(w)]
    for app in res.resources_of_type({"aws_kinesisanalyticsv2_application"}):
        for configuration in nested(source_view(app), "application_configuration"):
            for code in nested(configuration, "application_code_configuration"):
                for content in nested(code, "code_content"):
                    locations += nested(content, "s3_content_location")
    return {address for location in locations for address in tf_buckets(location, "bucket_arn")}


_FLINK_CODE_LOCATION = ["ApplicationConfiguration", "ApplicationCodeConfiguration", "CodeContent", "S3ContentLocation"]


def _cfn_pipeline_buckets(res: CfnResource) -> set[str]:
    arns = [prop(block, "BucketARN") for writer in res.resources_of_type({"AWS::KinesisFirehose::DeliveryStream"})
            for _, block in firehose.s3_destinations(writer)]
    for app in res.resources_of_type({"AWS::KinesisAnalyticsV2::Application"}):
        locations = [app.values]
        for key in _FLINK_CODE_LOCATION:
            locations = [v for parent in locations for v in res.values_of(prop(parent, key))]
        arns += [prop(location, "BucketARN") for location in locations if isinstance(location, dict)]
    return {address for arn in arns for address in cfn_buckets(res, arn)}


def _kms(algorithm: Any) -> bool:
    return isinstance(algorithm, str) and algorithm.lower() in KMS_ALGORITHMS


def default_kms_reasons(bucket: TfResource | CfnResource) -> list[str]:
    """Every reason the bucket has no default encryption rule with aws:kms or aws:kms:dsse.

    Empty when it has one, or (Terraform) when a rule's algorithm is unknown. CloudFormation: a rule
    fails when any Fn::If branch of it fails, and the configuration fails when every rule in it does.
    """
    if isinstance(bucket, CfnResource):
        return sorted({r for enc in bucket.values_of(prop(bucket.values, "BucketEncryption"))
                       for r in _cfn_encryption_reasons(bucket, enc)})
    reasons: set[str] = set()
    for label, doc in _tf_sources(bucket):
        if doc.value(["rule"]) is UNKNOWN:
            return []
        for rule in nested(doc, "rule"):
            if rule.value(["apply_server_side_encryption_by_default"]) is UNKNOWN:
                return []
            defaults = nested(rule, "apply_server_side_encryption_by_default")
            if not defaults:
                reasons.add(f"{label}: apply_server_side_encryption_by_default is not set")
            for by_default in defaults:
                algorithm = by_default.value(["sse_algorithm"])
                if algorithm is UNKNOWN or _kms(algorithm):
                    return []
                reasons.add(f"{label}: sse_algorithm is {show(algorithm)}")
    return sorted(reasons) or ["no default encryption rule is configured"]


def _tf_sources(bucket: TfResource) -> list[tuple[str, TfResource]]:
    """(label, view) of every place a Terraform bucket's default encryption rules come from: the
    configurations that target it, and inline blocks."""
    return _tf_configurations(bucket) + [("server_side_encryption_configuration", inline)
                                         for inline in nested(bucket, "server_side_encryption_configuration")]


def _tf_configurations(bucket: TfResource) -> list[tuple[str, TfResource]]:
    """(address, view) of the configurations that target a bucket by reference or by its literal
    name, in address order."""
    by_reference = memo.by_name(bucket, "s3.configurations_by_reference", {SSE_CONFIGURATION},
                                lambda c: [t.address for t in source_view(c).targets(["bucket"])])
    by_name = memo.by_name(bucket, "s3.configurations_by_name", {SSE_CONFIGURATION},
                           lambda c: [source_view(c).value(["bucket"])])
    name = bucket.value(["bucket"])
    named = by_name.get(name, []) if isinstance(name, str) else []
    targeting = {c.address: c for c in by_reference.get(bucket.address, []) + named}
    return [(address, source_view(targeting[address])) for address in sorted(targeting)]


def _cfn_encryption_reasons(bucket: CfnResource, enc: Any) -> set[str]:
    if enc is None:
        return {"BucketEncryption is not set"}
    if not isinstance(enc, dict):
        return set()
    reasons: set[str] = set()
    for rules in bucket.values_of(prop(enc, "ServerSideEncryptionConfiguration")):
        if rules in (None, []):
            reasons.add(f"{_CFN_RULE} is not set")
        elif isinstance(rules, list):
            each = [_cfn_rule_reasons(bucket, rule) for rule in rules]
            if all(each):
                reasons.update(r for per_rule in each for r in per_rule)
    return reasons


def _cfn_rule_reasons(bucket: CfnResource, rule: Any) -> set[str]:
    reasons: set[str] = set()
    for value in bucket.values_of(rule):
        if not isinstance(value, dict):
            continue
        for by_default in bucket.values_of(prop(value, "ServerSideEncryptionByDefault")):
            if by_default is None:
                reasons.add(f"{_CFN_RULE}.ServerSideEncryptionByDefault is not set")
            elif isinstance(by_default, dict):
                for algorithm in bucket.values_of(prop(by_default, "SSEAlgorithm")):
                    if not _kms(algorithm):
                        reasons.add(f"{_CFN_RULE}.ServerSideEncryptionByDefault.SSEAlgorithm is {show(algorithm)}")
    return reasons
