"""Verdicts of the encryption-in-transit (SG_5xx) rules; policies/rules/ holds their Rego twins."""
