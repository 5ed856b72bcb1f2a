"""Firehose delivery stream shapes, mirroring policies/streamguard/lib/firehose/firehose.rego.

Where a delivery stream reads from (Direct PUT, a Kinesis data stream, MSK) and the S3
configurations it writes through (the S3 destination, and the S3 configuration and backup nested
in every other destination), for Terraform and CloudFormation alike.
"""

from __future__ import annotations

from typing import Any

from streamguard.logic import memo
from streamguard.logic.cfn import CfnResource, prop
from streamguard.logic.tf import TfResource
from streamguard.logic.tf_source import nested, source_view
from streamguard.logic.values import UNKNOWN, arn_name_candidates

Resource = TfResource | CfnResource

_TF_SOURCES = {"kinesis_source_configuration": "KinesisStreamAsSource", "msk_source_configuration": "MSKAsSource"}


def sources(res: Resource) -> set[str]:
    """Every source the delivery stream may have, named as DeliveryStreamType names them.

    Terraform: a kinesis_source_configuration or msk_source_configuration block, or neither (Direct
    PUT); a source block that is unknown (dynamic, for_each unresolved) gives no source at all.
    """
    if isinstance(res, CfnResource):
        found = res.values_of(prop(res.values, "DeliveryStreamType"))
        return {"DirectPut" if v is None else v for v in found if v is None or isinstance(v, str)}
    present = {kind for name, kind in _TF_SOURCES.items() if res.blocks(name)}
    if not present and all(res.value([name]) is not UNKNOWN for name in _TF_SOURCES):
        present.add("DirectPut")
    return present


def s3_destinations(res: Resource) -> list[tuple[str, Any]]:
    """(label, block) for every S3 configuration of the delivery stream.

    Terraform: extended_s3_configuration (and the legacy top-level s3_configuration), and the
    s3_configuration / s3_backup_configuration inside any destination, each block a view of its own.
    CloudFormation: ExtendedS3DestinationConfiguration, S3DestinationConfiguration, and nested
    S3Configuration / S3BackupConfiguration, through Fn::If; each block is the property mapping.
    """
    found: list[tuple[str, Any]] = []
    if isinstance(res, TfResource):
        for name in ("extended_s3_configuration", "s3_configuration"):
            found += [(name, block) for block in nested(res, name)]
        for name in res.values:
            for destination in nested(res, name):
                for inner in ("s3_configuration", "s3_backup_configuration"):
                    found += [(f"{name}.{inner}", block) for block in nested(destination, inner)]
        return found
    for name in ("ExtendedS3DestinationConfiguration", "S3DestinationConfiguration"):
        found += [(name, block) for block in res.values_of(prop(res.values, name)) if isinstance(block, dict)]
    for name, value in res.values.items():
        for destination in res.values_of(value):
            for inner in ("S3Configuration", "S3BackupConfiguration"):
                found += [(f"{name}.{inner}", block) for block in res.values_of(prop(destination, inner))
                          if isinstance(block, dict)]
    return found


def source_streams(res: Resource) -> list[Resource]:
    """Every Kinesis data stream of the input the delivery stream's Kinesis source ARN names.

    By reference, or by a literal stream ARN whose name is the stream's name. A stream outside the
    input is not found (unknown, never a failure).
    """
    found: dict[str, Resource] = {}
    if isinstance(res, TfResource):
        named = memo.by_name(res, "firehose.stream_names", {"aws_kinesis_stream"},
                             lambda s: [source_view(s).value(["name"])])
        for source in nested(res, "kinesis_source_configuration"):
            streams = [t for t in source.targets(["kinesis_stream_arn"]) if t.type == "aws_kinesis_stream"]
            streams += _named_by_arn(named, source.value(["kinesis_stream_arn"]))
            found.update((s.address, s) for s in streams)
        return [found[a] for a in sorted(found)]
    named = memo.by_name(res, "firehose.stream_names", {"AWS::Kinesis::Stream"},
                         lambda s: s.values_of(prop(s.values, "Name")))
    for source in res.values_of(prop(res.values, "KinesisStreamSourceConfiguration")):
        x = prop(source, "KinesisStreamARN")
        streams = [t for t in res.targets(x) if t.type == "AWS::Kinesis::Stream"]
        streams += [s for arn in res.values_of(x) for s in _named_by_arn(named, arn)]
        found.update((s.address, s) for s in streams)
    return [found[a] for a in sorted(found)]


def _named_by_arn(named: dict[str, list], arn: Any) -> list[Resource]:
    """The streams a literal ARN names: arn:<partition>:kinesis:<region>:<account>:stream/<name>."""
    return [s for name in arn_name_candidates(arn, ":stream/") for s in named.get(name, [])]
