# The verdict of SG_404: `_reasons[address]` is the set of reasons a resource fails.
# Its METADATA, `_meta`, `deny` and `suppressed` are generated into sg_404_meta.rego from
# catalog/SG_404.yaml.
package streamguard.rules.sg_404

import rego.v1

import data.streamguard.lib.cfn
import data.streamguard.lib.iam
import data.streamguard.lib.resources

_reasons[key.address] contains reason if {
	some key in resources.by_address
	some s in _sg404_statements(key)
	actions := {action | some action in s.actions; lower(action) in {"kms:*", "*"}}
	count(actions) > 0
	principals := {principal[1] | some principal in s.principals; not iam.is_account_root(principal[1])}
	count(principals) > 0
	reason := concat(" ", [s.where, "allows", concat(", ", sort(actions)), "to", concat(", ", sort(principals))])
}

_sg404_statements(key) := iam.tf_allow_statements(key, ["policy"], "policy") if key.type == "aws_kms_key"

_sg404_statements(key) := iam.cfn_allow_statements(cfn.prop(key.values, "KeyPolicy"), "KeyPolicy") if {
	key.type == "AWS::KMS::Key"
}
