"""The one exception a loader raises for a file it cannot read."""


class InputError(Exception):
    """A file that looked like an input but could not be read; the message is one line, no secrets."""

    def __init__(self, path: str, reason: str):
        self.path = path
        self.reason = " ".join(str(reason).split())[:300]
        super().__init__(f"{path}: {self.reason}")
