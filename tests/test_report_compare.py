"""Comparison of notices across reports: merging, organisations, ranking, coverage and the three views."""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import os
import random
import re
import subprocess
import sys
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import lxml.html
import pytest

from notice_audit.formats import compare
from notice_audit.model import STATUSES, AuditReport, Evidence, ItemResult, Locator, NoticeReport

try:
    from tests import browser_support as bs
    from tests.report_fixtures import HOSTILE_QUOTE, HOSTILE_TITLE, sample_report
except ImportError:  # tests/ is not a package: pytest puts it on sys.path
    import browser_support as bs  # type: ignore[no-redef]
    from report_fixtures import HOSTILE_QUOTE, HOSTILE_TITLE, sample_report

ITEM_IDS = (
    "controller_identity", "representative", "dpo_contact", "purposes", "lawful_basis", "legitimate_interests",
    "data_categories", "recipients", "international_transfers", "retention", "rights", "withdraw_consent",
    "complaint_to_ico", "data_source", "statutory_contractual_requirement", "automated_decision_making",
)


def notice(source: str, score: float, statuses: dict[str, str] | None = None, *, controller: str | None = None,
           title: str = "", passed: bool | None = None) -> NoticeReport:
    """A notice with the given item statuses (met/partial items get a quote)."""
    items = []
    for ident, status in (statuses or {}).items():
        ev = (Evidence(f"{ident} quote", Locator(source, ("Heading",))),) if status in ("met", "partial") else ()
        items.append(ItemResult(ident, ident.replace("_", " ").capitalize(), status, "required", 1,  # type: ignore[arg-type]
                                "message", ev))
    extracted = {"controller": [controller] if controller else []}
    return NoticeReport(source, title or source.rsplit("/", 1)[-1], score, score >= 50 if passed is None else passed,
                        tuple(items), extracted)


def report(*notices: NoticeReport, generated_at: str = "2024-05-01T12:00:00Z",
           fail_under: float | None = None) -> AuditReport:
    return AuditReport("0.1.0", "uk-gdpr", "2024.1", generated_at, tuple(notices), fail_under=fail_under)


def synthetic_report(councils: int, per_council: int, *, seed: int = 5) -> AuditReport:
    """``councils`` × ``per_council`` notices with random statuses; a third name no controller."""
    rnd = random.Random(seed)
    notices = []
    for c in range(councils):
        for k in range(per_council):
            source = f"https://www.council{c}.example/privacy/service-{k}"
            statuses = {i: rnd.choice(("met", "met", "partial", "missing", "failed", "not_applicable"))
                        for i in ITEM_IDS}
            notices.append(notice(source, round(rnd.uniform(0, 100), 1), statuses,
                                  controller=f"Council {c}" if k % 3 else None,
                                  title=f"Service {k} privacy notice - Council {c}"))
    return report(*notices, fail_under=50)


# ---------------------------------------------------------------- merging and grouping


def test_same_source_latest_generated_at_wins_whatever_the_order() -> None:
    old = report(notice("https://a.example/p", 20), generated_at="2024-01-01T00:00:00Z")
    new = report(notice("https://a.example/p", 80), generated_at="2024-06-01T00:00:00+01:00")
    for order in ([old, new], [new, old]):
        c = compare.build(order)
        assert [e.notice.score for e in c.entries] == [80]
        assert c.entries[0].generated_at == "2024-06-01T00:00:00+01:00"
    tie_a = report(notice("https://a.example/p", 10))
    tie_b = report(notice("https://a.example/p", 30))
    assert compare.build([tie_a, tie_b]).entries[0].notice.score == 30  # a tie: the later file wins


def test_organisation_from_controller_then_host_then_folder() -> None:
    notices = [
        notice("https://www.lowmoor.gov.uk/privacy/tax", 50, controller="Lowmoor Borough Council"),
        notice("https://www.lowmoor.gov.uk/privacy/bins", 40),  # same host, one controller there: adopted
        notice("https://shared.example/a", 30, controller="Alpha Council"),
        notice("https://shared.example/b", 30, controller="Beta Council"),
        notice("https://shared.example/c", 30),  # two controllers on the host: the host itself
        notice("https://www.nocontroller.example/p", 30),
        notice("/data/notices/hilltop/privacy.html", 30),
        notice("privacy.txt", 30),
    ]
    assert compare.organisations(notices) == [
        "Lowmoor Borough Council", "Lowmoor Borough Council", "Alpha Council", "Beta Council",
        "shared.example", "nocontroller.example", "hilltop", compare.UNKNOWN_ORGANISATION,
    ]


def test_controller_names_group_regardless_of_case_and_spacing() -> None:
    c = compare.build([report(
        notice("https://a.example/1", 70, controller="Welwyn Hatfield Borough Council"),
        notice("https://b.example/2", 60, controller="welwyn  hatfield borough council"),
        notice("https://c.example/3", 50, controller="The Welwyn Hatfield Borough Council."),
        notice("https://d.example/4", 40, controller="Hatfield Borough Council"),
    )])
    names = {g.name: len(g.entries) for g in c.groups}
    assert names == {"Welwyn Hatfield Borough Council": 3, "Hatfield Borough Council": 1}


def test_ranking_by_score_with_shared_ranks_and_groups_by_mean() -> None:
    c = compare.build([report(
        notice("https://a.example/1", 40, controller="A"),
        notice("https://a.example/2", 90, controller="A"),
        notice("https://b.example/1", 70, controller="B"),
        notice("https://b.example/2", 70, controller="B"),
        notice("https://c.example/1", 10, controller="C"),
    )])
    assert [(e.notice.score, e.rank) for e in c.entries] == [(90, 1), (70, 2), (70, 2), (40, 4), (10, 5)]
    assert [g.name for g in c.groups] == ["B", "A", "C"]  # mean 70, 65, 10
    a = c.groups[1]
    assert [e.notice.score for e in a.entries] == [90, 40]
    assert (a.mean, a.best, a.worst, a.passed) == (65, 90, 40, 1)


def test_coverage_counts_and_shares() -> None:
    c = compare.build([report(
        notice("https://a.example/1", 10, {"rights": "met", "retention": "not_applicable"}),
        notice("https://a.example/2", 20, {"rights": "partial", "retention": "missing"}),
        notice("https://a.example/3", 30, {"rights": "missing", "retention": "failed"}),
        notice("https://a.example/4", 40, {"rights": "met"}),
    )])
    assert [cov.id for cov in c.coverage] == ["rights", "retention"]
    rights, retention = c.coverage
    assert rights.counts == {"met": 2, "partial": 1, "missing": 1, "failed": 0, "not_applicable": 0}
    assert (rights.checked, rights.applicable) == (4, 4)
    assert rights.applicable_share("met") == 50 and rights.applicable_share("partial") == 25
    assert retention.counts == {"met": 0, "partial": 0, "missing": 1, "failed": 1, "not_applicable": 1}
    assert retention.checked == 3 and retention.applicable == 2
    assert retention.share("not_applicable") == pytest.approx(100 / 3)
    assert retention.applicable_share("met") == 0


def test_histogram_bands_include_their_lower_bound_and_100() -> None:
    c = compare.build([report(*(notice(f"https://a.example/{s}", s) for s in (0, 9.9, 10, 55, 99.9, 100)))])
    assert [n for _, _, n in c.histogram] == [2, 1, 0, 0, 0, 1, 0, 0, 0, 2]
    assert c.histogram[-1][:2] == (90, 100)


def test_errors_are_kept_unless_their_target_was_audited_in_another_report() -> None:
    from notice_audit.model import TargetError

    a = AuditReport("0.1.0", "uk-gdpr", "1", "2024-01-01T00:00:00Z", (notice("https://a.example/p", 50),),
                    errors=(TargetError("https://b.example/p", "HTTP 404"),))
    b = AuditReport("0.1.0", "uk-gdpr", "1", "2024-02-01T00:00:00Z", (notice("https://b.example/p", 50),),
                    errors=(TargetError("https://c.example/p", "timed out"),))
    assert [e.target for e in compare.build([a, b]).errors] == ["https://c.example/p"]


# ---------------------------------------------------------------- HTML


class _Collect(HTMLParser):
    """Tags with their attributes, the text of <style>/<script>, and table cells."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.raw: dict[str, list[str]] = {"style": [], "script": []}
        self.cells: list[tuple[str | None, str]] = []
        self._in: str | None = None
        self._cell: list[str] | None = None
        self._cell_class: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag in self.raw:
            self._in = tag
            self.raw[tag].append("")
        if tag in ("td", "th", "tr"):
            self._flush()
        if tag == "td":
            self._cell, self._cell_class = [], dict(attrs).get("class")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.raw:
            self._in = None
        if tag in ("td", "tr", "tbody", "table"):
            self._flush()

    def handle_data(self, data: str) -> None:
        if self._in:
            self.raw[self._in][-1] += data
        if self._cell is not None:
            self._cell.append(data)

    def _flush(self) -> None:
        if self._cell is not None:
            self.cells.append((self._cell_class, "".join(self._cell).strip()))
        self._cell = None


def parse(html: str) -> _Collect:
    p = _Collect()
    p.feed(html)
    p.close()
    return p


@pytest.fixture(scope="module")
def hostile_html() -> str:
    evil = notice("javascript:alert(1)//x.html", 5, {"rights": "missing"},
                  title='<img src=x onerror=alert(1)>"><script>alert(2)</script>',
                  controller="<script>alert(3)</script> Council")
    return compare.render([sample_report(), report(evil, generated_at="2024-06-01T00:00:00Z")], "html")


def test_html_escapes_hostile_text(hostile_html: str) -> None:
    assert "<script>alert" not in hostile_html
    assert "<img src=x" not in hostile_html
    assert "&lt;script&gt;alert(3)&lt;/script&gt; Council" in hostile_html
    assert "&lt;b&gt;Council&lt;/b&gt;" in hostile_html  # HOSTILE_TITLE
    assert HOSTILE_TITLE not in hostile_html


def test_html_links_only_http_and_requests_nothing_external(hostile_html: str) -> None:
    page = parse(hostile_html)
    for tag, attrs in page.tags:
        assert tag not in ("link", "img", "iframe", "object", "embed", "base"), tag
        assert "src" not in attrs and "srcset" not in attrs, (tag, attrs)
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        assert "style" not in attrs, (tag, attrs)  # the CSP allows only the hashed <style>
        if "href" in attrs:
            href = attrs["href"] or ""
            assert href.startswith("#") or re.match(r"https?://", href), href
    hrefs = [a["href"] for t, a in page.tags if t == "a"]
    assert "https://council.example/privacy" in hrefs
    assert not any("javascript" in (h or "") for h in hrefs)
    css = "".join(page.raw["style"])
    assert "@import" not in css and "url(" not in css


def test_html_csp_allows_exactly_the_inline_style_and_script(hostile_html: str) -> None:
    page = parse(hostile_html)
    (csp,) = [a["content"] for t, a in page.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    assert csp is not None and "default-src 'none'" in csp and "unsafe" not in csp

    def digest(body: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"

    (style,), (script,) = page.raw["style"], page.raw["script"]
    assert f"style-src {digest(style)};" in csp
    assert f"script-src {digest(script)};" in csp
    assert len([t for t, _ in page.tags if t == "script"]) == 1


def test_html_charts_have_text_equivalents() -> None:
    """The histogram is an image with a title and a description; the coverage chart is text (a list
    of items with their shares) whose bars are decoration; both have a table of the same numbers."""
    html = compare.render([sample_report()], "html")
    images = re.findall(r"<svg\b[^>]*role=\"img\"[^>]*>.*?</svg>", html, flags=re.S)
    assert len(images) == 1
    (hist,) = images
    assert "aria-labelledby=" in hist and re.search(r"<title id=\"[a-z-]+\">[^<]+</title>", hist)
    assert "50 to under 60: 0. " in hist and "80 to under 90: 1. " in hist  # the <desc> text equivalent
    assert "gate 50" in hist
    start = html.index('<ol class="cov-list">')
    coverage = html[start:html.index("</ol>", start)]
    bars = re.findall(r"<svg\b[^>]*>", coverage)
    assert bars and all('aria-hidden="true"' in b for b in bars)
    assert re.search(r'Retention</span> <span class="item-id">retention</span></span>\s*<svg[^>]*>.*?</svg>\s*'
                     r'<span class="cov-value">0% met · 100% partial of 1</span>', coverage, flags=re.S)
    assert 'Notices per score band</caption>' in html and "Item statuses across 2 notices</caption>" in html


def test_html_matrix_cells_have_symbol_and_text_and_are_grouped() -> None:
    c_html = compare.render([report(
        notice("https://a.example/1", 80, {"rights": "met", "retention": "partial"}, controller="Alpha"),
        notice("https://b.example/1", 30, {"rights": "missing", "retention": "failed"}, controller="Beta"),
        notice("https://b.example/2", 60, {"rights": "not_applicable"}, controller="Beta"),
    )], "html")
    page = parse(c_html)
    matrix = c_html[c_html.index('<table id="matrix"'):]
    assert matrix.index("Alpha") < matrix.index("Beta")  # groups by mean score: 80 > 45
    assert matrix.index("https://b.example/2") < matrix.index("https://b.example/1")  # 60 before 30
    cells = {(cls, text) for cls, text in page.cells if cls in ("m", "p", "x", "f", "n", "z")}
    assert cells == {("m", "✓ met"), ("p", "◐ partial"), ("x", "✗ missing"), ("f", "⚠ failed"),
                     ("n", "– n/a"), ("z", "· not checked")}
    assert 'id="org-1"><span class="g-label"><span class="name">Alpha</span>' in c_html and 'href="#org-1"' in c_html


def test_html_for_400_notices_is_small() -> None:
    big = synthetic_report(40, 10)
    html = compare.render([big], "html")
    assert len(big.notices) == 400
    assert len(html.encode()) < 1_000_000, len(html)
    assert html.count("<tr><th scope=row>") == 400
    assert html.count('<th scope="rowgroup"') == 40


def test_html_for_400_councils_of_20_notices_stays_under_5_mb() -> None:
    big = synthetic_report(400, 20)
    html = compare.render([big], "html")
    assert len(html.encode()) < 5_000_000, len(html)
    assert html.count("<tr><th scope=row>") == 8000


def test_html_without_notices_still_renders() -> None:
    html = compare.render([report()], "html")
    assert "No notices to compare." in html and "</html>" in html


# ---------------------------------------------------------------- one design with the audit report


def _page(text: str) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(text)


def _frame(page: lxml.html.HtmlElement) -> dict[str, object]:
    """What the shared page frame puts on every page: skip link, header band, contents bar, footer."""
    return {
        "skip": page.xpath("//body/a[1]/@class") + page.xpath("//body/a[1]/@href"),
        "band": [e.get("class") for e in page.xpath("//header[@class='masthead']/div[@class='wrap']/*")],
        "toc": bool(page.xpath("//nav[@class='toc']//ul/li/a")),
        "main": page.xpath("//main/@id"),
        "footer": bool(page.xpath("//footer[@class='site-footer']/div[@class='wrap']/p")),
    }


def test_html_is_the_audit_reports_design() -> None:
    """The comparison is built from the audit report's stylesheet and page frame, not a look of its own."""
    from notice_audit.formats import html as audit_html

    report = sample_report()
    audit, comparison = audit_html.render(report), compare.render([report], "html")
    shared_css, _ = audit_html.stylesheet()
    style = "".join(parse(comparison).raw["style"])
    assert style.startswith(str(shared_css)) and len(style) > len(shared_css)  # report.css, then compare.css
    assert "".join(parse(audit).raw["style"]) == str(shared_css)
    a, c = _frame(_page(audit)), _frame(_page(comparison))
    assert a == c == {"skip": ["skip-link", "#main"], "band": ["eyebrow", None, "meta"], "toc": True,
                      "main": ["main"], "footer": True}
    assert _page(comparison).xpath("string(//header[@class='masthead']//h1)") == "Privacy notice comparison"
    # the same summary cards
    cards = _page(comparison).xpath("//section[@id='summary']/dl[@class='figures']/div/dt")
    assert [" ".join(dt.text_content().split()) for dt in cards][:4] == [
        "Notices compared", "Passed", "Failed", "Mean score"]


def test_html_shows_item_titles_and_keeps_ids_beside_them() -> None:
    c_html = compare.render([report(
        notice("https://a.example/1", 80, {"rights": "met", "dpo_contact": "missing"}, controller="Alpha"),
    )], "html")
    page = _page(c_html)
    heads = page.xpath("//table[@id='matrix']/thead//th[contains(@class, 'item')]")
    assert [(th.text_content(), th.get("title")) for th in heads] == [("Rights", "rights"),
                                                                      ("Dpo contact", "dpo_contact")]
    chart = [(" ".join(e.xpath("string(span[@class='item-title-text'])").split()),
              e.xpath("string(span[@class='item-id'])"))
             for e in page.xpath("//ol[@class='cov-list']/li/span[@class='cov-name']")]
    assert chart == [("Rights", "rights"), ("Dpo contact", "dpo_contact")]
    desc = page.xpath("string(//ol[@class='cov-list'])")
    assert "Dpo contact" in desc and "100% met" in desc


def test_html_heat_map_scrolls_in_a_labelled_box_of_its_own() -> None:
    page = _page(compare.render([synthetic_report(3, 2)], "html"))
    (table,) = page.xpath("//table[@id='matrix']")
    box = table.getparent()
    assert box.tag == "div" and box.get("role") == "region" and box.get("tabindex") == "0"
    assert "table-scroll" in box.get("class").split() and "matrix-scroll" in box.get("class").split()
    (caption,) = table.xpath("caption")
    assert box.get("aria-labelledby") == caption.get("id") and caption.text_content().strip()
    css = re.sub(r"/\*.*?\*/", "", "".join(parse(lxml.html.tostring(page, encoding="unicode")).raw["style"]),
                 flags=re.S)
    rules: dict[str, str] = {}
    for selector, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        rules.setdefault(selector.strip(), body)  # the first: the screen rule, before phones and print
    assert "overflow: auto" in rules[".matrix-scroll"]
    assert "position: sticky" in rules[".matrix tbody th[scope=row]"]  # the notice column stays put
    assert "table-layout: fixed" in rules[".matrix"]


def test_html_counts_are_plural_correct() -> None:
    one = _page(compare.render([report(notice("https://a.example/1", 80, {"rights": "met"}, controller="A"))],
                               "html"))
    text = " ".join(one.text_content().split())
    assert "1 report · 1 notice · 1 organisation" in text
    assert "Item statuses across 1 notice" in text and "among all 1 notice." in text
    assert "1 notice · mean 80" in text
    assert not re.search(r"\b1 (notices|reports|organisations)\b", text), text
    two = " ".join(_page(compare.render([synthetic_report(1, 2)], "html")).text_content().split())
    assert "2 notices" in two and "Item statuses across 2 notices" in two


# ---------------------------------------------------------------- the terminal


def test_table_numbers_the_items_and_shows_one_symbol_per_status() -> None:
    text = compare.render([report(
        notice("https://a.example/1", 80, {"rights": "met", "retention": "partial"}, controller="Alpha",
               title="Alpha notice"),
        notice("https://b.example/1", 30, {"rights": "missing", "retention": "failed"}, controller="Beta",
               title="Beta \x1b[31mnotice"),
        notice("https://b.example/2", 60, {"rights": "not_applicable"}, controller="Beta", title="Beta two"),
    )], "table")
    lines = text.splitlines()
    assert lines[0] == "Privacy notice comparison" and "<" not in text
    assert re.search(r"^ *1  Rights +1 ", text, flags=re.M) and re.search(r"^ *2  Retention +0 ", text, flags=re.M)
    rows = {ln.split("  ")[-1]: ln for ln in lines if ln.endswith(("notice", "two"))}
    assert re.search(r"pass  ✓~  Alpha notice$", rows["Alpha notice"])
    assert re.search(r"FAIL  ✗!  Beta \?\[31mnotice$", rows["Beta ?[31mnotice"])  # no escape sequence
    assert re.search(r"pass  -\.  Beta two$", rows["Beta two"])  # retention not checked
    assert max(len(ln) for ln in lines) <= compare.TERMINAL_WIDTH


class _Terminal(io.StringIO):
    """Standard output that says it is a terminal."""

    def isatty(self) -> bool:
        return True


@pytest.fixture
def saved(tmp_path: Path) -> Path:
    from notice_audit.formats import json as json_format

    notices = [NoticeReport(f"https://council{k}.example/privacy", f"Council {k} privacy notice", score, score >= 50,
                            (ItemResult("rights", "The rights available to individuals", "met", "required", 1,
                                        "found", (Evidence("You have the right of access.",
                                                           Locator(f"https://council{k}.example/privacy",
                                                                   ("Your rights",))),)),),
                            bs.empty_values(controller=[f"Council {k}"]))
               for k, score in enumerate((80, 40))]
    path = tmp_path / "a.json"
    path.write_text(json_format.render(report(*notices)), encoding="utf-8")
    return path


@pytest.mark.parametrize("output", [[], ["--output", "-"]], ids=["no-output", "dash"])
def test_compare_on_a_terminal_prints_the_table_not_html(saved: Path, output: list[str],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from notice_audit.app.cli import main

    out = _Terminal()
    monkeypatch.setattr("sys.stdout", out)
    assert main(["compare", str(saved), *output]) == 0
    text = out.getvalue()
    assert text.startswith("Privacy notice comparison\n") and "<" not in text.split("\n", 1)[0]
    assert "<!doctype" not in text and "Notices × items" in text


def test_compare_asked_for_html_or_piped_still_writes_html(saved: Path, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from notice_audit.app.cli import main

    tty = _Terminal()
    monkeypatch.setattr("sys.stdout", tty)
    assert main(["compare", str(saved), "--format", "html"]) == 0
    assert tty.getvalue().startswith("<!doctype html>")
    assert main(["compare", str(saved), "--output", str(tmp_path / "cmp.html")]) == 0
    assert (tmp_path / "cmp.html").read_text().startswith("<!doctype html>")
    assert main(["compare", str(saved), "--output", str(tmp_path / "cmp.txt")]) == 0
    assert (tmp_path / "cmp.txt").read_text().startswith("Privacy notice comparison\n")
    piped = io.StringIO()  # not a terminal: ``compare a.json > cmp.html`` keeps working
    monkeypatch.setattr("sys.stdout", piped)
    assert main(["compare", str(saved)]) == 0
    assert piped.getvalue().startswith("<!doctype html>")


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_compare_in_a_real_terminal(saved: Path) -> None:
    """The command as a person runs it: standard output a pseudo-terminal, the table comes out."""
    import pty

    leader, follower = pty.openpty()
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1]), "COLUMNS": "100"}
    with subprocess.Popen([sys.executable, "-m", "notice_audit", "compare", str(saved)], stdout=follower,
                          stderr=subprocess.PIPE, env=env) as proc:
        os.close(follower)
        chunks = []
        while True:  # read as it writes: a terminal's buffer is small, HTML would fill it
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # EIO: the program has closed its end
                break
            if not chunk:
                break
            chunks.append(chunk)
        os.close(leader)
        _, err = proc.communicate(timeout=60)
    text = b"".join(chunks).decode("utf-8").replace("\r\n", "\n")
    assert proc.returncode == 0, err
    assert text.startswith("Privacy notice comparison\n") and "<!doctype" not in text


# ---------------------------------------------------------------- Markdown and CSV

UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")


def test_markdown_tables_escape_page_text_and_rank() -> None:
    text = compare.render([sample_report()], "markdown")
    assert text.startswith("# Privacy notice comparison\n")
    assert "<b>" not in text and "<script>" not in text
    assert "\\# Privacy \\*notice\\* \\| &lt;b&gt;Council&lt;/b&gt;" in text
    lines = text.splitlines()
    for block in re.split(r"\n\n", text):
        rows = [ln for ln in block.splitlines() if ln.startswith("|")]
        if rows:
            widths = {len(UNESCAPED_PIPE.findall(r)) for r in rows}
            assert len(widths) == 1, rows
    matrix = lines[lines.index("## Notices × items"):]
    good = next(i for i, ln in enumerate(matrix) if "council.example/privacy" in ln)
    bad = next(i for i, ln in enumerate(matrix) if "notices/bad" in ln)
    assert good < bad
    assert "| `recipients` | Recipients | 1 | 0 | 0 | 0 | 0 | 100% | 0% |" in text
    assert HOSTILE_QUOTE not in text


def test_csv_columns_rows_and_formula_guard() -> None:
    evil = notice("https://x.example/p", 42, {"rights": "met"}, title='=HYPERLINK("http://evil","x")',
                  controller="+Council")
    text = compare.render([sample_report(), report(evil)], "csv")
    rows = list(csv.reader(io.StringIO(text)))
    head = rows[0]
    assert head[:7] == ["rank", "organisation", "source", "title", "score", "passed", "generated_at"]
    assert head[7:12] == list(STATUSES)
    ids = head[12:]
    assert ids[:4] == ["controller_identity", "recipients", "retention", "automated_decision_making"]
    assert "rights" in ids
    body = [dict(zip(head, r, strict=True)) for r in rows[1:]]
    assert [r["score"] for r in body] == ["87.5", "42", "12"]
    assert [r["rank"] for r in body] == ["1", "2", "3"]
    first = body[0]
    assert first["title"] == HOSTILE_TITLE and first["passed"] == "true"
    assert first["retention"] == "partial" and first["met"] == "2" and first["rights"] == ""
    assert body[1]["title"] == "'=HYPERLINK(\"http://evil\",\"x\")" and body[1]["organisation"] == "'+Council"
    assert body[2]["outdated_legal_reference"] == "failed" and body[2]["organisation"] == "notices"


# ---------------------------------------------------------------- in a real headless Chromium

CSP_LISTENER = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective));
"""
PAGE_STATE = """
const handlers = [];
for (const el of document.querySelectorAll('*'))
  for (const a of el.attributes) if (/^on/i.test(a.name)) handlers.push(el.tagName + ' ' + a.name);
return {
  pwned: window.__pwned === undefined ? null : String(window.__pwned),
  title: document.title,
  handlers: handlers,
  scripts: document.querySelectorAll('script').length,
  active: document.querySelectorAll('iframe, img, object, embed, link, base, form').length,
  links: [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))
    .filter(h => !h.startsWith('#') && !/^https?:/.test(h)),
  csp: window.__csp,
  resources: performance.getEntriesByType('resource').map(e => e.name),
};
"""
VISIBLE_ROWS = """
return [...document.querySelectorAll('#matrix tbody:not([hidden]) tr:not([hidden]) > th[scope=row]')]
  .map(th => [th.querySelector('a, .sub') ? th.firstChild.textContent : th.textContent,
              th.parentElement.cells[2].textContent]);
"""


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    try:
        import selenium  # noqa: F401
    except ImportError:
        bs.unavailable("selenium is not installed (pip install '.[test]')")
    with bs.chromium(tmp_path_factory.mktemp("chromium-compare")) as driver:
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": CSP_LISTENER})
        yield driver


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A comparison of the shared hostile report, a hostile organisation and a few plain notices."""
    folder = tmp_path_factory.mktemp("compare-site")
    (folder / "notice.html").write_text(bs.NOTICE_PAGE, encoding="utf-8")
    with bs.serve(folder) as base:
        hostile = bs.hostile_report(base)
        evil = notice(bs.HOSTILE_URL, 15, {"rights": "missing"}, title=bs.HOSTILE_TITLE,
                      controller=f"<script>{bs.PWN}</script> Council")
        plain = [notice(f"{base}/notice.html?v={k}", score, {"rights": status, "retention": "met"},
                        controller=f"Borough {k}", title=f"Plain notice {k}")
                 for k, (score, status) in enumerate([(90, "met"), (70, "partial"), (40, "missing")])]
        others = report(evil, *plain, generated_at="2030-01-01T00:00:00Z")
        page = compare.render([hostile, others], "html")  # type: ignore[list-item]
        (folder / "compare.html").write_text(page, encoding="utf-8")
        yield f"{base}/compare.html"


def load(driver: Any, url: str, *, script: bool = True) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    driver.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": not script})
    driver.get("about:blank")
    driver.get(url)
    WebDriverWait(driver, 10).until(lambda d: d.execute_script("return document.readyState") == "complete")


def test_browser_hostile_text_runs_nothing_and_nothing_is_requested(browser: Any, served: str) -> None:
    load(browser, served)
    browser.execute_async_script("setTimeout(arguments[0], 300)")  # let any onerror/onload fire
    state = browser.execute_script(PAGE_STATE)
    assert state["pwned"] is None
    assert state["title"].startswith("Privacy notice comparison"), state["title"]
    assert state["handlers"] == [] and state["active"] == 0 and state["links"] == []
    assert state["scripts"] == 1  # ours, allowed by its hash
    assert state["csp"] == [], "the page must not trip its own policy (style and script hashes)"
    assert state["resources"] == []
    text = browser.execute_script("return document.body.innerText")
    assert "<script>window.__pwned" in text and "Council" in text  # shown as text


def test_browser_filter_and_order_enhance_the_matrix(browser: Any, served: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    load(browser, served)
    status = browser.find_element(By.ID, "f-status")
    assert browser.find_element(By.ID, "matrix-controls").is_displayed()
    total = len(browser.execute_script(VISIBLE_ROWS))
    assert status.text == f"Showing all {total} notices."
    browser.find_element(By.ID, "f-text").send_keys("borough 1")
    WebDriverWait(browser, 5).until(lambda d: status.text == f"Showing 1 of {total} notices.")
    assert browser.execute_script(VISIBLE_ROWS) == [["Plain notice 1", "70"]]
    browser.find_element(By.ID, "f-text").clear()
    browser.execute_script("document.getElementById('f-text').dispatchEvent(new Event('input'))")
    Select(browser.find_element(By.ID, "f-order")).select_by_value("asc")
    scores = [float(s) for _, s in browser.execute_script(VISIBLE_ROWS)]
    assert scores == sorted(scores) and len(scores) == total
    assert browser.execute_script("return document.querySelector('#matrix .org').textContent") != ""
    browser.find_element(By.ID, "f-fail").click()
    assert all(float(s) < 50 for _, s in browser.execute_script(VISIBLE_ROWS))
    bs.save_screenshot(browser, "compare-filtered.png")


def test_browser_without_javascript_shows_everything_grouped(browser: Any, served: str) -> None:
    load(browser, served, script=False)
    try:
        assert not browser.execute_script("return document.getElementById('matrix-controls').offsetParent")
        rows = browser.execute_script(VISIBLE_ROWS)
        groups = browser.execute_script(
            "return [...document.querySelectorAll('#matrix th[scope=rowgroup] .name')].map(e => e.textContent)")
        assert groups[:3] == ["Borough 0", "Lowmoor Borough Council", "Borough 1"]
        assert ["Plain notice 0", "90"] in rows and len(rows) >= 5
    finally:
        browser.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": False})


@pytest.fixture(scope="module")
def axe() -> str:
    """axe-core's source, read before the per-test fixtures clear NOTICE_AUDIT_* (its path may be set there)."""
    return bs.axe_source()


def test_browser_links_work_and_axe_finds_no_violations(browser: Any, served: str, axe: str) -> None:
    from selenium.webdriver.common.by import By

    for width, height, name in ((1280, 800, "compare-hostile-desktop.png"), (390, 844, "compare-hostile-phone.png")):
        bs.set_viewport(browser, width, height, mobile=width < 500)
        load(browser, served)
        browser.execute_script(axe)
        result = browser.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']})"
            ".then(r => done(r.violations.map(v => v.id + ': ' + v.help + ' ' +"
            " JSON.stringify(v.nodes.slice(0, 3).map(n => n.target)))))"
            ".catch(e => done(['error: ' + e]));",
            bs.AXE_TAGS,
        )
        assert result == [], result
        overflow = browser.execute_script(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"the page scrolls sideways at {width}px"
        bs.save_screenshot(browser, name)
    browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    load(browser, served)
    for href in browser.execute_script(
            "return [...document.querySelectorAll('a[href^=\"#\"]')].map(a => a.getAttribute('href'))"):
        assert browser.execute_script("return !!document.getElementById(arguments[0])", href[1:]), href
    link = browser.find_element(By.LINK_TEXT, "Plain notice 2")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", link)
    link.click()
    assert browser.current_url.endswith("/notice.html?v=2")
    assert browser.title == "Lowmoor parking privacy notice"
