"""Verdicts of the IAM least-privilege (SG_4xx) rules; policies/rules/ holds their Rego twins."""
