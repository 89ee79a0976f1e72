"""The HTML report in a real headless Chromium: safety, links, no requests, layout, keyboard, axe-core.

Everything is asserted through the browser: a hostile notice's code would
set ``window.__pwned`` or the document's title, so the tests read those back
with ``execute_script``; links are clicked and the landing URL checked against
a fictional notice page served on 127.0.0.1. Screenshots (desktop, phone and
print) and a PDF go to ``test-artifacts/``.

Needs Debian's ``chromium`` and ``chromium-driver`` and axe-core from npm
(``.ci/browser-deps`` installs them). Without them these tests skip, saying
why, unless ``CI`` is set: then they fail, because CI must run them.
"""

from __future__ import annotations

import base64
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from notice_audit.formats import html

try:
    from tests import browser_support as bs
except ImportError:  # tests/ is not a package: pytest puts it on sys.path
    import browser_support as bs  # type: ignore[no-redef]

DESKTOP = (1280, 800)
PHONE = (390, 844)
NARROW = (320, 640)
"""WCAG 1.4.10 (reflow): content must fit 320 CSS pixels without scrolling sideways."""
CSP_LISTENER = """
window.__csp = [];
document.addEventListener('securitypolicyviolation',
  e => window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || '') + ' ' + (e.sample || '')));
"""
DOM_AUDIT = """
const handlers = [];
for (const el of document.querySelectorAll('*'))
  for (const a of el.attributes) if (/^on/i.test(a.name)) handlers.push(el.tagName + ' ' + a.name);
const links = [...document.querySelectorAll('a[href]')]
  .filter(a => !a.getAttribute('href').startsWith('#') && !['http:', 'https:'].includes(a.protocol))
  .map(a => a.getAttribute('href'));
return {
  pwned: window.__pwned === undefined ? null : String(window.__pwned),
  title: document.title,
  handlers: handlers,
  active: document.querySelectorAll('script, iframe, img, object, embed, frame, link, base, form').length,
  links: links,
  csp: window.__csp,
};
"""
AXE_RUN = """
const done = arguments[arguments.length - 1];
axe.run(document, {runOnly: arguments[0], resultTypes: ['violations']})
  .then(r => done({violations: r.violations.map(v => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 5).map(n => ({target: n.target, summary: n.failureSummary}))}))}))
  .catch(e => done({error: String(e)}));
"""


# --- fixtures ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def driver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    try:
        import selenium  # noqa: F401
    except ImportError:
        bs.unavailable("selenium is not installed (pip install '.[test]')")
    with bs.chromium(tmp_path_factory.mktemp("chromium-profile"), *DESKTOP) as d:
        d.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": CSP_LISTENER})
        yield d


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A fictional notice page and a hostile report about it, served on 127.0.0.1."""
    folder = tmp_path_factory.mktemp("site")
    (folder / "notice.html").write_text(bs.NOTICE_PAGE, encoding="utf-8")
    with bs.serve(folder) as base:
        (folder / "report.html").write_text(html.render(bs.hostile_report(base)), encoding="utf-8")  # type: ignore[arg-type]
        yield base


@pytest.fixture(scope="module")
def axe_js() -> str:
    """axe-core's source; asked for before the browser starts, so a missing axe skips at once."""
    return bs.axe_source()


@pytest.fixture(scope="module")
def demo() -> Any:
    """The bundled demo's report: a realistic one, a council's four notices, crawled and audited."""
    from notice_audit.demo import demo_report

    return demo_report()


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory, demo: Any) -> Path:
    """The demo's report as an HTML file."""
    path = tmp_path_factory.mktemp("demo") / "report.html"
    path.write_text(html.render(demo), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def compare_file(tmp_path_factory: pytest.TempPathFactory, demo: Any) -> Path:
    """A comparison of the demo's report with a later one about five more fictional councils:
    23 notices × the 16 items of uk-gdpr, so the heat map is as wide as a real one."""
    from notice_audit.formats import compare

    path = tmp_path_factory.mktemp("compare") / "compare.html"
    path.write_text(compare.render(bs.council_reports(demo), "html"), encoding="utf-8")  # type: ignore[arg-type]
    return path


def use_viewport(driver: Any, size: tuple[int, int]) -> None:
    """A phone-like viewport below 500 px (where a mobile page zooms out to fit wide content), else a window."""
    bs.set_viewport(driver, *size, mobile=size[0] < 500)


def wait_for(driver: Any, condition: str, timeout: float = 10) -> Any:
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout).until(lambda d: d.execute_script(f"return {condition}"))


def open_page(driver: Any, url: str, size: tuple[int, int] = DESKTOP) -> None:
    use_viewport(driver, size)
    driver.get("about:blank")
    driver.get_log("browser")  # drop what earlier pages logged
    driver.get(url)
    wait_for(driver, "document.readyState === 'complete'")


def csp_messages(driver: Any) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if "Content Security Policy" in e["message"]]


# --- safety --------------------------------------------------------------------------------------


def test_hostile_notice_runs_no_code(driver: Any, site: str) -> None:
    open_page(driver, f"{site}/report.html")
    # give any handler (onerror, onload) a moment to fire
    driver.execute_script("return new Promise(r => setTimeout(r, 300))")
    state = driver.execute_script(DOM_AUDIT)
    assert state["pwned"] is None
    assert state["title"].startswith("Privacy notice audit"), state["title"]
    assert state["handlers"] == [] and state["active"] == 0 and state["links"] == []
    assert state["csp"] == [], "our own page must not trip its own policy"
    assert csp_messages(driver) == []
    # the hostile strings are on the page, as text
    body = driver.execute_script("return document.body.innerText")
    assert "<img src=x onerror=" in body and "</p><script>" in body and "javascript:window.__pwned" in body


def test_policy_stops_injected_script_and_requests(driver: Any, site: str) -> None:
    """Defence in depth: even markup that got into the page could neither run nor load anything."""
    open_page(driver, f"{site}/report.html")
    driver.execute_script(
        """
        const s = document.createElement('script'); s.textContent = 'window.__pwned = "script"';
        document.body.append(s);
        const d = document.createElement('div');
        d.innerHTML = '<img src="x" onerror="window.__pwned = \\'handler\\'">';
        document.body.append(d);
        const i = document.createElement('img'); i.src = location.origin + '/beacon.png'; document.body.append(i);
        """
    )
    wait_for(driver, "window.__csp.length >= 3")
    assert driver.execute_script("return window.__pwned === undefined")
    violated = " ".join(driver.execute_script("return window.__csp"))
    assert "script-src" in violated and "img-src" in violated


def test_no_request_leaves_the_report(driver: Any, site: str, demo_file: Path) -> None:
    for url in (f"{site}/report.html", demo_file.as_uri()):
        driver.get("about:blank")
        driver.get_log("performance")
        open_page(driver, url)
        requested = [
            m["params"]["request"]["url"]
            for m in (json.loads(e["message"])["message"] for e in driver.get_log("performance"))
            if m["method"] == "Network.requestWillBeSent"
        ]
        assert requested == [url], requested
        entries = driver.execute_script(
            "return performance.getEntriesByType('resource').map(e => e.name)"
            ".filter(n => !n.startsWith('data:') && !n.startsWith(location.origin + '/'))"
        )
        assert entries == []


# --- links ---------------------------------------------------------------------------------------


def click(driver: Any, css: str) -> None:
    from selenium.webdriver.common.by import By

    element = driver.find_element(By.CSS_SELECTOR, css)
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
    element.click()


def test_evidence_link_with_fragment_lands_on_the_quoted_section(driver: Any, site: str) -> None:
    open_page(driver, f"{site}/report.html")
    click(driver, f'figcaption a[href="{site}/notice.html#sharing"]')
    wait_for(driver, "location.pathname === '/notice.html'")
    assert driver.current_url == f"{site}/notice.html#sharing"
    wait_for(driver, "Math.abs(document.getElementById('sharing').getBoundingClientRect().top) < 2")
    assert driver.execute_script("return scrollY") > 0


def test_evidence_link_with_text_fragment_scrolls_to_the_quote(driver: Any, site: str) -> None:
    open_page(driver, f"{site}/report.html")
    href = driver.execute_script(
        "return [...document.querySelectorAll('figcaption a')].map(a => a.href).find(h => h.includes(':~:text='))"
    )
    assert href.startswith(f"{site}/notice.html#:~:text=We%20keep%20permit")
    click(driver, f'figcaption a[href="{href}"]')
    wait_for(driver, "location.pathname === '/notice.html'")
    target = "document.querySelector('#retention p').getBoundingClientRect()"
    wait_for(driver, f"scrollY > 0 && {target}.top >= 0 && {target}.bottom <= innerHeight")


def test_in_page_links_reach_their_targets(driver: Any, site: str) -> None:
    open_page(driver, f"{site}/report.html")
    click(driver, 'table.summary-table a[href="#n2"]')
    wait_for(driver, "location.hash === '#n2'")
    assert abs(driver.execute_script("return document.getElementById('n2').getBoundingClientRect().top")) < 2
    click(driver, '#n2 a[href="#n1"]')  # the layered notice's parent, audited in the same report
    wait_for(driver, "location.hash === '#n1'")


# --- layout, print and keyboard ------------------------------------------------------------------


@pytest.mark.parametrize("size", [DESKTOP, PHONE, NARROW], ids=["desktop", "phone", "narrow"])
def test_no_horizontal_overflow_and_screenshots(driver: Any, site: str, demo_file: Path,
                                                size: tuple[int, int]) -> None:
    name = {DESKTOP: "desktop", PHONE: "phone", NARROW: "narrow"}[size]
    for label, url in (("demo", demo_file.as_uri()), ("hostile", f"{site}/report.html")):
        open_page(driver, url, size)
        # on a phone, content wider than the screen makes the page zoom out (innerWidth grows), so
        # compare with the device's width too
        widths = driver.execute_script("return [document.documentElement.scrollWidth, innerWidth]")
        assert widths[0] <= widths[1] == size[0], (label, name, widths)
        too_wide = driver.execute_script(
            "return [...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right > "
            "innerWidth + 1 && !e.closest('.table-scroll')).slice(0, 5).map(e => e.tagName + '.' + e.className)"
        )
        assert too_wide == [], (label, name, too_wide)
        if size != NARROW:
            shot = bs.save_screenshot(driver, f"report-{label}-{name}.png")
            assert shot.stat().st_size > 10_000 and png_width(shot) == size[0]


def png_width(path: Path) -> int:
    """The width a PNG says it has (its IHDR chunk), to check a screenshot is the viewport's."""
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return int.from_bytes(data[16:20], "big")


PAGE_FITS = """
const tooWide = [...document.querySelectorAll('main *')]
  .filter(e => e.getBoundingClientRect().right > innerWidth + 1 && !e.closest('.table-scroll'))
  .slice(0, 5).map(e => e.tagName + '.' + e.getAttribute('class'));
return [document.documentElement.scrollWidth, innerWidth, tooWide];
"""
HEAT_MAP = """
const box = document.querySelector('.matrix-scroll'), table = box.querySelector('#matrix');
const first = table.querySelector('tbody th[scope=row]'), cell = first.parentElement.cells[6];
const heads = [...table.querySelectorAll('thead th.item')].map(th => {
  const t = th.getBoundingClientRect(), s = th.querySelector('span').getBoundingClientRect();
  return s.top >= t.top - 1 && s.bottom <= t.bottom + 1 && s.left >= t.left - 1 && s.right <= t.right + 1;
});
return {scroll: box.scrollWidth, client: box.clientWidth, boxLeft: box.getBoundingClientRect().left,
        first: first.getBoundingClientRect().left, cell: cell.getBoundingClientRect().left,
        boxRight: box.getBoundingClientRect().right, tableRight: table.getBoundingClientRect().right,
        heads: heads, sticky: getComputedStyle(first).position};
"""


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_compare_page_fits_and_its_heat_map_scrolls_in_its_box(driver: Any, axe_js: str, compare_file: Path,
                                                               size: tuple[int, int]) -> None:
    """The comparison at 1280 px and on a phone: the page never scrolls sideways; at 1280 the whole
    heat map of sixteen items is in view, on a phone it scrolls inside its box with the notice column
    kept in place; every item title fits its column head; axe-core finds nothing."""
    name = {DESKTOP: "desktop", PHONE: "phone"}[size]
    open_page(driver, compare_file.as_uri(), size)
    width, inner, too_wide = driver.execute_script(PAGE_FITS)
    assert width <= inner == size[0] and too_wide == [], (name, width, inner, too_wide)
    heat = driver.execute_script(HEAT_MAP)
    assert heat["sticky"] == "sticky" and heat["heads"] and all(heat["heads"]), heat
    if size == DESKTOP:
        assert heat["scroll"] <= heat["client"], "the heat map should fit a 1280 px window"
        assert heat["tableRight"] <= heat["boxRight"] + 1
    else:
        assert heat["scroll"] > heat["client"] + 200, heat  # a phone scrolls the heat map, not the page
        driver.execute_script("document.querySelector('.matrix-scroll').scrollLeft = 200")
        moved = driver.execute_script(HEAT_MAP)
        assert abs(moved["first"] - heat["first"]) <= 1, (heat, moved)  # the notice column stays put
        assert abs((heat["cell"] - moved["cell"]) - 200) <= 1, (heat, moved)  # the cells scroll under it
        assert driver.execute_script("return document.documentElement.scrollLeft + scrollX") == 0
        driver.execute_script("document.querySelector('.matrix-scroll').scrollLeft = 0")
    violations = axe_violations(driver, axe_js)
    assert violations == [], json.dumps(violations, indent=2)
    shot = bs.save_screenshot(driver, f"compare-{name}.png")
    assert shot.stat().st_size > 10_000 and png_width(shot) == size[0]


A4_WIDTH = 703
"""CSS pixels across an A4 page inside the report's @page margins (210 - 2 x 12 mm at 96 per inch)."""


def test_compare_prints_like_the_report(driver: Any, compare_file: Path) -> None:
    """The shared print styles: no contents bar, a plain header, and the heat map whole (not in a box,
    nothing sticky) and within the width of an A4 page."""
    open_page(driver, compare_file.as_uri(), (A4_WIDTH, 1000))
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        state = driver.execute_script(
            "const box = document.querySelector('.matrix-scroll'), s = getComputedStyle(box);"
            "return [getComputedStyle(document.querySelector('nav.toc')).display,"
            " getComputedStyle(document.querySelector('.masthead')).backgroundColor,"
            " getComputedStyle(document.querySelector('#matrix-controls')).display,"
            " s.overflowX, box.scrollWidth <= box.clientWidth + 1,"
            " document.documentElement.scrollWidth <= innerWidth,"
            " getComputedStyle(document.querySelector('#matrix tbody th[scope=row]')).position]"
        )
        assert state == ["none", "rgba(0, 0, 0, 0)", "none", "visible", True, True, "static"], state
    finally:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})


def test_prints_as_a_board_pack(driver: Any, demo_file: Path) -> None:
    from pypdf import PdfReader

    open_page(driver, demo_file.as_uri())
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        hidden = driver.execute_script(
            "return ['nav.toc', '.skip-link'].map(s => getComputedStyle(document.querySelector(s)).display)"
        )
        assert hidden == ["none", "none"]
        breaks = driver.execute_script(
            "return [...document.querySelectorAll('section.notice')].map(s => getComputedStyle(s).breakBefore)"
        )
        assert breaks and set(breaks) == {"page"}
        bs.save_screenshot(driver, "report-demo-print.png", max_height=4000)
    finally:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    pdf = driver.execute_cdp_cmd("Page.printToPDF", {"printBackground": True, "preferCSSPageSize": True})
    data = base64.b64decode(pdf["data"])
    bs.ARTIFACTS.mkdir(exist_ok=True)
    (bs.ARTIFACTS / "report-demo.pdf").write_bytes(data)
    assert len(PdfReader(io.BytesIO(data)).pages) >= 5  # summary, then each notice on new pages


def test_keyboard_skip_link_and_visible_focus(driver: Any, site: str) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    open_page(driver, f"{site}/report.html")
    ActionChains(driver).send_keys(Keys.TAB).perform()
    focused = driver.execute_script(
        "const a = document.activeElement, r = a.getBoundingClientRect(), s = getComputedStyle(a);"
        "return [a.className, a.getAttribute('href'), r.top >= 0 && r.bottom <= innerHeight, s.backgroundColor]"
    )
    assert focused == ["skip-link", "#main", True, "rgb(255, 221, 0)"]
    ActionChains(driver).send_keys(Keys.ENTER).perform()
    wait_for(driver, "document.activeElement.id === 'main'")
    ActionChains(driver).send_keys(Keys.TAB).perform()
    assert driver.execute_script("return document.querySelector('main').contains(document.activeElement)")
    ring = driver.execute_script("const s = getComputedStyle(document.activeElement);"
                                 "return [s.outlineStyle, s.boxShadow, s.backgroundColor]")
    assert ring[0] != "none" or ring[1] != "none" or ring[2] == "rgb(255, 221, 0)", ring


# --- accessibility -------------------------------------------------------------------------------


def axe_violations(driver: Any, axe_js: str) -> list[dict[str, Any]]:
    if not driver.execute_script("return typeof axe !== 'undefined'"):
        driver.execute_script(axe_js)
    result = driver.execute_async_script(AXE_RUN, bs.AXE_TAGS)
    assert "error" not in result, result
    return result["violations"]


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_axe_finds_no_wcag_violations(axe_js: str, driver: Any, site: str, demo_file: Path,
                                      size: tuple[int, int]) -> None:
    problems = {}
    for label, url in (("demo", demo_file.as_uri()), ("hostile", f"{site}/report.html")):
        open_page(driver, url, size)
        violations = axe_violations(driver, axe_js)
        if violations:
            problems[label] = violations
    assert problems == {}, json.dumps(problems, indent=2)
