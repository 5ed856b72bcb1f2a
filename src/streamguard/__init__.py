"""streamguard: policy-as-code rules for AWS streaming pipelines, for Checkov and OPA/Rego."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("streamguard")  # pyproject.toml holds the one version number
except PackageNotFoundError:  # imported from a source tree that was never installed
    __version__ = "unknown"
