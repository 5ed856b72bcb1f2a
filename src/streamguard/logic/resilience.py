"""Verdicts of the resilience (SG_7xx) rules; policies/rules/ holds their Rego twins."""
