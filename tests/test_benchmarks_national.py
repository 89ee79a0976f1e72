"""The national-review benchmark's arithmetic and wording (its run is a benchmark, not a test)."""

from __future__ import annotations

from benchmarks.national import REVIEW_PAGES, Review, report


def test_the_review_is_extrapolated_from_the_measured_rate_and_says_so() -> None:
    review = Review(pages=2000, megabytes=190.0, seconds=400.0, peak_mb=250.0, jobs=2)
    assert review.pages_per_second == 5.0
    assert review.review_minutes == REVIEW_PAGES / 5.0 / 60
    text = report(review)
    assert "2,000 generated notices" in text and "`--jobs 2`" in text and "peak 250 MB" in text
    assert "(extrapolated, not measured): 133 minutes" in text
