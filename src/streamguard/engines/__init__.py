"""The engines that evaluate streamguard's rules: the embedded Rego engine, `opa`, and Checkov."""
