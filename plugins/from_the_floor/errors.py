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
        said: str | None = None,
    ) -> None:
        self.problem = problem
        self.path = Path(path) if path is not None else None
        self.field = field
        self.line = line
        # The problem as a person reads it, when that differs from the text kept for scripts
        # (`floor check --json` keeps a date as 2026-12-15, the terminal says "Tue 15 Dec 2026").
        self.said = said
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
        return f"{where}{field}{self.said or self.problem}"

    def __reduce__(self):  # keep path, field, line and the people's text when sent between processes
        return (_rebuild, (type(self), self.problem, self.path, self.field, self.line, self.said))

    def as_dict(self) -> Problem:
        """The problem for scripts: `floor check --json`'s documented keys only, dates in ISO form.
        The people's text rides along as ``Problem.said``, never a key, so no JSON output built
        from this dict can print it."""
        found = Problem(
            file=str(self.path) if self.path is not None else None,
            line=self.line,
            field=self.field,
            problem=self.problem,
        )
        found.said = self.said
        return found


class Problem(dict):
    """A problem's documented keys (file, line, field, problem), with the text a person reads
    ("Tue 15 Dec 2026" where scripts get 2026-12-15) as an attribute: only the terminal's
    caller (`commands/report.format_problem`) reads it; json.dumps sees the keys alone."""

    said: str | None = None


def _rebuild(
    cls: type[FloorError],
    problem: str,
    path: Path | None,
    field: str | None,
    line: int | None,
    said: str | None = None,
) -> FloorError:
    return cls(problem, path=path, field=field, line=line, said=said)


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
