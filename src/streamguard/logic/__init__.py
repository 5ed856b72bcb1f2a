"""Rule logic for the Checkov checks: resource views over Checkov's input, and the verdict of each rule.

The Rego policies in policies/ implement the same verdicts; the fixtures and the parity test keep
the two equal. Every function here treats a value it cannot resolve as unknown, never as a failure.
"""
