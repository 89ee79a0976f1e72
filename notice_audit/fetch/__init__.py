"""The fetch stage: turn targets (files, folders, URLs) into Pages.

Only this package touches the network. A target that cannot be read raises
``FetchError`` with a reason a person can act on; the caller records it in
the report's errors and goes on with the other targets. ``client.Fetcher`` is
the polite, safe HTTP fetcher (robots.txt, per-host limits, retries, size
caps, snapshots); ``discover`` and ``parts`` find notices and their parts.
"""

from __future__ import annotations

from notice_audit.fetch.client import Fetcher, FetchStats, fetch_page
from notice_audit.fetch.config import FetchConfig
from notice_audit.fetch.local import Disallowed, FetchError, is_url, read_local
from notice_audit.fetch.robots import RobotsPolicy
from notice_audit.fetch.store import Snapshot, SnapshotStore

__all__ = [
    "Disallowed", "FetchConfig", "FetchError", "FetchStats", "Fetcher", "RobotsPolicy", "Snapshot", "SnapshotStore",
    "fetch_page", "is_url", "read_local",
]
