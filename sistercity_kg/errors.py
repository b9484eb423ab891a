"""The one error users see for bad input: file, line, what was expected (exit status 2, no traceback)."""
from __future__ import annotations

from pathlib import Path


class InputError(Exception):
    """Bad input: names the file, the line (when known) and what was expected."""

    def __init__(self, file: str | Path | None, line: int | None, message: str):
        self.file = str(file) if file is not None else None
        self.line = line
        self.message = message
        super().__init__(str(self))

    def __reduce__(self):  # so that an error raised in a worker process reaches the parent intact
        return (self.__class__, (self.file, self.line, self.message))

    def __str__(self) -> str:
        if self.file is None:
            return self.message
        where = self.file + (f":{self.line}" if self.line else "")
        return f"{where}: {self.message}"
