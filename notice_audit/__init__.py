"""notice-audit: audit privacy notices against the UK GDPR right-to-be-informed checklist."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("notice-audit")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.1.0"
