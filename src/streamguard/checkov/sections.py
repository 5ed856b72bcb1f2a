"""Checkov checks for the template entries Checkov's runners never check (SG_304's non-resource findings).

Checkov checks Terraform resources, data sources, providers and (HCL only) module calls, and
CloudFormation Resources; nothing else ever reaches a check, and every record names the entity
that was checked. RULES.md wants an access key in a Terraform variable, local, output or
plan-JSON module call, or in a CloudFormation Parameter, Mapping or Output, reported at that
entry's own address (variable.x, Parameters.X...), exactly as the Rego policies report it.

install() (through streamguard.checkov.install) extends Checkov's Terraform, Terraform plan and
CloudFormation runners: after a runner has checked its definitions, it runs the section checks
registered here over the entries of the same files, read with streamguard's loaders into the shape
the Rego policies read (streamguard.logic.sections), and adds their records to its report.
Checkov's filters (--check, --skip-check, severities) apply as to any check. The records show no
code, only the entry's file and line.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from checkov.cloudformation.runner import Runner as CloudFormationRunner
from checkov.common.bridgecrew.check_type import CheckType
from checkov.common.checks.base_check import BaseCheck
from checkov.common.checks.base_check_registry import BaseCheckRegistry
from checkov.common.output.record import Record
from checkov.common.output.report import Report
from checkov.runner_filter import RunnerFilter
from checkov.terraform.plan_runner import Runner as PlanRunner
from checkov.terraform.runner import Runner as TerraformRunner

from streamguard.inputs import cfn as cfn_input
from streamguard.inputs.errors import InputError
from streamguard.inputs.module_instances import call_address
from streamguard.logic import tf_source
from streamguard.logic.sections import Section, cloudformation_sections, terraform_sections


class SectionRegistry(BaseCheckRegistry):
    """The section checks of one format. An entity is {address: {"section": Section}}."""

    def extract_entity_details(self, entity: dict[str, Any]) -> tuple[str, str, dict[str, Any]]:
        address, conf = next(iter(entity.items()))
        return conf["section"].kind, address, conf


TERRAFORM = SectionRegistry(CheckType.TERRAFORM)
CLOUDFORMATION = SectionRegistry(CheckType.CLOUDFORMATION)


class SectionCheck(BaseCheck):
    """A check of template entries of the kinds it names (variable, locals, output, module; Parameters...)."""

    def __init__(self, name: str, id: str, categories: list, kinds: list[str], guideline: str,
                 registry: SectionRegistry) -> None:
        super().__init__(name=name, id=id, categories=categories, supported_entities=kinds,
                         block_type="section", guideline=guideline)
        registry.register(self)

    def scan_entity_conf(self, conf: dict[str, Any], entity_type: str) -> Any:
        return self.scan_section(conf["section"])

    def scan_section(self, section: Section) -> Any:
        raise NotImplementedError


def _relative(path: str, root_folder: str | None) -> str:
    """A file as Checkov names it in records: below the scanned root, with a leading separator."""
    return f"{os.sep}{os.path.relpath(path, root_folder)}"


def _check(registry: SectionRegistry, sections: list[Section], file_of: Callable[[Section], tuple[str, int]],
           root_folder: str | None, runner_filter: RunnerFilter, report: Report, report_type: str,
           skips: dict[str, list[dict]] | None = None, prefix: str = "") -> None:
    """Run the registry's checks on each entry and add one record per check that ran. `skips` are the
    in-source suppressions the HCL loader read inside a block ({"id", "comment"} per address);
    `prefix` names the module instance the entries belong to (`module.a[0].`)."""
    for section in sections:
        path, line = file_of(section)
        scanned_file = _relative(path, root_folder)
        skipped = [{"id": s["id"], "suppress_comment": s["comment"]} for s in (skips or {}).get(section.address, [])]
        section = dataclasses.replace(section, address=prefix + section.address)
        results = registry.scan(scanned_file, {section.address: {"section": section}}, skipped, runner_filter,
                                report_type=report_type)
        for check, result in results.items():
            record = Record(check_id=check.id, bc_check_id=check.bc_id, check_name=check.name, check_result=result,
                            code_block=[], file_path=scanned_file, file_line_range=[line, line],
                            resource=section.address, evaluations=None, check_class=check.__class__.__module__,
                            file_abs_path=os.path.abspath(path), severity=check.severity, details=check.details)
            record.set_guideline(check.guideline)
            report.add_record(record=record)


def _module_prefix(module: Any) -> str:
    """`module.a[0].module.b.` for a definition Checkov loaded through call a[0], then b (its
    TFModule names the innermost call; nested_tf_module the one that called it)."""
    names = []
    while module is not None:
        names.append(call_address(module.name, module.foreach_idx))
        module = module.nested_tf_module
    return "".join(reversed(names))


def _terraform(runner: TerraformRunner, report: Report, root_folder: str | None, runner_filter: RunnerFilter,
               *_: Any) -> None:
    """Each module directory Checkov read, once per instance of it, as the HCL loader reads it with
    the values that instance's call passes (the document the resource checks read through
    streamguard.logic.tf_source). Module calls are left to
    Checkov's own module checks."""
    directories: dict[tuple[str, str], list[Path]] = {}
    calls: dict[tuple[str, str], Any] = {}
    for key in runner.definitions or {}:
        call = getattr(key, "tf_source_modules", None)
        instance = (os.path.dirname(key.file_path), _module_prefix(call))
        directories.setdefault(instance, []).append(Path(key.file_path))
        calls[instance] = call
    for directory, prefix in sorted(directories):
        files = sorted(set(directories[directory, prefix]))
        passed = tf_source.passed_values(directory, prefix, calls[directory, prefix])
        document = tf_source.module_document(files, passed)
        if document is None:
            continue
        locations = document["streamguard"]["locations"]

        def file_of(section: Section, locations: dict = locations, files: list[Path] = files) -> tuple[str, int]:
            loc = locations.get(section.address) or {}
            return str(loc.get("file") or files[0]), int(loc.get("line") or 1)

        sections = [s for s in terraform_sections(document) if s.kind != "module"]
        _check(TERRAFORM, sections, file_of, root_folder, runner_filter, report, CheckType.TERRAFORM,
               document["streamguard"].get("suppressions"), prefix)


_JSON_KEY = '"{}"\\s*:'


def _plan(runner: PlanRunner, report: Report, root_folder: str | None, runner_filter: RunnerFilter,
          *_: Any) -> None:
    """Each plan file Checkov read: its configuration's variables, locals, outputs and module calls."""
    for key in runner.definitions or {}:
        path = str(getattr(key, "file_path", key))
        try:
            text = Path(path).read_text(encoding="utf-8-sig")
            document = json.loads(text)
        except (OSError, ValueError):
            continue
        if not isinstance(document, dict):
            continue

        def file_of(section: Section, path: str = path, text: str = text) -> tuple[str, int]:
            """The line of the entry's name after its section's key in the configuration."""
            section_key = {"variable": "variables", "locals": "locals", "output": "outputs",
                           "module": "module_calls"}[section.kind]
            start = text.find(f'"{section_key}"', max(text.find('"configuration"'), 0))
            name = section.address.split(".", 1)[1]
            match = re.compile(_JSON_KEY.format(re.escape(name))).search(text, max(start, 0))
            return path, text.count("\n", 0, match.start()) + 1 if match else 1

        _check(TERRAFORM, terraform_sections(document), file_of, root_folder, runner_filter, report,
               CheckType.TERRAFORM_PLAN)


def _cloudformation(runner: CloudFormationRunner, root_folder: str | None, runner_filter: RunnerFilter,
                    report: Report) -> None:
    """Each template Checkov read: its Parameters, Mappings and Outputs."""
    for path in runner.definitions or {}:
        try:
            template = cfn_input.load(str(path))
        except InputError:
            continue
        if template is None:
            continue

        def file_of(section: Section, path: str = str(path), lines: dict = template.lines) -> tuple[str, int]:
            return path, lines.get(section.address, 1)

        _check(CLOUDFORMATION, cloudformation_sections(template.body), file_of, root_folder, runner_filter, report,
               CheckType.CLOUDFORMATION)


def _run_after(cls: type, method: str, sections: Callable[..., None],
               within: Callable[[], contextlib.AbstractContextManager] = contextlib.nullcontext) -> None:
    """cls.method, then `sections` with the same arguments, both within `within()`; once, however
    often install() runs."""
    original = getattr(cls, method)
    if getattr(original, "streamguard_sections", False):
        return

    @functools.wraps(original)
    def checked(self: Any, *args: Any, **kwargs: Any) -> Any:
        with within():
            result = original(self, *args, **kwargs)
            sections(self, *args, **kwargs)
        return result

    checked.streamguard_sections = True  # type: ignore[attr-defined]
    setattr(cls, method, checked)


def install() -> None:
    """Run the section checks after each runner's own checks. Terraform's resource checks and
    section checks share one read of each module."""
    _run_after(TerraformRunner, "check_tf_definition", _terraform, within=tf_source.one_read_per_module)
    _run_after(PlanRunner, "check_tf_definition", _plan)
    _run_after(CloudFormationRunner, "check_definitions", _cloudformation)
