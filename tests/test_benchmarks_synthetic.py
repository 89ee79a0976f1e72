"""The benchmarks' synthetic corpus: seeded, sized as asked, and notices the audit reads as such."""

from __future__ import annotations

from pathlib import Path

from benchmarks.synthetic import corpus
from notice_audit.auditor import audit_targets
from notice_audit.rules.checklist import load_checklist


def test_same_seed_same_files_and_sizes_in_range(tmp_path: Path) -> None:
    one = corpus(tmp_path / "a", 6, seed=3, min_bytes=5 * 1024, max_bytes=40 * 1024)
    two = corpus(tmp_path / "b", 6, seed=3, min_bytes=5 * 1024, max_bytes=40 * 1024)
    other = corpus(tmp_path / "c", 6, seed=4, min_bytes=5 * 1024, max_bytes=40 * 1024)
    assert [p.read_bytes() for p in one] == [p.read_bytes() for p in two]
    assert [p.read_bytes() for p in one] != [p.read_bytes() for p in other]
    for path in one:
        assert 4 * 1024 <= path.stat().st_size <= 48 * 1024, path  # near the asked size


def test_pages_have_furniture_that_the_parser_drops(tmp_path: Path) -> None:
    paths = corpus(tmp_path, 3, seed=1, min_bytes=8 * 1024, max_bytes=16 * 1024)
    html = paths[0].read_text()
    assert "<nav" in html and "<footer" in html and "<table" in html and "<li" in html
    report = audit_targets([str(tmp_path)], load_checklist("uk-gdpr"))
    assert len(report.notices) == 3 and not report.errors
    assert all(n.score > 50 for n in report.notices)  # realistic notices, not noise
