"""Errors a user sees: one line naming the file and the problem, never a traceback."""


class GxauditError(Exception):
    """Base of the errors the CLI turns into a one-line message."""


class InputError(GxauditError):
    """A file that cannot be read, or is not a report."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason
