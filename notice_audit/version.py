"""The installed version: a module of its own, so that every module can read it without importing the package
(whose ``__init__`` imports the public API, and so almost everything)."""

import importlib.metadata as _metadata

try:
    __version__ = _metadata.version("notice-audit")
except _metadata.PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.1.0"
