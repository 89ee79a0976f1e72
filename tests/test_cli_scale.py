"""Large runs: ``--jobs`` (worker processes) and the streamed JSON Lines report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from notice_audit.app.cli import main
from notice_audit.formats.json import validation_errors
from tests.test_cli import GOOD, POOR


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Six notices of two kinds, and one file that cannot be parsed."""
    root = tmp_path / "notices"
    root.mkdir()
    for k in range(3):
        (root / f"a{k}-tenancy.html").write_text(GOOD.replace("six years", f"{k + 2} years"))
        (root / f"b{k}-garden.txt").write_text(POOR)
    (root / "c-empty.html").write_text("<html><body><nav>Home</nav></body></html>")
    return root


def _json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict]:
    code = main(["audit", *args, "--no-config", "--format", "json", "--output", "-"])
    return code, json.loads(capsys.readouterr().out)


def _without_times(data: dict) -> dict:
    return {k: v for k, v in data.items() if k != "generated_at"}


def test_jobs_give_the_same_report_in_the_same_order(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code1, one = _json(capsys, str(folder), "--jobs", "1")
    code2, two = _json(capsys, str(folder), "--jobs", "2")
    assert [n["source"] for n in one["notices"]] == sorted(n["source"] for n in one["notices"])
    assert _without_times(one) == _without_times(two) and code1 == code2 == 1
    assert len(two["notices"]) == 6 and [e["target"] for e in two["errors"]] == [str(folder / "c-empty.html")]


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_jsonl_streams_one_line_per_notice_and_matches_the_json_report(
        folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "run.jsonl"
    code = main(["audit", str(folder), "--no-config", "--jobs", "2", "--output", str(out)])  # format from .jsonl
    capsys.readouterr()
    lines = _lines(out)
    assert [line["type"] for line in lines] == ["run"] + ["notice"] * 6 + ["error", "summary"]
    _, whole = _json(capsys, str(folder))
    # The lines carry the same notices, errors, summary and gate as the JSON report.
    rebuilt = {**{k: v for k, v in lines[0].items() if k != "type"},
               "notices": [{k: v for k, v in line.items() if k != "type"} for line in lines[1:7]],
               "errors": [{k: v for k, v in lines[7].items() if k != "type"}],
               "summary": lines[-1]["summary"], "gate": lines[-1]["gate"], "fail_under": None}
    assert validation_errors(rebuilt) == []
    assert _without_times(rebuilt) == _without_times(whole)
    assert code == 1 and lines[-1]["summary"]["failed"] == 3


def test_jsonl_to_stdout_and_history_is_recorded(folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    history = tmp_path / "h.sqlite"
    monkeypatch.setenv("NOTICE_AUDIT_HISTORY", str(history))
    main(["audit", str(folder), "--no-config", "--format", "jsonl", "--output", "-"])
    first = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert first[-1]["type"] == "summary" and "since_last" not in first[-1]
    main(["audit", str(folder), "--no-config", "--format", "jsonl", "--output", "-", "--since-last"])
    second = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    since = second[-1]["since_last"]
    assert len(since["notices"]) == 6 and not any(n["content_changed"] for n in since["notices"])


def test_jsonl_run_that_audits_nothing_leaves_no_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "run.jsonl"
    code = main(["audit", str(tmp_path / "absent.html"), "--no-config", "--output", str(out)])
    assert code == 2 and "nothing could be audited" in capsys.readouterr().err
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_jobs_zero_means_every_core_and_negative_is_refused(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, data = _json(capsys, str(folder / "a0-tenancy.html"), "--jobs", "0")
    assert code == 0 and len(data["notices"]) == 1
    with pytest.raises(SystemExit):
        main(["audit", str(folder), "--jobs", "-1"])
    assert "is negative" in capsys.readouterr().err


def test_windows_of_work_keep_target_order(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Several windows (two files each), an unreadable target between them, sizes out of order."""
    import notice_audit.auditor as audit_module
    from notice_audit.model import TargetError
    from notice_audit.rules.checklist import load_checklist

    (folder / "a1-tenancy.html").write_text(GOOD * 8)  # the largest file is not the first
    targets = [str(folder / "b0-garden.txt"), str(folder / "a1-tenancy.html"), str(folder / "nope.html"),
               str(folder), str(folder / "a0-tenancy.html")]
    checklist = load_checklist("uk-gdpr")
    serial = list(audit_module.iter_audit(targets, checklist, jobs=1))
    monkeypatch.setattr(audit_module, "WINDOW_PER_JOB", 1)
    parallel = list(audit_module.iter_audit(targets, checklist, jobs=2))
    assert [getattr(r, "source", None) or r.target for r in parallel] == \
        [getattr(r, "source", None) or r.target for r in serial]
    assert [r.score if not isinstance(r, TargetError) else r.error for r in parallel] == \
        [r.score if not isinstance(r, TargetError) else r.error for r in serial]
    assert len(serial) == 2 + 1 + 7 + 1
