"""A toy output format, made as a real one is: one module defining ``FORMAT``. It counts the notices of
a report by gate status, one ``status count`` line each, for tests that add a format from outside."""

from __future__ import annotations

from collections import Counter

from notice_audit.formats.base import Format
from notice_audit.model import AuditReport


def render(report: AuditReport) -> str:
    counts = Counter("passed" if n.passed else "failed" for n in report.notices)
    return "".join(f"{status} {counts[status]}\n" for status in ("passed", "failed"))


FORMAT = Format("toy", ("toy.txt",), render)
