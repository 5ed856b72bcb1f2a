"""Verdicts of the embedded-credential (SG_3xx) rules; policies/rules/ holds their Rego twins."""
