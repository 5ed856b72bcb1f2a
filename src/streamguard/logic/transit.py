"""Verdicts of the encryption-in-transit (SG_5xx) rules; policies/streamguard/rules/ holds their Rego twins.

Terraform is read through tf_source.source_view, the document the Rego engine evaluates: dynamic
blocks expanded as Terraform would, unresolved values left unknown.
"""

from __future__ import annotations

from typing import Any

from streamguard.logic.cfn import CfnResource
from streamguard.logic.registry import verdict
from streamguard.logic.tf import TfResource
from streamguard.logic.tf_source import nested, source_view
from streamguard.logic.values import is_false, show, upper_or_empty

_PLAINTEXT = {"PLAINTEXT", "TLS_PLAINTEXT"}


def _plain_url(url: Any) -> bool:
    """A literal URL whose scheme is not https (in any case); absent or empty names no endpoint."""
    return isinstance(url, str) and url != "" and not url.lower().startswith("https://")


@verdict("SG_501", "terraform")
def http_endpoint_https_tf(res: TfResource) -> list[str]:
    if any(_plain_url(block.value(["url"])) for block in nested(source_view(res), "http_endpoint_configuration")):
        return ["http_endpoint_configuration.url does not start with https://"]
    return []


@verdict("SG_501", "cloudformation")
def http_endpoint_https_cfn(res: CfnResource) -> list[str]:
    urls = res.values_at(res.values, ["HttpEndpointDestinationConfiguration", "EndpointConfiguration", "Url"])
    if any(_plain_url(url) for url in urls):
        return ["HttpEndpointDestinationConfiguration.EndpointConfiguration.Url does not start with https://"]
    return []


@verdict("SG_502", "terraform")
def msk_in_transit_tf(res: TfResource) -> list[str]:
    """Absent settings are the AWS defaults (TLS, in-cluster on); unresolved ones never match."""
    reasons = []
    for info in nested(source_view(res), "encryption_info"):
        for transit in nested(info, "encryption_in_transit"):
            broker = transit.value(["client_broker"])
            if upper_or_empty(broker) in _PLAINTEXT:
                reasons.append(f"encryption_in_transit.client_broker is {show(broker)}")
            if is_false(transit.value(["in_cluster"])):
                reasons.append("encryption_in_transit.in_cluster is false")
    return reasons


@verdict("SG_502", "cloudformation")
def msk_in_transit_cfn(res: CfnResource) -> list[str]:
    reasons = []
    for broker in res.values_at(res.values, ["EncryptionInfo", "EncryptionInTransit", "ClientBroker"]):
        if upper_or_empty(broker) in _PLAINTEXT:
            reasons.append(f"EncryptionInfo.EncryptionInTransit.ClientBroker is {show(broker)}")
    if any(is_false(v) for v in res.values_at(res.values, ["EncryptionInfo", "EncryptionInTransit", "InCluster"])):
        reasons.append("EncryptionInfo.EncryptionInTransit.InCluster is false")
    return reasons

