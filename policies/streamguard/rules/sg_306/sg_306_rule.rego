# The verdict of SG_306: `_reasons[address]` is the set of reasons a resource fails.
# Its METADATA, `_meta`, `deny` and `suppressed` are generated into sg_306_meta.rego from
# catalog/SG_306.yaml.
package streamguard.rules.sg_306

import rego.v1

import data.streamguard.lib.cfn
import data.streamguard.lib.resources
import data.streamguard.lib.tf
import data.streamguard.lib.util

_reasons[res.address] contains reason if {
	some res in resources.by_address
	res.type == "aws_iam_access_key"
	user := tf.value(res, ["user"])
	is_string(user)
	reason := _sg306_named(user)
}

_reasons[res.address] contains _sg306_unnamed if {
	some res in resources.by_address
	res.type == "aws_iam_access_key"
	not _sg306_user_named(res)
}

_sg306_user_named(res) if is_string(tf.value(res, ["user"]))

_reasons[res.address] contains reason if {
	some res in resources.by_address
	res.type == "AWS::IAM::AccessKey"
	some user in cfn.values(cfn.prop(res.values, "UserName"))
	is_string(user)
	reason := _sg306_named(user)
}

_reasons[res.address] contains _sg306_unnamed if {
	some res in resources.by_address
	res.type == "AWS::IAM::AccessKey"
	count([u | some u in cfn.values(cfn.prop(res.values, "UserName")); is_string(u)]) == 0
}

_sg306_named(user) := concat("", ["the key belongs to IAM user ", util.show(user)])

_sg306_unnamed := "the key belongs to an IAM user"
