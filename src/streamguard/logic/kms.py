"""KMS key resolution, mirroring policies/streamguard/lib/kms/kms.rego.

A key reference resolves to the key resources of the input: directly, through an alias (by
reference, or by its name or ARN as a literal), and from a replica key to its primary. A key that
is not in the scanned files resolves to nothing: unknown, never a failure.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from streamguard.logic import memo, s3
from streamguard.logic.cfn import CfnResource, prop
from streamguard.logic.tf import TfResource, unexpanded_dynamic
from streamguard.logic.tf_source import source_view
from streamguard.logic.values import UNKNOWN, arn_name_candidates

Resource = TfResource | CfnResource

KEY_TYPES = {"aws_kms_key", "aws_kms_replica_key", "AWS::KMS::Key", "AWS::KMS::ReplicaKey"}
REPLICA_TYPES = {"aws_kms_replica_key", "AWS::KMS::ReplicaKey"}
ALIAS_TYPES = {"aws_kms_alias", "AWS::KMS::Alias"}

# The attributes that hold a key's spec (customer_master_key_spec is the provider's name for it).
SPEC_ATTRIBUTES = {
    "aws_kms_key": ("customer_master_key_spec", "key_spec"),
    "AWS::KMS::Key": ("KeySpec",),
}


@dataclass(frozen=True)
class ResolvedKey:
    key: Resource
    chain: tuple[str, ...]  # addresses after the referring resource, ending with the key

    def chain_text(self, origin: Resource) -> str:
        return " → ".join((origin.address, *self.chain))


def keys(res: Resource, path: list) -> list[ResolvedKey]:
    """Every key the key reference at `path` (a property path in res.values) resolves to."""
    found: dict[tuple, ResolvedKey] = {}
    for hop in _first_hops(res, path):
        for resolved in _through_alias(hop):
            found[(resolved.key.address, resolved.chain)] = resolved
    return [found[k] for k in sorted(found)]


def spec_keys(key: Resource) -> list[Resource]:
    """Every key whose key spec and rotation apply to key: a replica key's primary (several only
    when the primary reference is conditional), else the key itself."""
    return _primaries(key) if key.type in REPLICA_TYPES else [key]


def spec_key(key: Resource) -> Resource | None:
    """The one key of spec_keys(key); None when there is none or several."""
    found = spec_keys(key)
    return found[0] if len(found) == 1 else None


def key_setting(key: Resource, name: str) -> list[Any]:
    """Every value a key's top-level attribute may take: None when it is not set (the AWS default
    applies), every Fn::If branch in CloudFormation; unknowns left out."""
    if isinstance(key, TfResource):
        value = source_view(key).value([name])
        return [] if value is UNKNOWN else [value]
    return key.values_of(prop(key.values, name))


def symmetric_key_spec(value: Any) -> bool:
    """The key spec value (None: not set) is the symmetric encryption default."""
    return value is None or (isinstance(value, str) and value.upper() in ("", "SYMMETRIC_DEFAULT"))


def _first_hops(res: Resource, path: list) -> list[Resource]:
    if isinstance(res, TfResource):
        return res.targets(path) + _by_literal(res, res.value(path))
    return [hop for x in _cfn_at(res, res.values, path) for hop in _cfn_first_hops(res, x)]


def _cfn_first_hops(res: CfnResource, x: Any) -> list[Resource]:
    return res.targets(x) + [t for v in res.values_of(x) for t in _by_literal(res, v)]


def _through_alias(hop: Resource) -> list[ResolvedKey]:
    if hop.type in KEY_TYPES:
        return [ResolvedKey(hop, (hop.address,))]
    if hop.type in ALIAS_TYPES:
        return [ResolvedKey(k, (hop.address, k.address)) for k in _alias_keys(hop)]
    return []


def _alias_keys(alias: Resource) -> list[Resource]:
    if isinstance(alias, TfResource):
        found = [k for k in alias.targets(["target_key_id"]) if k.type in KEY_TYPES]
        found += _keys_by_literal(alias, alias.value(["target_key_id"]))
        return found
    return [k for k in alias.targets(prop(alias.values, "TargetKeyId")) if k.type in KEY_TYPES]


def _primaries(replica: Resource) -> list[Resource]:
    if isinstance(replica, TfResource):
        found = replica.targets(["primary_key_arn"])
    else:
        found = replica.targets(prop(replica.values, "PrimaryKeyArn"))
    return [k for k in found if k.type in KEY_TYPES]


def _by_literal(res: Resource, value: Any) -> list[Resource]:
    """Aliases named by a literal alias name or an ARN ending in :<alias name>, and keys named by a
    literal ARN or key ID."""
    if not isinstance(value, str):
        return []
    named = memo.by_name(res, "kms.alias_names", ALIAS_TYPES, _alias_names)
    found = [alias for name in dict.fromkeys([value, *arn_name_candidates(value, ":")])
             for alias in named.get(name, [])]
    return found + _keys_by_literal(res, value)


def _keys_by_literal(res: Resource, value: Any) -> list[Resource]:
    """Keys whose arn or key_id is the literal value."""
    if not isinstance(value, str) or not isinstance(res, TfResource):
        return []
    named = memo.by_name(res, "kms.key_ids", KEY_TYPES, lambda key: [key.values.get("arn"), key.values.get("key_id")])
    return list(named.get(value, []))


def _alias_names(alias: Resource) -> list[str]:
    if isinstance(alias, TfResource):
        name = alias.value(["name"])
        return [name] if isinstance(name, str) else []
    return [n for n in alias.values_of(prop(alias.values, "AliasName")) if isinstance(n, str)]


def _cfn_at(res: CfnResource, values: Any, path: list) -> list[Any]:
    """The property at a path of plain keys, through every Fn::If branch of the mappings above it."""
    current = [values]
    for depth, key in enumerate(path):
        if depth == len(path) - 1:
            return [prop(obj, key) for obj in current if isinstance(obj, dict)]
        current = [v for obj in current for v in res.values_of(prop(obj, key))]
    return current


# Where streaming resources name the KMS key that protects their data (RULES.md SG_201), found at
# any depth of the resource; policies/streamguard/lib/kms/kms.rego holds the same table.
KEY_ATTRIBUTES = {
    "aws_kinesis_stream": ("kms_key_id",),
    "aws_kinesis_firehose_delivery_stream": ("key_arn", "kms_key_arn"),
    "aws_s3_bucket": ("kms_master_key_id",),
    "aws_s3_bucket_server_side_encryption_configuration": ("kms_master_key_id",),
    "aws_cloudtrail": ("kms_key_id",),
    "AWS::Kinesis::Stream": ("KeyId",),
    "AWS::KinesisFirehose::DeliveryStream": ("KeyARN", "AWSKMSKeyARN"),
    "AWS::S3::Bucket": ("KMSMasterKeyID",),
    "AWS::CloudTrail::Trail": ("KMSKeyId",),
}


@dataclass(frozen=True)
class KeyUse:
    key: Resource
    chain: tuple[str, ...]
    attribute: str  # dotted property path of the reference, for messages


def _walk(value: Any, terraform: bool, path: tuple = ()):
    """(path, value) of every node of a resource's values, as the Rego engine sees them.

    Checkov keeps a Terraform `dynamic` block beside the blocks it renders from it, and shows the
    content of one it cannot expand as a block: neither is a value (the Rego input has the
    rendered blocks only, and marks an unexpanded one unknown).
    """
    yield path, value
    if isinstance(value, dict):
        skip = {"dynamic", *unexpanded_dynamic(value)} if terraform else set()
        for k, v in value.items():
            if k not in skip:
                yield from _walk(v, terraform, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _walk(v, terraform, (*path, i))


def _logical(path: tuple) -> str:
    return ".".join(p for p in path if isinstance(p, str) and p != "Fn::If")


# Bucket keys protect streaming data only on pipeline buckets (RULES.md SG_201: key scope).
_BUCKET_KEY_USERS = {"aws_s3_bucket", s3.SSE_CONFIGURATION, "AWS::S3::Bucket"}


def uses(res: Resource) -> list[KeyUse]:
    """Every key the key references of a streaming resource resolve to. Terraform is read with
    tf_source.source_view: Checkov writes a called module's output as the expression it returns,
    which names a resource of that module as if it were the caller's."""
    if res.type in _BUCKET_KEY_USERS and res.address not in s3.pipeline_encryption(res):
        return []
    if isinstance(res, TfResource):
        res = source_view(res)
    names = KEY_ATTRIBUTES.get(res.type, ())
    found: dict[tuple, KeyUse] = {}
    for path, value in _walk(res.values, isinstance(res, TfResource)):
        if not path or path[-1] not in names:
            continue
        if isinstance(res, TfResource):
            resolved = keys(res, list(path))
        else:
            resolved = [r for hop in _cfn_first_hops(res, value) for r in _through_alias(hop)]
        for r in resolved:
            use = KeyUse(r.key, r.chain, _logical(path))
            found[(r.key.address, r.chain, use.attribute)] = use
    return [found[k] for k in sorted(found)]


def _used_keys(res: Resource) -> dict[str, Resource]:
    return memo.per_module(res, "kms.used_keys", lambda: {
        use.key.address: use.key for user in res.resources_of_type(set(KEY_ATTRIBUTES)) for use in uses(user)})


def used_key_addresses(res: Resource) -> Collection[str]:
    """Every key a streaming resource's key reference resolves to, in res's module or template."""
    return _used_keys(res).keys()


def streaming_key_addresses(res: Resource) -> set[str]:
    """Every key that protects streaming data, in res's module or template: the keys used, and the
    primaries of the replica keys used (they hold the same key material)."""

    def streaming() -> set[str]:
        used = _used_keys(res)
        return set(used) | {primary.address for key in used.values() for primary in spec_keys(key)}

    return memo.per_module(res, "kms.streaming_keys", streaming)
