"""Verdicts of the resilience (SG_7xx) rules; policies/streamguard/rules/ holds their Rego twins.

Terraform is read through tf_source.source_view, the document the Rego engine evaluates: dynamic
blocks expanded as Terraform would, unresolved values left unknown.
"""

from __future__ import annotations

from typing import Any

from streamguard.logic.cfn import CfnResource, prop
from streamguard.logic.registry import verdict
from streamguard.logic.tf import TfResource
from streamguard.logic.tf_source import nested, source_view
from streamguard.logic.values import UNKNOWN, is_true, upper_or_empty


def _flink(runtime: Any) -> bool:
    """Only Flink runtimes (FLINK-*, any case) take snapshots; SQL-1_0 and Studio runtimes do not."""
    return upper_or_empty(runtime).startswith("FLINK-")


@verdict("SG_701", "terraform")
def flink_snapshots_tf(res: TfResource) -> list[str]:
    res = source_view(res)
    if not _flink(res.value(["runtime_environment"])) or _snapshots_on_or_unknown(res):
        return []
    return ["application_snapshot_configuration.snapshots_enabled is not true"]


def _snapshots_on_or_unknown(res: TfResource) -> bool:
    """Some snapshots_enabled is true or unknown, or a block that could hold one is unknown."""
    if res.value(["application_configuration"]) is UNKNOWN:
        return True
    for config in nested(res, "application_configuration"):
        if config.value(["application_snapshot_configuration"]) is UNKNOWN:
            return True
        for snapshots in nested(config, "application_snapshot_configuration"):
            enabled = snapshots.value(["snapshots_enabled"])
            if is_true(enabled) or enabled is UNKNOWN:
                return True
    return False


@verdict("SG_701", "cloudformation")
def flink_snapshots_cfn(res: CfnResource) -> list[str]:
    if not any(_flink(r) for r in res.values_of(prop(res.values, "RuntimeEnvironment"))):
        return []
    path = ["ApplicationConfiguration", "ApplicationSnapshotConfiguration", "SnapshotsEnabled"]
    if any(not is_true(v) for v in res.values_at(res.values, path)):
        return ["ApplicationConfiguration.ApplicationSnapshotConfiguration.SnapshotsEnabled is not true"]
    return []
