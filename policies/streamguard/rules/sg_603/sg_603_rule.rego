# The verdict of SG_603: `_reasons[address]` is the set of reasons a resource fails.
# Its METADATA, `_meta`, `deny` and `suppressed` are generated into sg_603_meta.rego from
# catalog/SG_603.yaml.
package streamguard.rules.sg_603

import rego.v1

import data.streamguard.lib.cfn
import data.streamguard.lib.naming
import data.streamguard.lib.resources
import data.streamguard.lib.tf

# Terraform: the logging option is the cloudwatch_logging_options block, whose log_stream_arn the
# provider requires; a block without one (or with an empty one) configures no logging.
_reasons[res.address] contains "cloudwatch_logging_options is not set" if {
	some res in resources.by_address
	res.type == "aws_kinesisanalyticsv2_application"
	count(tf.blocks(res, "cloudwatch_logging_options")) == 0
	not tf.unknown(res, ["cloudwatch_logging_options"])
}

_reasons[res.address] contains "cloudwatch_logging_options.log_stream_arn is not set" if {
	some res in resources.by_address
	res.type == "aws_kinesisanalyticsv2_application"
	blocks := tf.blocks(res, "cloudwatch_logging_options")
	count(blocks) > 0
	every i, _ in blocks {
		tf.absent(res, ["cloudwatch_logging_options", i, "log_stream_arn"])
	}
}

# CloudFormation: a separate AWS::KinesisAnalyticsV2::ApplicationCloudWatchLoggingOption resource
# names the application, by Ref or by its literal ApplicationName. An application whose name is
# unknown can only be named by an option that could name it: one whose name is unknown too, or a
# literal that no other application of the template has.
_reasons[res.address] contains "no AWS::KinesisAnalyticsV2::ApplicationCloudWatchLoggingOption names the application" if {
	some res in resources.by_address
	res.type == "AWS::KinesisAnalyticsV2::Application"
	not _sg603_logged(res)
	not _sg603_may_be_logged(res)
}

_sg603_may_be_logged(app) if {
	naming.cfn_name_unresolved(app, "ApplicationName")
	_sg603_open_option
}

_sg603_open_option if {
	some option in _sg603_options
	naming.cfn_unknown_name(option.values.ApplicationName)
}

_sg603_open_option if {
	some name in _sg603_logged_names
	not _sg603_application_names[name]
}

_sg603_application_names := _sg603_application_names_entries

_sg603_application_names_entries contains name if {
	some app in resources.by_address
	app.type == "AWS::KinesisAnalyticsV2::Application"
	some name in cfn.values(cfn.prop(app.values, "ApplicationName"))
	is_string(name)
}

_sg603_logged(app) if _sg603_logged_addresses[app.address]

_sg603_logged(app) if {
	some name in cfn.values(cfn.prop(app.values, "ApplicationName"))
	_sg603_logged_names[name]
}

# What the logging-option resources name, collected once per evaluation: applications they
# refer to (Ref, Fn::GetAtt, Fn::Sub), and the literal application names they give.
_sg603_logged_addresses := _sg603_logged_addresses_entries

_sg603_logged_addresses_entries contains t.address if {
	some option in _sg603_options
	some t in cfn.referenced(option.values.ApplicationName)
}

_sg603_logged_names := _sg603_logged_names_entries

_sg603_logged_names_entries contains name if {
	some option in _sg603_options
	some name in cfn.values(option.values.ApplicationName)
	is_string(name)
}

_sg603_options := _sg603_options_entries

_sg603_options_entries contains option if {
	some option in resources.by_address
	option.type == "AWS::KinesisAnalyticsV2::ApplicationCloudWatchLoggingOption"
}
