"""The national-review benchmark's arithmetic and wording (its run is a benchmark, not a test)."""

from __future__ import annotations

from pathlib import Path

from benchmarks.national import REVIEW_PAGES, Review, bare_parse_seconds, report


def test_the_review_is_extrapolated_from_the_measured_rate_and_says_so() -> None:
    review = Review(pages=2000, megabytes=190.0, seconds=400.0, peak_mb=250.0, jobs=2)
    assert review.pages_per_second == 5.0
    assert review.review_minutes == REVIEW_PAGES / 5.0 / 60
    text = report(review)
    assert "2,000 generated notices" in text and "`--jobs 2`" in text and "peak 250 MB" in text
    assert "(extrapolated, not measured): 133 minutes" in text


def test_the_floor_is_the_bare_parse_of_every_page_shared_by_the_cores_and_the_budget_what_the_target_leaves() -> None:
    review = Review(pages=2000, megabytes=190.0, seconds=400.0, peak_mb=250.0, jobs=2, bare_parse_s=0.036)
    assert review.budget_s == 15 * 60 * 2 / REVIEW_PAGES  # 45 ms of one core a page
    assert review.bare_minutes == REVIEW_PAGES * 0.036 / 2 / 60  # 12 minutes of parsing alone
    text = report(review)
    assert "takes 36 ms (every 10th page" in text and "on 2 cores take 12 minutes" in text
    assert "leaves each page 45 ms of one core" in text and "0.80x the speed of the bare parse" in text


def test_without_a_measured_floor_the_report_says_nothing_of_one() -> None:
    assert "floor" not in report(Review(pages=20, megabytes=2.0, seconds=4.0, peak_mb=90.0, jobs=2))


def test_the_bare_parse_is_timed_page_by_page(tmp_path: Path) -> None:
    pages = []
    for k in range(3):
        page = tmp_path / f"p{k}.html"
        page.write_text("<html><body>" + "<p>We keep your data for six years.</p>" * 200 * (k + 1) + "</body></html>")
        pages.append(page)
    assert bare_parse_seconds(pages) > 0
    assert bare_parse_seconds([]) == 0.0
