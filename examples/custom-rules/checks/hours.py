"""Retention hours as the ACME rules read them: a number, or digits (a parameter's default)."""


def hours(value):
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None
