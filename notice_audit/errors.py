"""The errors notice-audit raises: one base class, a few kinds.

Every error a user can cause carries a one-line message that names the file, URL or setting and the
problem. The command line maps :class:`NoticeAuditError` to exit 2 in one place; a library caller
catches the base class, or the kind it cares about. The kinds keep ``ValueError`` as a second base
where they always had it, so that callers catching ``ValueError`` still do.

- :class:`UsageError`: bad options or input (config, outputs, saved reports, git refs, splits, a
  snapshot store that cannot be used);
- :class:`ChecklistError`: a checklist that cannot be used;
- :class:`FetchError`: a target that could not be read or fetched (a run records it and goes on);
- :class:`ParseError`: content that cannot be read as a notice (recorded the same way);
- :class:`GateError`: a waiver, override or baseline that cannot be used;
- :class:`HistoryError`: a run history that cannot be used.
"""

from __future__ import annotations


class NoticeAuditError(Exception):
    """Anything notice-audit reports to its user as one line; the message names what is wrong."""


class UsageError(NoticeAuditError):
    """Bad options or input: reported on one line, exit 2."""


class ChecklistError(NoticeAuditError, ValueError):
    """A checklist that cannot be used, with where the problem is."""

    def __init__(self, file: str, message: str, *, item: str | None = None, path: str | None = None) -> None:
        self.file, self.item, self.path, self.detail = file, item, path, message
        where = file
        if item:
            where += f": item '{item}'"
        if path:
            where += f" (at {path})"
        super().__init__(f"{where}: {message}")


class FetchError(NoticeAuditError):
    """A target that could not be read or fetched; the message says why."""


class ParseError(NoticeAuditError, ValueError):
    """The content cannot be read as a notice: empty, binary or undecodable."""


class GateError(NoticeAuditError, ValueError):
    """A waiver, override or baseline that cannot be used; the message names the file."""


class HistoryError(NoticeAuditError):
    """The history database cannot be used; the message starts with its path and says what to do."""
