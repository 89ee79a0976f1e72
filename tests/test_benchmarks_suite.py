"""The test-suite section's reading of pytest's JUnit XML (its run is a benchmark, not a test)."""

from __future__ import annotations

from benchmarks.run_all import suite_files

JUNIT = """<?xml version="1.0" encoding="utf-8"?>
<testsuites><testsuite name="pytest" tests="5">
<testcase classname="tests.test_browser" name="test_axe[desktop]" time="4.25"/>
<testcase classname="tests.test_browser" name="test_axe[phone]" time="3.75"/>
<testcase classname="tests.test_cli.TestExits" name="test_usage_error" time="0.5"/>
<testcase classname="tests.test_cli" name="test_help" time="1.5"/>
<testcase classname="tests.test_values_periods" name="test_years" time="0.125"><skipped message="x"/></testcase>
</testsuite></testsuites>
"""


def test_tests_are_summed_by_file_heaviest_first() -> None:
    assert suite_files(JUNIT) == [
        ("tests/test_browser.py", 8.0, 2),
        ("tests/test_cli.py", 2.0, 2),  # a class's tests count towards its file
        ("tests/test_values_periods.py", 0.125, 1),
    ]


def test_files_of_equal_time_are_in_name_order_and_a_case_without_time_counts_none() -> None:
    junit = ('<testsuites><testsuite><testcase classname="tests.test_b" name="t" time="1"/>'
             '<testcase classname="tests.test_a" name="t" time="1"/>'
             '<testcase classname="tests.test_a" name="u"/></testsuite></testsuites>')
    assert suite_files(junit) == [("tests/test_a.py", 1.0, 2), ("tests/test_b.py", 1.0, 1)]
