"""The fetch stage: URLs become Pages, politely and safely; it knows HTTP, not formats.

Only this package touches the network. A target that cannot be read raises
``FetchError`` with a reason a person can act on; the caller records it in
the report's errors and goes on with the other targets. ``client.Fetcher`` is
the polite, safe HTTP fetcher (robots.txt, per-host limits, retries, size
caps, snapshots), told which replies are pages by ``ContentTypes``. Which
formats those are, local files, and the discovery of notices and their parts
live in ``notice_audit.sources``, above this stage and the parse stage.

Importing the package imports none of them: each name comes from its module when first asked
for (PEP 562), so that a run that only asks ``is_url`` of its targets does not load the HTTP client.
"""

from __future__ import annotations

import typing as _typing

from notice_audit.lazy import lazy_exports as _lazy_exports

if _typing.TYPE_CHECKING:  # what type checkers see; at run time ``__getattr__`` imports each on first use
    from notice_audit.fetch.client import ContentTypes, Fetcher, FetchStats
    from notice_audit.fetch.config import FetchConfig
    from notice_audit.fetch.local import Disallowed, FetchError, is_url
    from notice_audit.fetch.robots import RobotsPolicy
    from notice_audit.fetch.store import Snapshot, SnapshotStore

__all__ = [
    "ContentTypes", "Disallowed", "FetchConfig", "FetchError", "FetchStats", "Fetcher", "RobotsPolicy", "Snapshot",
    "SnapshotStore", "is_url",
]

#: Where each name is defined, read by ``__getattr__``.
_WHERE = {
    "ContentTypes": "notice_audit.fetch.client", "Fetcher": "notice_audit.fetch.client",
    "FetchStats": "notice_audit.fetch.client", "FetchConfig": "notice_audit.fetch.config",
    "Disallowed": "notice_audit.fetch.local", "FetchError": "notice_audit.fetch.local",
    "is_url": "notice_audit.fetch.local", "RobotsPolicy": "notice_audit.fetch.robots",
    "Snapshot": "notice_audit.fetch.store", "SnapshotStore": "notice_audit.fetch.store",
}

__getattr__, __dir__ = _lazy_exports(globals(), _WHERE)
