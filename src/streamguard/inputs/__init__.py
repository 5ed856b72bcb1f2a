"""Loaders that turn files into the documents the Rego policies read (and the CFN checks share)."""
