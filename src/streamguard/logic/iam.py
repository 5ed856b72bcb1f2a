"""Verdicts of the IAM least-privilege (SG_4xx) rules, and the one Python reader of IAM policy documents.

policies/streamguard/lib/iam/iam.rego is the reader's twin and
policies/streamguard/rules/sg_40x/sg_40x_rule.rego the verdicts' twins. A document is read from a
JSON string or object, or from an aws_iam_policy_document data source (statement blocks, effect
defaulting to Allow), following a reference to such a data source when the attribute itself is
unknown. Each Allow statement becomes a `Statement` holding what the rules judge, numbered from 1 in
document order; parts that are unknown are left out, so they never fail a rule.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from streamguard.logic import kms, memo
from streamguard.logic.cfn import CfnResource, prop
from streamguard.logic.registry import verdict
from streamguard.logic.tf import TfResource
from streamguard.logic.tf_source import source_view
from streamguard.logic.values import is_tf_expression

Resource = TfResource | CfnResource

_WILDCARD_ACTION = re.compile(r"([a-z0-9*-]+:)?\*")
_ACCOUNT_ROOT = re.compile(
    r"arn:(aws[a-z-]*|\$\{AWS::Partition\}):iam::([0-9]{12}|\$\{AWS::AccountId\}):root|[0-9]{12}|\$\{AWS::AccountId\}")
_AWS_MANAGED_POLICY = re.compile(r"arn:(aws[a-z-]*|\$\{AWS::Partition\}):iam::aws:policy/(.*/)?([^/]+)")
_SUB_REFERENCE = re.compile(r"\$\{[^}]*\}")


@dataclass(frozen=True)
class Statement:
    """An Allow statement, reduced to what the SG_4xx rules judge."""

    where: str  # "policy statement ReadAll" / "inline_policy admin statement 2", as messages name it
    actions: tuple[str, ...]
    not_action: bool
    principals: tuple[tuple[str, str], ...]  # (kind, value); kind "*" for Principal "*"
    conditioned: bool


def _where(label: str, sid: Any, index: int) -> str:
    """Messages name a statement by its Sid when it has one, else by position ("statement 2").

    Names and values are printed without quotes: rego-cpp's sort() orders a '"' after digits and
    letters, unlike Python and OPA, so quotes in reasons could order a message differently."""
    name = f"statement {sid}" if _named(sid) else f"statement {index + 1}"
    return f"{label} {name}" if label else name


def _named(value: Any) -> bool:
    return _known(value) and value != ""


def _given(value: Any) -> bool:
    """A value that says something: not absent, null or empty."""
    return value not in (None, "", [], {})


def _as_list(value: Any) -> list:
    return value if isinstance(value, list) else [value]


# ---- Terraform ----------------------------------------------------------------------------------
# Terraform resources are read through tf_source.source_view: the document the Rego engine reads
# (dynamic statements expanded in place, a jsonencode() part known only at apply time kept as its
# `${...}` text, references as written), so both engines see the same statements.

def _known(value: Any) -> bool:
    """A Terraform string that is known: no interpolation or reference left in it."""
    return isinstance(value, str) and not is_tf_expression(value)


def _known_strings(value: Any) -> tuple[str, ...]:
    return tuple(v for v in _as_list(value) if _known(v))


def _tf_document(value: Any) -> dict | None:
    """A policy as JSON text, or as Checkov's plan runner hands it over: a dict, maybe in a one-element list."""
    if isinstance(value, list) and len(value) == 1:
        value = value[0]
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return None
    return value if isinstance(value, dict) else None


def tf_allow_statements(res: TfResource, path: list, label: str) -> list[Statement]:
    """Allow statements of the document at path, or of the aws_iam_policy_document it refers to."""
    res = source_view(res)
    value = res.raw(path)
    doc = _tf_document(value)
    if doc is not None:
        return _json_statements(doc, label)
    if isinstance(value, str) and is_tf_expression(value):
        return [s for target in res.targets(path) if target.type == "aws_iam_policy_document"
                for s in data_source_statements(target, f"{label} ({target.address})")]
    return []


def _json_statements(doc: dict, label: str) -> list[Statement]:
    found = []
    for index, st in enumerate(_as_list(doc.get("Statement"))):
        effect = st.get("Effect") if isinstance(st, dict) else None
        if not (_known(effect) and effect.lower() == "allow"):
            continue
        found.append(Statement(
            where=_where(label, st.get("Sid"), index),
            actions=_known_strings(st.get("Action")),
            not_action=_given(st.get("NotAction")),
            principals=_json_principals(st.get("Principal")),
            conditioned=_given(st.get("Condition")),
        ))
    return found


def _json_principals(principal: Any) -> tuple[tuple[str, str], ...]:
    if principal == "*":
        return (("*", "*"),)
    if isinstance(principal, dict):
        return tuple((kind, v) for kind in sorted(principal) for v in _known_strings(principal[kind]))
    return ()


def data_source_statements(res: TfResource, label: str) -> list[Statement]:
    """Allow statements of an aws_iam_policy_document's statement blocks (effect defaults to Allow)."""
    found = []
    for index, st in enumerate(source_view(res).blocks("statement")):
        effect = st.get("effect")
        if not (effect is None or (_known(effect) and effect.lower() == "allow")):
            continue
        found.append(Statement(
            where=_where(label, st.get("sid"), index),
            actions=_known_strings(st.get("actions")),
            not_action=_given(st.get("not_actions")),
            principals=_block_principals(st.get("principals")),
            conditioned=_given(st.get("condition")),
        ))
    return found


def _block_principals(blocks: Any) -> tuple[tuple[str, str], ...]:
    """principals { type = "*", identifiers = ["*"] } is Principal "*": kind "*", as in JSON documents."""
    return tuple((block["type"], v) for block in blocks or [] if isinstance(block, dict) and _known(block.get("type"))
                 for v in _known_strings(block.get("identifiers")))


# ---- CloudFormation -----------------------------------------------------------------------------

def cfn_allow_statements(res: CfnResource, value: Any, label: str) -> list[Statement]:
    """Allow statements of a policy document property (object or JSON text), every Fn::If branch."""
    found: list[Statement] = []
    for doc in res.values_of(value):
        if isinstance(doc, str):
            try:
                doc = json.loads(doc)
            except ValueError:
                continue
        if not isinstance(doc, dict):
            continue
        for statements in res.values_of(prop(doc, "Statement")):
            items = list(enumerate(statements)) if isinstance(statements, list) else [(0, statements)]
            for index, item in items:
                for st in res.values_of(item):
                    found += _cfn_statement(res, st, index, label)
    return found


def _cfn_statement(res: CfnResource, st: Any, index: int, label: str) -> list[Statement]:
    if not isinstance(st, dict):
        return []
    effects = [e for e in res.values_of(prop(st, "Effect")) if isinstance(e, str)]
    if not any(e.lower() == "allow" for e in effects):
        return []
    principals = []
    for principal in res.values_of(prop(st, "Principal")):
        if principal == "*":
            principals.append(("*", "*"))
        elif isinstance(principal, dict):
            principals += [(kind, text) for kind in sorted(principal) for text in cfn_strings(res, principal[kind])]
    return [Statement(
        where=_where(label, st.get("Sid"), index),
        actions=tuple(a for v in res.values_of(prop(st, "Action")) for item in _as_list(v)
                      for a in res.values_of(item) if isinstance(a, str)),
        not_action=any(_given(v) for v in res.values_of(prop(st, "NotAction"))),
        principals=tuple(principals),
        conditioned=all(_given(v) for v in res.values_of(prop(st, "Condition"))),
    )]


def cfn_strings(res: CfnResource, value: Any) -> list[str]:
    """Every string a string-or-list value may hold: literals and parameter defaults (every Fn::If
    branch); Fn::Sub / Fn::Join / Ref built only from pseudo parameters, kept as text
    ("arn:${AWS::Partition}:iam::${AWS::AccountId}:root"); and the address of an IAM role or user of
    the template that the value refers to (!GetAtt Role.Arn), which names that principal."""
    found = [s for v in res.values_of(value) for item in _as_list(v) for s in _cfn_texts(res, item)]
    return list(dict.fromkeys(found + _cfn_texts(res, value)))


def _cfn_texts(res: CfnResource, value: Any) -> list[str]:
    texts = [v for v in res.values_of(value) if isinstance(v, str)]
    pseudo = _pseudo_text(value)
    texts += [pseudo] if pseudo is not None else []
    return texts + [t.address for t in res.targets(value) if t.type in ("AWS::IAM::Role", "AWS::IAM::User")]


def _pseudo_ref(value: Any) -> str | None:
    ref = value.get("Ref") if isinstance(value, dict) else None
    return f"${{{ref}}}" if isinstance(ref, str) and ref.startswith("AWS::") else None


def _pseudo_text(value: Any) -> str | None:
    if not isinstance(value, dict):
        return None
    sub = value.get("Fn::Sub")
    template = sub[0] if isinstance(sub, list) and sub else sub
    if isinstance(template, str) and all(r.startswith("${AWS::") for r in _SUB_REFERENCE.findall(template)):
        return template
    join = value.get("Fn::Join")
    if isinstance(join, list) and len(join) > 1 and isinstance(join[0], str) and isinstance(join[1], list):
        # Join parts are literals or pseudo parameter Refs, as the Rego twin reads them (no recursion there).
        parts = [p if isinstance(p, str) else _pseudo_ref(p) for p in join[1]]
        if all(p is not None for p in parts):
            return join[0].join(parts)
    return _pseudo_ref(value)


# ---- What the rules share -----------------------------------------------------------------------

_TF_POLICY_TYPES = {"aws_iam_policy", "aws_iam_role_policy", "aws_iam_user_policy", "aws_iam_group_policy",
                    "aws_kinesis_resource_policy"}
_CFN_POLICY_PROPERTY = {"AWS::IAM::Policy": "PolicyDocument", "AWS::IAM::ManagedPolicy": "PolicyDocument",
                        "AWS::IAM::RolePolicy": "PolicyDocument", "AWS::Kinesis::ResourcePolicy": "ResourcePolicy"}
_CFN_INLINE_POLICY_TYPES = {"AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::Group"}


def permission_statements(res: Resource) -> list[Statement]:
    """Allow statements of the permission policies res holds: policy attributes, a role's inline_policy
    blocks, the Policies of roles, users and groups, and the own statements of a policy-document data
    source, checked on its own whether or not a policy uses it, unless it serves only as key or trust
    policies."""
    if isinstance(res, TfResource):
        res = source_view(res)
        if res.type == "aws_iam_policy_document":
            return [] if _only_key_or_trust_policy(res) else data_source_statements(res, "")
        return [s for path, label in _permission_policies(res) for s in tf_allow_statements(res, path, label)]
    if res.type in _CFN_POLICY_PROPERTY:
        name = _CFN_POLICY_PROPERTY[res.type]
        return cfn_allow_statements(res, prop(res.values, name), name)
    if res.type in _CFN_INLINE_POLICY_TYPES:
        found = []
        for policies in res.values_of(prop(res.values, "Policies")):
            for index, item in enumerate(policies if isinstance(policies, list) else []):
                for policy in res.values_of(item):
                    if isinstance(policy, dict):
                        label = _label("Policies", policy.get("PolicyName"), index)
                        found += cfn_allow_statements(res, prop(policy, "PolicyDocument"), label)
        return found
    return []


def _permission_policies(res: TfResource) -> list[tuple[list, str]]:
    """(path, label) of each permission policy a Terraform resource holds."""
    if res.type in _TF_POLICY_TYPES:
        return [(["policy"], "policy")]
    if res.type == "aws_iam_role":
        return [(["inline_policy", i, "policy"], _label("inline_policy", block.get("name"), i))
                for i, block in enumerate(res.blocks("inline_policy"))]
    return []


_TF_KEY_OR_TRUST_POLICY = {"aws_kms_key": "policy", "aws_kms_replica_key": "policy",
                           "aws_iam_role": "assume_role_policy"}


def _only_key_or_trust_policy(document: TfResource) -> bool:
    """Key and trust policies use the data source, permission policies do not: kms:* for the account
    root belongs in a key policy (SG_403/SG_404 judge those documents)."""
    def uses() -> tuple[set[str], set[str]]:
        users = list(map(source_view, document.resources_of_type(_TF_POLICY_TYPES | set(_TF_KEY_OR_TRUST_POLICY))))
        permission = {t.address for user in users for path, _ in _permission_policies(user) for t in user.targets(path)}
        other = {t.address for user in users if user.type in _TF_KEY_OR_TRUST_POLICY
                 for t in user.targets([_TF_KEY_OR_TRUST_POLICY[user.type]])}
        return permission, other

    permission, other = memo.per_module(document, "iam.documents_used", uses)
    return document.address in other and document.address not in permission


def _label(kind: str, name: Any, index: int) -> str:
    return f"{kind} {name}" if _named(name) else f"{kind} {index + 1}"


def is_account_root(principal: str) -> bool:
    """An account root: arn:aws:iam::<account>:root, a bare account ID, or their ${AWS::AccountId} forms."""
    return bool(_ACCOUNT_ROOT.fullmatch(principal))


def full_access_policy_name(arn: Any) -> str | None:
    """The name of an AWS managed policy ARN that is AdministratorAccess, PowerUserAccess or *FullAccess."""
    match = _AWS_MANAGED_POLICY.fullmatch(arn) if isinstance(arn, str) else None
    name = match.group(3) if match else None
    if name in ("AdministratorAccess", "PowerUserAccess") or (name and name.endswith("FullAccess")):
        return name
    return None


def _document_statements(res: Resource, tf_path: str, cfn_property: str) -> list[Statement]:
    if isinstance(res, TfResource):
        return tf_allow_statements(res, [tf_path], tf_path)
    return cfn_allow_statements(res, prop(res.values, cfn_property), cfn_property)


# ---- Verdicts -----------------------------------------------------------------------------------

@verdict("SG_401", "terraform")
@verdict("SG_401", "cloudformation")
def no_wildcard_actions(res: Resource) -> list[str]:
    reasons = []
    for s in permission_statements(res):
        wildcards = {a for a in s.actions if _WILDCARD_ACTION.fullmatch(a.lower())}
        if wildcards:
            reasons.append(f"{s.where} allows {', '.join(sorted(wildcards))}")
        if s.not_action:
            reasons.append(f"{s.where} uses NotAction")
    return reasons


_STREAMING_SERVICE = re.compile(r"(kinesisanalytics|firehose)\.(amazonaws\.com|\$\{aws::urlsuffix\})")
_ROLE_ATTRIBUTE = {"aws_iam_role_policy_attachment": "role", "aws_iam_policy_attachment": "roles"}


def _streaming_service_role(role: Resource) -> bool:
    """The trust policy lets Managed Flink (kinesisanalytics) or Firehose assume the role (any case;
    CloudFormation may write the domain as ${AWS::URLSuffix})."""
    return any(kind == "Service" and _STREAMING_SERVICE.fullmatch(value.lower())
               for s in _document_statements(role, "assume_role_policy", "AssumeRolePolicyDocument")
               for kind, value in s.principals)


def _attaches(attachment: TfResource, role: TfResource) -> bool:
    """An attachment names its role by reference (.name, .id) or by the role's literal name."""
    attribute = _ROLE_ATTRIBUTE[attachment.type]
    named = attachment.value([attribute])
    paths = [[attribute, i] for i in range(len(named))] if isinstance(named, list) else [[attribute]]
    name = role.value(["name"])
    return any(t.address == role.address for path in paths for t in attachment.targets(path)) or (
        isinstance(name, str) and name in _as_list(named))


@verdict("SG_402", "terraform")
def no_full_access_tf(role: TfResource) -> list[str]:
    role = source_view(role)
    if not _streaming_service_role(role):
        return []
    managed = role.value(["managed_policy_arns"])
    reasons = [f"{name} in managed_policy_arns" for arn in (managed if isinstance(managed, list) else [])
               if (name := full_access_policy_name(arn))]
    # Attachments as Checkov renders them: it keeps a reference inside a list (roles = [aws_iam_role.r.name])
    # where the HCL reader only marks the item unknown, and the Rego twin reads the list's references.
    for attachment, name in _full_access_attachments(role):
        if _attaches(attachment, role):
            reasons.append(f"{name} attached by {attachment.address}")
    return reasons


def _full_access_attachments(role: TfResource) -> list[tuple[TfResource, str]]:
    """(attachment, policy name) for each attachment of a full-access managed policy in role's module,
    found once per module (each streaming role asks)."""

    def attachments() -> list[tuple[TfResource, str]]:
        found = []
        for attachment in role.resources_of_type(set(_ROLE_ATTRIBUTE)):
            name = full_access_policy_name(attachment.value(["policy_arn"]))
            if name:
                found.append((attachment, name))
        return found

    return memo.per_module(role, "iam.full_access_attachments", attachments)


@verdict("SG_402", "cloudformation")
def no_full_access_cfn(role: CfnResource) -> list[str]:
    if not _streaming_service_role(role):
        return []
    return [f"{name} in ManagedPolicyArns" for arn in cfn_strings(role, prop(role.values, "ManagedPolicyArns"))
            if (name := full_access_policy_name(arn))]


# The policy each SG_403 type holds: resource policies, key policies, role trust policies.
_SG403_POLICY_PROPERTY = {
    "aws_kinesis_resource_policy": "policy", "aws_kms_key": "policy", "aws_kms_replica_key": "policy",
    "aws_iam_role": "assume_role_policy", "AWS::Kinesis::ResourcePolicy": "ResourcePolicy",
    "AWS::KMS::Key": "KeyPolicy", "AWS::KMS::ReplicaKey": "KeyPolicy", "AWS::IAM::Role": "AssumeRolePolicyDocument",
}


@verdict("SG_403", "terraform")
@verdict("SG_403", "cloudformation")
def no_wildcard_principal(res: Resource) -> list[str]:
    if res.type in kms.KEY_TYPES and res.address not in kms.streaming_key_addresses(res):
        return []
    name = _SG403_POLICY_PROPERTY[res.type]
    return [s.where for s in _document_statements(res, name, name)
            if not s.conditioned and any(p in (("*", "*"), ("AWS", "*")) for p in s.principals)]


@verdict("SG_404", "terraform")
@verdict("SG_404", "cloudformation")
def kms_star_only_for_root(key: Resource) -> list[str]:
    reasons = []
    for s in _document_statements(key, "policy", "KeyPolicy"):
        actions = {a for a in s.actions if a.lower() in ("kms:*", "*")}
        principals = {value for _, value in s.principals if not is_account_root(value)}
        if actions and principals:
            reasons.append(f"{s.where} allows {', '.join(sorted(actions))} to {', '.join(sorted(principals))}")
    return reasons

