"""The fetch stage: turn targets (files, folders, URLs) into Pages.

Only this package touches the network. A target that cannot be read raises
``TargetError``-worthy ``FetchError`` with a reason a person can act on; the
caller records it and goes on with the other targets.
"""

from __future__ import annotations

from notice_audit.fetch.local import FetchError, is_url, read_local
from notice_audit.fetch.web import fetch_url

__all__ = ["FetchError", "fetch_url", "is_url", "read_local"]
