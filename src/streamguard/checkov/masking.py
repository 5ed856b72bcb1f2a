"""Keep credentials out of the code Checkov prints for streamguard's records (RULES.md: never print a secret).

Checkov prints each record's code lines: for failed records in its CLI, SARIF and JUnit output,
and for every record, passed ones too, in its JSON output. Its own masking
(checkov.common.util.secrets.omit_secret_value_from_checks) hides only the values a
SECRETS-category check stored under `<check id>_secret*` in the configuration, only when that
check failed, and keeps their first characters. A passing credential check, or any check of
another family on the same resource (a Firehose stream failing SG_102 that also holds a
Redshift password), would print the secret. install() (through streamguard.checkov.install) wraps
that function where Checkov's runners call it: after Checkov's own masking, every
credential streamguard's detector finds in the code lines or the entity's configuration is
masked in the lines, whatever the check and its result, and every control character in them is
escaped (streamguard.shown), so a scanned file cannot drive the terminal through Checkov either.

A runner masks an entity's records one after another, after all the entity's checks ran, with the
same code lines and configuration for every check whose own masking left the lines as they were:
the masked lines are worked out once for those, not once per check, and those records share them
(as they share the entity's lines when Checkov masks nothing).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from streamguard.logic.credentials import mask_lines, secrets_for_masking
from streamguard.shown import shown_code_line

# Where Checkov's runners call the masking function (each imported it by name).
_CALLERS = ("checkov.terraform.runner", "checkov.terraform.plan_runner", "checkov.cloudformation.runner")
_NAME = "omit_secret_value_from_checks"


def _also_mask_credentials(original: Callable[..., list]) -> Callable[..., list]:
    last_lines: Any = None  # the lines and configuration masked last, and the result
    last_config: Any = None
    masked: list = []

    def omit(check: Any, check_result: Any, entity_code_lines: list, entity_config: Any,
             resource_attributes_to_omit: Any = None) -> list:
        nonlocal last_lines, last_config, masked
        lines = original(check, check_result, entity_code_lines, entity_config, resource_attributes_to_omit)
        if lines is not last_lines or entity_config is not last_config:
            last_lines, last_config = lines, entity_config
            masked = [(number, shown_code_line(line) if isinstance(line, str) else line)
                      for number, line in mask_lines(lines, secrets_for_masking(entity_config))]
        return masked

    omit.streamguard_masking = True  # type: ignore[attr-defined]
    return omit


def install() -> None:
    """Wrap the masking function in each runner module, once."""
    for name in _CALLERS:
        module = importlib.import_module(name)
        original = getattr(module, _NAME)
        if not getattr(original, "streamguard_masking", False):
            setattr(module, _NAME, _also_mask_credentials(original))
