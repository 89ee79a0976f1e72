"""Files of unknown format: read as text with a warning that reaches every report; binary files refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from notice_audit.app.cli import main
from notice_audit.formats.json import validation_errors
from notice_audit.formats.load import load_report
from notice_audit.model import Page
from notice_audit.parse import ParseError, in_folder_walk, media_type_for, parse_page
from notice_audit.sources.files import local_files

NOTICE = """Library privacy notice

Lowmoor Borough Council is the data controller for the information you give the library.

We use your name and address to lend you books and to remind you when they are due.
"""

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8


def test_unknown_text_is_read_as_plain_text_with_a_warning() -> None:
    doc = parse_page(Page("notes/library.rst", "notes/library.rst", NOTICE.encode(), "application/octet-stream"))
    assert doc.media_type == "text/plain"
    assert doc.sections[0].heading == "Library privacy notice"
    assert doc.sections[0].blocks[0].locator.line == 3
    assert doc.warnings == ("unknown format '.rst': read as plain text, so headings and lists are guessed",)


@pytest.mark.parametrize(
    ("data", "why"),
    [(PNG, "NUL bytes"), (bytes(range(128, 256)) * 40, "not text in any encoding")],
)
def test_binary_content_is_not_a_text_file(data: bytes, why: str) -> None:
    with pytest.raises(ParseError, match=rf"^logo\.img: not a text file \(.*{why}"):
        parse_page(Page("logo.img", "logo.img", data, "application/octet-stream"))


def test_text_with_a_few_stray_bytes_and_utf16_are_still_text() -> None:
    cp1252 = NOTICE.replace("library", "café library").encode("cp1252")
    assert "café" in parse_page(Page("a.rst", "a.rst", cp1252, "application/octet-stream")).text
    utf16 = NOTICE.encode("utf-16")
    assert "data controller" in parse_page(Page("b.rst", "b.rst", utf16, "application/octet-stream")).text


def test_folder_walk_skips_unknown_formats_and_unnamed_string_modules(tmp_path: Path) -> None:
    for name in ("notice.rst", "app.ts", "en.json", "routes.yml", "privacy-strings.ts", "cookies.json",
                 "gdpr.yaml", "page.cshtml", "Privacy.razor", "privacy.php", "Notice.tsx", "about.vue"):
        (tmp_path / name).write_text("x")
    found = sorted(Path(p).name for p in local_files(str(tmp_path)))
    assert found == ["Notice.tsx", "Privacy.razor", "about.vue", "cookies.json", "gdpr.yaml", "page.cshtml",
                     "privacy-strings.ts", "privacy.php"]
    assert in_folder_walk("src/content/PrivacyNoticeStrings.ts")
    assert not in_folder_walk("src/content/strings.ts")
    assert local_files(str(tmp_path / "app.ts")) == [str(tmp_path / "app.ts")]  # named: always read


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["audit", *argv, "--no-config", "--format", "json", "--output", "-"])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_cli_warns_on_stderr_and_in_the_json_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "library.rst"
    path.write_text(NOTICE)
    code, out, err = _run(capsys, str(path))
    data = json.loads(out)
    assert validation_errors(data) == []
    assert data["notices"][0]["warnings"] == [
        "unknown format '.rst': read as plain text, so headings and lists are guessed"
    ]
    assert f"notice-audit: warning: {path}: unknown format '.rst'" in err
    assert code == 1  # a poor notice: it fails the gate, but it was audited


def test_warnings_survive_a_saved_report_and_show_in_table_and_markdown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "library.rst"
    path.write_text(NOTICE)
    (tmp_path / "plain.txt").write_text(NOTICE)
    saved = tmp_path / "r.json"
    main(["audit", str(path), str(tmp_path / "plain.txt"), "--no-config", "--format", "json", "--output", str(saved)])
    capsys.readouterr()
    report = load_report(saved)
    assert [n.warnings for n in report.notices] == [
        ("unknown format '.rst': read as plain text, so headings and lists are guessed",), ()
    ]
    assert "warnings" not in json.loads(saved.read_text())["notices"][1]  # only when there is one
    for fmt, expected in (("table", "Warning: unknown format '.rst'"), ("markdown", "> **Warning:** unknown")):
        main(["report", str(saved), "--format", fmt, "--output", "-"])
        assert expected in capsys.readouterr().out


def test_binary_target_is_listed_in_errors_and_the_others_are_audited(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "scan.jpg").write_bytes(PNG)
    (tmp_path / "library.txt").write_text(NOTICE)
    code, out, err = _run(capsys, str(tmp_path / "scan.jpg"), str(tmp_path / "library.txt"))
    data = json.loads(out)
    assert [Path(n["source"]).name for n in data["notices"]] == ["library.txt"]
    assert len(data["errors"]) == 1
    assert data["errors"][0]["target"] == str(tmp_path / "scan.jpg")
    assert "not a text file (it holds NUL bytes)" in data["errors"][0]["error"]
    assert "scan.jpg" in err and "not a text file" in err
    assert code == 1


@pytest.mark.parametrize("name", ["notice.html", "notice.txt", "notice.md"])
def test_bytes_that_are_not_text_under_a_page_name_are_refused(name: str) -> None:
    """Bytes no encoding reads (here every byte value, over and over, as in compressed data) are not read as
    mojibake and scored as a notice: the target is an error, as a binary file of unknown format is."""
    data = b"%PDF-1.7\n" + bytes(range(1, 256)) * 16
    with pytest.raises(ParseError, match=rf"^{name}: not a text file \(most of its bytes are not text"):
        parse_page(Page(name, name, data, media_type_for(name) or "text/html"))


def test_a_cp1252_page_with_a_few_bad_bytes_is_still_read() -> None:
    page = ("<p>" + NOTICE.replace("library", "café library") + "</p>").encode("cp1252")
    assert "café library" in parse_page(Page("n.html", "n.html", page, "text/html")).text
