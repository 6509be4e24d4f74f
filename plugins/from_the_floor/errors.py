"""The one error type the CLI turns into a clean message and exit code 1."""

from __future__ import annotations

from pathlib import Path


class FloorError(Exception):
    """A problem with the site that the author can fix; never a traceback."""

    def __init__(
        self,
        problem: str,
        *,
        path: Path | str | None = None,
        field: str | None = None,
        line: int | None = None,
    ) -> None:
        self.problem = problem
        self.path = Path(path) if path is not None else None
        self.field = field
        self.line = line
        super().__init__(self.message)

    @property
    def message(self) -> str:
        where = ""
        if self.path is not None:
            where = str(self.path)
            if self.line is not None:
                where += f":{self.line}"
            where += ": "
        field = f"{self.field}: " if self.field else ""
        return f"{where}{field}{self.problem}"

    def __reduce__(self):  # keep path, field and line when sent between processes
        return (_rebuild, (type(self), self.problem, self.path, self.field, self.line))

    def as_dict(self) -> dict:
        return {
            "file": str(self.path) if self.path is not None else None,
            "line": self.line,
            "field": self.field,
            "problem": self.problem,
        }


def _rebuild(cls: type[FloorError], problem: str, path, field, line) -> FloorError:
    return cls(problem, path=path, field=field, line=line)


class FloorErrors(FloorError):
    """Several problems at once, so `floor check` can list them all."""

    def __init__(self, errors: list[FloorError]) -> None:
        self.errors = errors
        super().__init__("\n".join(e.message for e in errors))

    @property
    def message(self) -> str:  # type: ignore[override]
        return "\n".join(e.message for e in self.errors)

    def __reduce__(self):
        return (FloorErrors, (self.errors,))
