"""streamguard: policy-as-code rules for AWS streaming pipelines, for Checkov and OPA/Rego."""

__version__ = "0.1.0"
