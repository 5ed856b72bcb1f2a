"""The rule catalog: the only reader of catalog/, and the only place rule metadata comes from."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import jsonschema
import yaml

from streamguard.paths import CATALOG_DIR

SEVERITY_ORDER = {"LOW": 1, "MEDIUM": 2, "HIGH": 3}
FORMATS = ("terraform", "cloudformation")


class CatalogError(Exception):
    """A catalog file is missing, unreadable or does not match catalog/schema.json."""


@dataclass(frozen=True)
class Family:
    name: str
    prefix: int
    title: str
    checkov_category: str


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    family: Family
    severity: str
    description: str
    resource_types: dict[str, list[str]]
    message: str
    remediation: dict[str, str]
    resolves: str
    seed_file: str
    seed_quote: str
    references: list[str]
    fails_on_existence: bool = False

    @property
    def formats(self) -> tuple[str, ...]:
        """The formats (terraform, cloudformation) this rule applies to."""
        return tuple(f for f in FORMATS if f in self.resource_types)

    @property
    def package(self) -> str:
        """The Rego package of the rule's policy."""
        return f"streamguard.rules.{self.id.lower()}"

    def as_dict(self) -> dict:
        """Plain metadata, as templates and reports use it."""
        return {
            "id": self.id,
            "title": self.title,
            "family": self.family.name,
            "family_title": self.family.title,
            "severity": self.severity,
            "description": self.description,
            "resource_types": self.resource_types,
            "message": self.message,
            "remediation": self.remediation,
            "resolves": self.resolves,
            "seed": {"file": self.seed_file, "quote": self.seed_quote},
            "references": self.references,
            "fails_on_existence": self.fails_on_existence,
        }


def _load_yaml(path: Path) -> dict:
    try:
        with path.open(encoding="utf-8") as fh:
            data = yaml.safe_load(fh)
    except (OSError, yaml.YAMLError) as exc:
        raise CatalogError(f"{path}: {exc}") from exc
    if not isinstance(data, dict):
        raise CatalogError(f"{path}: expected a mapping")
    return data


@cache
def families(catalog_dir: Path = CATALOG_DIR) -> dict[str, Family]:
    raw = _load_yaml(catalog_dir / "families.yaml")
    return {name: Family(name=name, **spec) for name, spec in raw.items()}


@cache
def rules(catalog_dir: Path = CATALOG_DIR) -> dict[str, Rule]:
    """All rules, keyed by ID, validated against the schema and checked for consistency."""
    schema = json.loads((catalog_dir / "schema.json").read_text(encoding="utf-8"))
    fams = families(catalog_dir)
    out: dict[str, Rule] = {}
    for path in sorted(catalog_dir.glob("SG_*.yaml")):
        data = _load_yaml(path)
        try:
            jsonschema.validate(data, schema)
        except jsonschema.ValidationError as exc:
            raise CatalogError(f"{path}: {exc.message} at {list(exc.absolute_path)}") from exc
        if path.stem != data["id"]:
            raise CatalogError(f"{path}: file name does not match id {data['id']}")
        family = fams[data["family"]]
        if int(data["id"][3]) != family.prefix:
            raise CatalogError(f"{path}: {data['id']} is not in family {family.name} ({family.prefix}xx)")
        if set(data["remediation"]) != set(data["resource_types"]):
            raise CatalogError(f"{path}: remediation must be given for exactly the formats in resource_types")
        out[data["id"]] = Rule(
            id=data["id"],
            title=data["title"],
            family=family,
            severity=data["severity"],
            description=data.get("description", ""),
            resource_types=data["resource_types"],
            message=data["message"],
            remediation=data["remediation"],
            resolves=data.get("resolves", ""),
            seed_file=data["seed"]["file"],
            seed_quote=data["seed"]["quote"],
            references=data["references"],
            fails_on_existence=data.get("fails_on_existence", False),
        )
    return out


def rule(rule_id: str) -> Rule:
    try:
        return rules()[rule_id]
    except KeyError:
        raise CatalogError(f"unknown rule {rule_id}") from None

