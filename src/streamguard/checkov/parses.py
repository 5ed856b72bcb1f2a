"""Streamguard's HCL loader takes Checkov's parse of each .tf file instead of parsing it again.

Checkov parses every .tf file of a scan with hcl2.load before any check runs, and parsing is most
of what streamguard's re-read of a module (streamguard.logic.tf_source) costs. install() (through
streamguard.checkov.install) replaces hcl2.load, which only Checkov calls, with one that also
offers each parse to streamguard.inputs.hcl under the exact text parsed. The loader takes an offer
only for the very text it read (Checkov reads with universal newlines, so a CRLF file is parsed
again); tf_source drops the offers no module took when the scan's checks end.
"""

from __future__ import annotations

from typing import Any

import hcl2

from streamguard.inputs import hcl


def _load_and_offer(file: Any) -> dict:
    """hcl2.load (hcl2.loads of the file's text), offering the parse."""
    text = file.read()
    parsed = hcl2.loads(text)
    hcl.offer_parse(text, parsed)
    return parsed


_load_and_offer.streamguard_offers = True  # type: ignore[attr-defined]


def install() -> None:
    """Replace hcl2.load, once."""
    if not getattr(hcl2.load, "streamguard_offers", False):
        hcl2.load = _load_and_offer
