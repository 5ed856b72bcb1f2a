"""Verdicts of the keys (SG_2xx) rules; policies/rules/ holds their Rego twins."""
