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


class InputErrors(InputError):
    """Several bad input files at once: every one is reported (up to `CAP`, then how many more), one line each."""

    CAP = 20

    def __init__(self, errors: list[InputError]):
        self.errors = list(errors)
        first = self.errors[0]
        super().__init__(first.file, first.line, first.message)

    def __reduce__(self):
        return (self.__class__, (self.errors,))

    def lines(self) -> list[str]:
        out = [str(e) for e in self.errors[: self.CAP]]
        if len(self.errors) > self.CAP:
            out.append(f"… and {len(self.errors) - self.CAP} more bad files ({len(self.errors)} in all)")
        return out

    def __str__(self) -> str:
        return "\n".join(self.lines())


def raise_collected(errors: list[InputError]) -> None:
    """Raise the errors collected over several files: one as it is, several together."""
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise InputErrors(errors)
