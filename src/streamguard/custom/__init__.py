"""A team's own rules (a rule pack) beside the built-in ones: loading, scaffolding and testing it."""
