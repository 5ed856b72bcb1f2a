"""Verdicts of the audit and monitoring (SG_6xx) rules; policies/rules/ holds their Rego twins."""
