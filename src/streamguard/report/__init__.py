"""Writers for scan results: text, json (and the CI formats)."""
