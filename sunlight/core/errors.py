"""One error shape for every failed use case: a list of (field, code, message), message in Chinese.

Views turn it into form errors on the page, the API into `{"errors": [{"field", "code", "message"}]}`, commands into
a message on stderr and a non-zero exit.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Self


@dataclass(frozen=True)
class FieldError:
    """One problem with one input field ("" or "__all__" for the request as a whole)."""

    field: str
    code: str
    message: str


class ServiceError(Exception):
    """A use case refused its input; nothing was changed."""

    status = 400

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__("; ".join(f"{e.field}: {e.message}" for e in errors))
        self.errors = errors

    @classmethod
    def single(cls, field: str, code: str, message: str) -> Self:
        """An error about one field."""
        return cls([FieldError(field, code, str(message))])

    def as_dicts(self) -> list[dict[str, str]]:
        """The errors as plain dictionaries for JSON."""
        return [asdict(e) for e in self.errors]


class Forbidden(ServiceError):
    """The acting user may not do this (the refusal is audited before this is raised)."""

    status = 403


class NotFound(ServiceError):
    """The object does not exist, or is outside what the user may see (the two are not told apart)."""

    status = 404
