"""The stable Python API for a team's own Checkov checks (docs/custom-rules.md).

Everything a rule pack's check needs, under names that stay put across streamguard releases:
what a check subclasses, the resource views it receives, and the helpers the built-in rules use
to resolve KMS keys, read IAM statements and detect credentials. Internals (streamguard.logic.*)
may move; a name exported here only changes with a major version. Each helper has a Rego twin in
the public Rego library (docs/rego-library.md), so a pack's two implementations read the same facts.
"""

from streamguard.custom.checks import CloudFormationCheck, TerraformCheck
from streamguard.logic.cfn import CfnResource, prop
from streamguard.logic.credentials import (
    access_key_ids,
    is_credential_name,
    is_literal,
    is_placeholder,
    mask,
    text_credentials,
)
from streamguard.logic.iam import Statement, is_account_root, permission_statements
from streamguard.logic.kms import KeyUse, ResolvedKey, key_setting, keys, spec_key, spec_keys, symmetric_key_spec, uses
from streamguard.logic.tf import TfResource
from streamguard.logic.tf_source import nested, source_view
from streamguard.logic.values import UNKNOWN, is_false, is_true, show

__all__ = [
    # What a pack's check subclasses: metadata from the rule's Rego METADATA, `reasons(res)` to write.
    "TerraformCheck", "CloudFormationCheck",
    # The resource views `reasons` receives, and how to read them (UNKNOWN is never a failure).
    "TfResource", "CfnResource", "prop", "source_view", "nested", "UNKNOWN", "show", "is_true", "is_false",
    # KMS: the keys a reference resolves to (through aliases and replicas), their specs and settings.
    "keys", "uses", "spec_keys", "spec_key", "key_setting", "symmetric_key_spec", "ResolvedKey", "KeyUse",
    # IAM: the Allow statements of every policy a resource holds, normalised.
    "permission_statements", "Statement", "is_account_root",
    # Credentials: the detector SG_3xx use, and masking for anything a message prints.
    "access_key_ids", "text_credentials", "is_literal", "is_placeholder", "is_credential_name", "mask",
]
