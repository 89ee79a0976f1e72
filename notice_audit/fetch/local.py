"""What the fetch stage raises, and how a target is told to be a URL (reading files is ``sources.files``)."""

from __future__ import annotations

from notice_audit.errors import FetchError as FetchError  # re-exported: where it was always imported from


class Disallowed(FetchError):
    """robots.txt disallows the URL (its rules, or a 401/403 for robots.txt itself): the page is skipped as the
    site asks, which is not a failure of the run. A robots.txt that could not be read is a plain FetchError."""


def is_url(target: str) -> bool:
    return target.lower().startswith(("http://", "https://"))
