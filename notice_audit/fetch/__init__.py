"""The fetch stage: URLs become Pages, politely and safely; it knows HTTP, not formats.

Only this package touches the network. A target that cannot be read raises
``FetchError`` with a reason a person can act on; the caller records it in
the report's errors and goes on with the other targets. ``client.Fetcher`` is
the polite, safe HTTP fetcher (robots.txt, per-host limits, retries, size
caps, snapshots), told which replies are pages by ``ContentTypes``. Which
formats those are, local files, and the discovery of notices and their parts
live in ``notice_audit.sources``, above this stage and the parse stage.
"""

from __future__ import annotations

from notice_audit.fetch.client import ContentTypes, Fetcher, FetchStats
from notice_audit.fetch.config import FetchConfig
from notice_audit.fetch.local import Disallowed, FetchError, is_url
from notice_audit.fetch.robots import RobotsPolicy
from notice_audit.fetch.store import Snapshot, SnapshotStore

__all__ = [
    "ContentTypes", "Disallowed", "FetchConfig", "FetchError", "FetchStats", "Fetcher", "RobotsPolicy", "Snapshot",
    "SnapshotStore", "is_url",
]
