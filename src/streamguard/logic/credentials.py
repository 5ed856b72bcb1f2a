"""Embedded credentials (SG_3xx): the one Python credential detector, and the verdicts built on it.

policies/streamguard/lib/credentials/credentials.rego is the detector's twin and
policies/streamguard/rules/sg_30x/sg_30x_rule.rego the verdicts' (RULES.md "3xx"): the same
patterns, the same notion of a literal, the same reason strings. A reason never carries a secret:
`mask` keeps its last 4 characters.

Terraform resources are read through tf_source.source_view: Checkov's rendering drops the line
breaks of a heredoc (or parses a JSON heredoc into a map), leaves a local inside a map literal
unresolved and replaces a reference with the referenced resource's setting, which would hide, move
or invent what these rules report.
"""

from __future__ import annotations

import base64
import binascii
import functools
import json
import re
from collections.abc import Iterator
from typing import Any

from streamguard.logic.cfn import CfnResource, is_intrinsic, prop
from streamguard.logic.registry import precheck, verdict
from streamguard.logic.sections import Section
from streamguard.logic.tf import TfResource
from streamguard.logic.tf_source import source_view
from streamguard.logic.values import is_false, is_tf_expression, show

ACCESS_KEY_ID = re.compile(r"(AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}")
_WHOLE_ACCESS_KEY_ID = re.compile(r"^(AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}$")
_WHOLE_SECRET_KEY = re.compile(r"^[A-Za-z0-9/+=]{40}$")
_KEY_CHARACTER_RUN = re.compile(r"[A-Za-z0-9/+=]+")
_UP_TO_SEPARATOR = re.compile(r"^[^:=]*[:=]")  # a `name = value` / `name: value` line, up to its separator
_NOT_ALPHANUMERIC = re.compile(r"[^a-z0-9]")

# What a field's name ends with (lower case, punctuation dropped) when it holds a secret; the AWS
# names are those of an access key, a secret key or a session token (Flink connector properties).
_CREDENTIAL_NAMES = ("secret", "secretkey", "secretaccesskey", "password", "passwd", "passphrase", "token",
                     "accesskey", "privatekey", "apikey")
_AWS_CREDENTIAL_NAMES = ("accesskey", "accesskeyid", "secretkey", "secretaccesskey", "sessiontoken")
_NAME_CUTSET = " \t\r\"'{[,"
_VALUE_CUTSET = " \t\r\"',;}]"
_FRAME_CUTSET = " \t\r\"',;"  # quotes and separators only: a `{{ name }}` placeholder keeps its braces

ID = "an AWS access key ID"
SECRET_KEY = "an AWS secret access key"
SECRET = "a literal secret"


def mask(secret: str) -> str:
    """All but the last 4 characters as '*'; a secret shorter than 12 characters entirely."""
    if len(secret) < 12:
        return "*" * len(secret)
    return "*" * (len(secret) - 4) + secret[-4:]


def masked_text(text: str) -> str:
    """Any text with every access key ID, and beside one every 40-character secret key, masked:
    what the detector finds without a field name to go by (a suppression reason, an address)."""
    if not ACCESS_KEY_ID.search(text):
        return text
    text = ACCESS_KEY_ID.sub(lambda m: mask(m.group(0)), text)
    return _KEY_CHARACTER_RUN.sub(lambda m: mask(m.group(0)) if len(m.group(0)) == 40 else m.group(0), text)


def reason(where: str, kind: str, secret: str) -> str:
    return f"{where} holds {kind} {show(mask(secret))}"


def is_credential_name(name: Any, suffixes: tuple[str, ...] = _CREDENTIAL_NAMES) -> bool:
    """A field or key whose name says it holds a password, token, secret or key (or, given
    _AWS_CREDENTIAL_NAMES, an AWS access key, secret key or session token)."""
    return isinstance(name, str) and _NOT_ALPHANUMERIC.sub("", name.lower()).endswith(suffixes)


def is_literal(value: Any) -> bool:
    """A non-empty string that is no CloudFormation dynamic reference ({{resolve:...}}) and no
    placeholder.

    References of the other kinds never reach here as strings: views return UNKNOWN for
    Terraform expressions, and CloudFormation intrinsics are mappings.
    """
    return isinstance(value, str) and value.strip() != "" and "{{resolve:" not in value \
        and not is_placeholder(value)


# RULES.md "Placeholders are not credentials": <...>, {{...}}, ${...}, %...%, $NAME, one repeated
# character, and a few words on their own. (An access key ID is always a credential: the ID
# pattern is matched separately.) credentials.rego holds the same pattern and words.
_PLACEHOLDER = re.compile(r"<.*>|\{\{.*\}\}|\$\{.*\}|%.*%|\$[A-Za-z_][A-Za-z0-9_]*")
_PLACEHOLDER_WORDS = frozenset({"changeme", "replace_me", "todo", "placeholder", "example"})


def is_placeholder(value: str) -> bool:
    """A value written to be replaced, not a secret."""
    text = value.strip()
    return bool(_PLACEHOLDER.fullmatch(text)) or len(set(text)) == 1 or text.lower() in _PLACEHOLDER_WORDS


def kind_of(value: str) -> str:
    """What a literal secret looks like, for the message."""
    if _WHOLE_ACCESS_KEY_ID.match(value):
        return ID
    if _WHOLE_SECRET_KEY.match(value):
        return SECRET_KEY
    return SECRET


def access_key_ids(text: str) -> list[str]:
    """Every AWS access key ID in text."""
    return [m.group(0) for m in ACCESS_KEY_ID.finditer(text)]


def text_credentials(text: str) -> list[tuple[str, str]]:
    """(kind, secret) for every credential in a text: access key IDs, 40-character secret keys in a
    text that also holds an access key ID, and the literal value of every `name = value` /
    `name: value` line whose name says it holds a credential."""
    found = [(ID, key_id) for key_id in access_key_ids(text)]
    if found:
        found += [(SECRET_KEY, run) for run in _KEY_CHARACTER_RUN.findall(text) if len(run) == 40]
    if ":" not in text and "=" not in text:  # no line of it is `name = value` or `name: value`
        return found
    for line in text.split("\n"):
        head = _UP_TO_SEPARATOR.match(line)
        if head is None:
            continue
        rest = line[head.end():]
        value = rest.strip(_VALUE_CUTSET)
        if is_credential_name(head.group(0)[:-1].strip(_NAME_CUTSET)) and is_literal(value) \
                and not is_placeholder(rest.strip(_FRAME_CUTSET)):
            found.append((kind_of(value), value))
    return list(dict.fromkeys(found))


def decoded(value: Any) -> str | None:
    """A content_base64 value as text; None when it is not valid base64."""
    if not isinstance(value, str):
        return None
    try:
        return base64.b64decode(value, validate=True).decode("utf-8", errors="replace")
    except (binascii.Error, ValueError):
        return None


def strings(value: Any, path: tuple = ()) -> Iterator[tuple[str, str]]:
    """(dotted path, string) for every string in a value; indices and Fn::If steps are not named."""
    if isinstance(value, str):
        yield ".".join(p for p in path if isinstance(p, str) and p != "Fn::If"), value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from strings(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from strings(item, (*path, index))


def _cfn_strings(value: Any, parameters: dict, path: tuple = ()) -> Iterator[tuple[str, str]]:
    """Every string a CloudFormation value holds, a Ref to a parameter read as its literal Default."""
    if is_intrinsic(value) and isinstance(value.get("Ref"), str):
        default = prop(parameters.get(value["Ref"]), "Default")
        yield from strings(default, path) if isinstance(default, str) else ()
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _cfn_strings(item, parameters, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _cfn_strings(item, parameters, (*path, index))
    else:
        yield from strings(value, path)


def secrets_for_masking(values: Any) -> set[str]:
    """Every credential a configuration holds, and every base64 value that decodes to one: what a
    code block showing that configuration must not print."""
    found: set[str] = set()
    for key, text in _strings_by_key(values, "", []):
        found |= {secret for _, secret in text_credentials(text)}
        if _credential_field(key) and is_literal(text):
            found.add(text)
        plain = decoded(text) if len(text) >= 16 and _BASE64.fullmatch(text) else None
        if plain and text_credentials(plain):
            found.add(text)
    return found


# What base64.b64decode(validate=True) accepts at most: any other text is not base64.
_BASE64 = re.compile(r"[A-Za-z0-9+/=]+")


def _strings_by_key(value: Any, key: str, out: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """out, with (the name of the last key above it, string) for every string in a value: the field
    of `strings`' dotted path without building paths or generators (masking walks every checked
    configuration)."""
    if isinstance(value, str):
        out.append((key, value))
    elif isinstance(value, dict):
        for k, item in value.items():
            _strings_by_key(item, k if isinstance(k, str) and k != "Fn::If" else key, out)
    elif isinstance(value, list):
        for item in value:
            _strings_by_key(item, key, out)
    return out


@functools.lru_cache(maxsize=4096)
def _credential_field(key: str) -> bool:
    """Whether a key names a credential field (its last dotted part, as in `strings`' paths):
    a configuration repeats the same few field names."""
    return is_credential_name(key.rsplit(".", 1)[-1])


def mask_lines(lines: list[tuple[int, str]], extra: set[str]) -> list[tuple[int, str]]:
    """Code lines with every credential they show, or that `extra` names, masked wherever it appears:
    as written in a JSON file too, and line by line when it spans lines (a PEM key in a heredoc).
    The lines themselves when there is nothing to mask."""
    found = set(extra) | {secret for _, secret in text_credentials("".join(line for _, line in lines))}
    # When every line but the last ends with a line break, the text splits back into exactly these
    # lines and a line read on its own finds nothing more: otherwise each is read on its own too.
    if not all(line.endswith("\n") for _, line in lines[:-1]):
        for _, line in lines:
            found |= {secret for _, secret in text_credentials(line)}
    secrets = set()
    for secret in found:
        parts = [part.strip() for part in secret.split("\n")] if "\n" in secret else []
        secrets |= {secret, json.dumps(secret)[1:-1], *(part for part in parts if len(part) >= 8)}
    ordered = sorted((s for s in secrets if s), key=len, reverse=True)
    if not ordered:
        return lines
    # One pattern, longest secret first, read once per line: replacing secret by secret cost
    # lines x secrets (a 166 KB object of 5,000 credentials took 28 s).
    pattern = re.compile("|".join(map(re.escape, ordered)))
    return [(number, pattern.sub(lambda m: mask(m.group(0)), line)) for number, line in lines]


# ---- SG_301: provider blocks ------------------------------------------------------------------

PROVIDER_FIELDS = ("access_key", "secret_key", "token")


@verdict("SG_301", "terraform")
def provider_credentials(res: TfResource) -> list[str]:
    return [reason(field, kind_of(value), value) for field in PROVIDER_FIELDS
            if is_literal(value := res.value([field]))]


# ---- SG_302: Managed Flink property groups ----------------------------------------------------

def _property_reasons(group_id: Any, properties: dict[str, list[Any]]) -> list[str]:
    """A property map: a key named like an AWS credential with a literal value, or any value holding
    access key IDs (or, beside one in the same map, a 40-character secret key)."""
    beside_id = any(access_key_ids(v) for values in properties.values() for v in values if isinstance(v, str))
    reasons = []
    for key, values in properties.items():
        where = f"property {show(key)} in property group {show(group_id)}"
        for value in values:
            if not isinstance(value, str):
                continue
            if is_credential_name(key, _AWS_CREDENTIAL_NAMES) and is_literal(value):
                reasons.append(reason(where, kind_of(value), value))
            reasons += [reason(where, ID, key_id) for key_id in access_key_ids(value)]
            if beside_id and _WHOLE_SECRET_KEY.match(value):
                reasons.append(reason(where, SECRET_KEY, value))
    return reasons


def _map_of(value: Any) -> dict:
    """A map attribute as Checkov or plan JSON gives it: a dict, or a one-element list holding one."""
    if isinstance(value, list) and len(value) == 1:
        value = value[0]
    return value if isinstance(value, dict) else {}


@verdict("SG_302", "terraform")
def flink_properties_tf(res: TfResource) -> list[str]:
    res = source_view(res)
    reasons = []
    groups = [group for app in res.blocks("application_configuration")
              for env in app.get("environment_properties") or [] if isinstance(env, dict)
              for group in env.get("property_group") or []]
    for group in groups:
        if isinstance(group, dict):
            properties = {k: [v] for k, v in _map_of(group.get("property_map")).items()
                          if isinstance(k, str) and not is_tf_expression(v)}
            group_id = group.get("property_group_id")
            reasons += _property_reasons(None if is_tf_expression(group_id) else group_id, properties)
    return reasons


@verdict("SG_302", "cloudformation")
def flink_properties_cfn(res: CfnResource) -> list[str]:
    reasons = []
    for groups in res.values_at(res.values, ["ApplicationConfiguration", "EnvironmentProperties", "PropertyGroups"]):
        for item in groups if isinstance(groups, list) else []:
            for group in res.values_of(item):
                for properties in res.values_of(prop(group, "PropertyMap")):
                    if isinstance(properties, dict):
                        values = {k: res.values_of(v) for k, v in properties.items()}
                        for group_id in res.values_of(prop(group, "PropertyGroupId")) or [None]:
                            reasons += _property_reasons(group_id, values)
    return reasons


# ---- SG_303: Firehose destination secrets -----------------------------------------------------

# destination block -> secret fields (a path inside the block), per format.
FIREHOSE_SECRET_FIELDS_TF = {
    "http_endpoint_configuration": (("access_key",),),
    "redshift_configuration": (("password",),),
    "splunk_configuration": (("hec_token",),),
    "snowflake_configuration": (("private_key",), ("key_passphrase",)),
}
FIREHOSE_SECRET_FIELDS_CFN = {
    "HttpEndpointDestinationConfiguration": (("EndpointConfiguration", "AccessKey"),),
    "RedshiftDestinationConfiguration": (("Password",),),
    "SplunkDestinationConfiguration": (("HECToken",),),
    "SnowflakeDestinationConfiguration": (("PrivateKey",), ("KeyPassphrase",)),
}


@verdict("SG_303", "terraform")
def firehose_secrets_tf(res: TfResource) -> list[str]:
    res = source_view(res)
    reasons = []
    for destination, fields in FIREHOSE_SECRET_FIELDS_TF.items():
        for block in res.blocks(destination):
            if any(isinstance(sm, dict) and not is_false(sm.get("enabled"))
                   for sm in block.get("secrets_manager_configuration") or []):
                continue
            for path in fields:
                value = block.get(path[0])
                if is_literal(value) and not is_tf_expression(value):
                    reasons.append(reason(".".join((destination, *path)), kind_of(value), value))
    return reasons


def _secrets_manager_configured(res: CfnResource, destination: dict) -> bool:
    """Every configuration the template can deploy reads the secret from Secrets Manager (an
    unresolvable setting is unknown, and counts as configured)."""
    configs = res.values_of(prop(destination, "SecretsManagerConfiguration"))
    return all(isinstance(sm, dict) and not any(is_false(e) for e in res.values_of(prop(sm, "Enabled")))
               for sm in configs)


@verdict("SG_303", "cloudformation")
def firehose_secrets_cfn(res: CfnResource) -> list[str]:
    reasons = []
    for destination_key, fields in FIREHOSE_SECRET_FIELDS_CFN.items():
        for destination in res.values_of(prop(res.values, destination_key)):
            if not isinstance(destination, dict) or _secrets_manager_configured(res, destination):
                continue
            for path in fields:
                for value in res.values_at(destination, list(path)):
                    if is_literal(value):
                        reasons.append(reason(".".join((destination_key, *path)), kind_of(value), value))
    return reasons


# ---- SG_304: access key IDs anywhere ----------------------------------------------------------

def _key_id_reasons(found: Iterator[tuple[str, str]]) -> list[str]:
    return [reason(where, ID, key_id) for where, text in found for key_id in access_key_ids(text)]


# A whole reference to a resource's attribute, as Checkov leaves it: the source view keeps it a
# reference too (RULES.md: unknown), so it never holds a key.
_RESOURCE_ATTRIBUTE = re.compile(r"^(\$\{)?[a-z][a-z0-9]*_[a-z0-9_]+\.[A-Za-z_][A-Za-z0-9_-]*(\[[^\]]*\])?"
                                 r"(\.[A-Za-z0-9_*-]+|\[[^\]]*\])*\}?$")


@precheck("SG_304", "terraform")
@precheck("SG_304", "cloudformation")
def could_hold_key_id(conf: Any) -> bool:
    """Whether Checkov's configuration of a resource has a value an access key ID could be in, or
    become where SG_304 reads it: a string of 20 characters or more or an expression (a variable or
    local the source view resolves), other than a reference to a resource's attribute, or a
    CloudFormation Ref (to a parameter's default). Most resources have none, and SG_304 then tells
    Checkov it does not apply (UNKNOWN, not reported) instead of a PASSED record per resource."""
    if isinstance(conf, str):
        return (len(conf) >= 20 or is_tf_expression(conf)) and not _RESOURCE_ATTRIBUTE.match(conf)
    if isinstance(conf, dict):
        return "Ref" in conf or any(could_hold_key_id(v) for k, v in conf.items() if not str(k).startswith("__"))
    if isinstance(conf, list):
        return any(could_hold_key_id(v) for v in conf)
    return False


@verdict("SG_304", "terraform")
def access_keys_tf(item: TfResource | Section) -> list[str]:
    values = source_view(item).values if isinstance(item, TfResource) else item.values
    return _key_id_reasons((where, text) for where, text in strings(values) if not is_tf_expression(text))


@verdict("SG_304", "cloudformation", every_block=True)
def access_keys_cfn(item: CfnResource | Section) -> list[str]:
    if isinstance(item, CfnResource):
        return _key_id_reasons(_cfn_strings(item.body, item.template.get("Parameters") or {}))
    return _key_id_reasons(_cfn_strings(item.values, item.parameters))


# ---- SG_305: S3 object content ----------------------------------------------------------------

@verdict("SG_305", "terraform")
def s3_object_content(res: TfResource) -> list[str]:
    res = source_view(res)
    texts = [("content", res.value(["content"])), ("content_base64 (decoded)", decoded(res.value(["content_base64"])))]
    return [reason(where, kind, secret) for where, text in texts if isinstance(text, str)
            for kind, secret in text_credentials(text)]


# ---- SG_306: IAM access keys ------------------------------------------------------------------

def _access_key_reasons(users: list[Any]) -> list[str]:
    named = [f"the key belongs to IAM user {show(u)}" for u in users if isinstance(u, str)]
    return named or ["the key belongs to an IAM user"]


@verdict("SG_306", "terraform")
def iam_access_key_tf(res: TfResource) -> list[str]:
    return _access_key_reasons([source_view(res).value(["user"])])


@verdict("SG_306", "cloudformation")
def iam_access_key_cfn(res: CfnResource) -> list[str]:
    return _access_key_reasons(res.values_of(prop(res.values, "UserName")))
