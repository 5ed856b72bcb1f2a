# The verdict of SG_701: `_reasons[address]` is the set of reasons a resource fails.
# Its METADATA, `_meta`, `deny` and `suppressed` are generated into sg_701_meta.rego from
# catalog/SG_701.yaml.
package streamguard.rules.sg_701

import rego.v1

import data.streamguard.lib.cfn
import data.streamguard.lib.resources
import data.streamguard.lib.tf
import data.streamguard.lib.util

# Only Flink runtimes (FLINK-*, any case) take snapshots; SQL-1_0 and Studio runtimes do not.
_reasons[res.address] contains "application_snapshot_configuration.snapshots_enabled is not true" if {
	some res in resources.by_address
	res.type == "aws_kinesisanalyticsv2_application"
	startswith(util.upper_or_empty(tf.value(res, ["runtime_environment"])), "FLINK-")
	not _sg701_tf_enabled_or_unknown(res)
}

_sg701_tf_enabled_or_unknown(res) if tf.unknown(res, ["application_configuration"])

_sg701_tf_enabled_or_unknown(res) if {
	tf.blocks(res, "application_configuration")[i]
	tf.unknown(res, ["application_configuration", i, "application_snapshot_configuration"])
}

_sg701_tf_enabled_or_unknown(res) if {
	some path in _sg701_tf_setting_paths(res)
	util.is_true(tf.value(res, path))
}

_sg701_tf_enabled_or_unknown(res) if {
	some path in _sg701_tf_setting_paths(res)
	tf.unknown(res, path)
}

# Where snapshots_enabled sits in every application_snapshot_configuration block.
_sg701_tf_setting_paths(res) := {path |
	config := tf.blocks(res, "application_configuration")[i]
	config.application_snapshot_configuration[j]
	path := ["application_configuration", i, "application_snapshot_configuration", j, "snapshots_enabled"]
}

_reasons[res.address] contains "ApplicationConfiguration.ApplicationSnapshotConfiguration.SnapshotsEnabled is not true" if {
	some res in resources.by_address
	res.type == "AWS::KinesisAnalyticsV2::Application"
	some runtime in cfn.values(cfn.prop(res.values, "RuntimeEnvironment"))
	startswith(util.upper_or_empty(runtime), "FLINK-")
	path := ["ApplicationConfiguration", "ApplicationSnapshotConfiguration", "SnapshotsEnabled"]
	some enabled in cfn.values_at(res.values, path)
	not util.is_true(enabled)
}
