"""Headless Chromium for the HTML report's browser tests, and the small pages those tests serve.

The browser is Debian's ``chromium`` driven by Selenium through
``chromium-driver``; axe-core comes from npm (``.ci/browser-deps`` installs
all three). Without them the tests skip and say why, except under CI (the
``CI`` environment variable), where a missing browser must fail the run.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
DRIVER_CANDIDATES = ("/usr/bin/chromedriver",)
AXE_DEFAULT = REPO / ".ci-cache" / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def unavailable(reason: str) -> None:
    """Skip with ``reason``, or fail when running in CI, where the browser tests must run."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set, so the browser tests must run: see .ci/browser-deps)")
    pytest.skip(f"{reason}; run .ci/browser-deps to install it")


def _first(paths: tuple[str, ...], name: str) -> str | None:
    for p in paths:
        if Path(p).is_file() and os.access(p, os.X_OK):
            return p
    return shutil.which(name)


def chromium_paths() -> tuple[str, str]:
    """(browser, driver) executables, or skip/fail when either is absent."""
    browser = _first(CHROMIUM_CANDIDATES, "chromium")
    driver = _first(DRIVER_CANDIDATES, "chromedriver")
    if not browser:
        unavailable("chromium is not installed (Debian package chromium)")
    if not driver:
        unavailable("chromedriver is not installed (Debian package chromium-driver)")
    return browser, driver  # type: ignore[return-value]


def axe_source() -> str:
    """axe.min.js from NOTICE_AUDIT_AXE_JS or .ci-cache, or skip/fail when absent."""
    path = Path(os.environ.get("NOTICE_AUDIT_AXE_JS") or AXE_DEFAULT)
    if not path.is_file():
        unavailable(f"axe-core is not installed at {path} (npm install --prefix .ci-cache axe-core@4)")
    return path.read_text(encoding="utf-8")


@contextmanager
def chromium(profile: Path, width: int = 1280, height: int = 900) -> Iterator[object]:
    """A headless Chromium with a fresh profile in ``profile`` that leaves nothing running."""
    browser, driver_path = chromium_paths()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--disable-default-apps",
        "--no-first-run",
        "--no-default-browser-check",
        "--hide-scrollbars",
        "--force-device-scale-factor=1",
        f"--window-size={width},{height}",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
    driver.set_page_load_timeout(30)
    driver.set_script_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


def set_viewport(driver: object, width: int, height: int, *, mobile: bool = False) -> None:
    """Emulate a viewport (a phone with ``mobile``): windows cannot be narrower than 500 px."""
    driver.execute_cdp_cmd(  # type: ignore[attr-defined]
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile},
    )


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve ``folder`` on 127.0.0.1 (an ephemeral port) for the length of the block; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def save_screenshot(driver: object, name: str, *, max_height: int = 12000) -> Path:
    """A full-page PNG in test-artifacts/ (CI keeps the folder), at the current viewport width."""
    import base64

    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    size = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})["cssContentSize"]  # type: ignore[attr-defined]
    clip = {"x": 0, "y": 0, "width": size["width"], "height": min(size["height"], max_height), "scale": 1}
    shot = driver.execute_cdp_cmd(  # type: ignore[attr-defined]
        "Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True, "clip": clip}
    )
    path.write_bytes(base64.b64decode(shot["data"]))
    return path


# --- a fictional notice page and a report about it, hostile strings included -----------------------

PWN = "window.__pwned=(window.__pwned||0)+1;document.title='pwned'"
HOSTILE_TITLE = f"<img src=x onerror=\"{PWN}\"> Lowmoor <script>{PWN}</script> notice"
HOSTILE_QUOTE = f"We share data with the police </p><script>{PWN}</script><svg onload=\"{PWN}\"> & courts"
HOSTILE_URL = f"javascript:{PWN}//"

NOTICE_PAGE = """<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8"><title>Lowmoor parking privacy notice</title>
<style>section { min-height: 140vh; } body { font-family: sans-serif; }</style></head>
<body><main>
<h1 id="top">Lowmoor parking privacy notice</h1>
<section id="who-we-are"><h2>Who we are</h2>
<p>Lowmoor Borough Council is the data controller for parking permits.</p></section>
<section id="sharing"><h2>Who we share it with</h2>
<p>We share permit details with the enforcement contractor that patrols our car parks.</p></section>
<section id="retention"><h2>How long we keep it</h2>
<p>We keep permit records for two years after the permit ends, then delete them.</p></section>
<section id="rights"><h2>Your rights</h2>
<p>You can ask for a copy of your information, and complain to the Information Commissioner's Office.</p></section>
</main></body></html>
"""


def _ev(quote: str, source: str, *path: str, **where: object) -> object:
    from notice_audit.model import Evidence, Locator

    return Evidence(quote, Locator(source, tuple(path), **where))  # type: ignore[arg-type]


def empty_values(**values: object) -> dict[str, object]:
    """An ``extracted`` object with every key the report schema requires, empty unless given."""
    out: dict[str, object] = {
        "lawful_bases": [], "special_category_conditions": [], "statutes": [], "rights": [], "recipients": [],
        "contacts": {"emails": [], "phones": [], "postcodes": [], "urls": []}, "retention": [],
    }
    return {**out, **values}


def hostile_report(base: str) -> object:
    """A report about ``{base}/notice.html`` (and a few other notices) full of hostile strings.

    Quotes, titles, headings, sources, fragments, links and extracted values
    carry script tags, event handlers and ``javascript:`` URLs; a correct
    report shows all of them as text and runs none.
    """
    from notice_audit.model import AuditReport, ItemResult, NoticeReport, ParentCoverage, TargetError

    page = f"{base}/notice.html"
    ico = "https://ico.org.uk/for-organisations/"
    good_items = (
        ItemResult("controller_identity", "Name and contact details of the controller", "met", "required", 3,
                   "found 1 statement",
                   (_ev("Lowmoor Borough Council is the data controller for parking permits.", page,
                        "Lowmoor parking privacy notice", "Who we are", fragment="who-we-are"),),
                   "UK GDPR Art 13(1)(a)", "Name the controller.", ico, "the controller's name"),
        ItemResult("recipients", "Recipients", "met", "required", 2, f"found <b>2</b> {PWN}",
                   (_ev("We share permit details with the enforcement contractor that patrols our car parks.", page,
                        "Lowmoor parking privacy notice", "Who we share it with", fragment="sharing"),
                    _ev(HOSTILE_QUOTE, page, "Lowmoor parking privacy notice", f"<svg onload=\"{PWN}\">",
                        fragment=f"x\" onmouseover=\"{PWN}"),
                    _ev("hostile source", HOSTILE_URL, "Sharing"),
                    _ev("data source", "data:text/html,<script>alert(1)</script>", "Sharing"),
                    _ev("one more", page, "Lowmoor parking privacy notice", "Who we share it with",
                        fragment="sharing")),
                   "UK GDPR Art 13(1)(e)", "", HOSTILE_URL),
        ItemResult("retention", "Retention periods or criteria", "met", "required", 2, "found 1 statement",
                   (_ev("We keep permit records for two years after the permit ends, then delete them.", page,
                        "Lowmoor parking privacy notice", "How long we keep it"),),
                   "UK GDPR Art 13(2)(a)", "", ico),
        ItemResult("rights", "The rights available to individuals", "partial", "required", 3,
                   "only some rights are named",
                   (_ev("You can ask for a copy of your information, and complain to the Information "
                        "Commissioner's Office.", page, "Lowmoor parking privacy notice", "Your rights",
                        fragment="rights"),),
                   "UK GDPR Art 13(2)(b)", "List every right that applies.", ico,
                   "the data-subject rights and how to use them"),
        ItemResult("dpo_contact", "Contact details of the data protection officer", "missing", "required", 2,
                   "not found", (), "UK GDPR Art 13(1)(b)", f"Publish a DPO contact <script>{PWN}</script>",
                   "javascript:alert(document.domain)", f"a DPO email <img src=x onerror=\"{PWN}\">"),
        ItemResult("outdated_reference", "Outdated legal reference", "failed", "recommended", 1,
                   "cites the Data Protection Act 1998",
                   (_ev("under the Data Protection Act 1998", "notices/lowmoor parking.pdf", "Your rights",
                        line=14, end_line=15, fragment="page=2"),),
                   "DPA 2018", "Refer to the UK GDPR and the DPA 2018.", ico),
        ItemResult("automated_decision_making", "Automated decision-making", "not_applicable", "recommended", 1,
                   "does not apply"),
    )
    extracted = {
        "controller": ["Lowmoor Borough Council"],
        "lawful_bases": ["public_task", "legal_obligation"],
        "special_category_conditions": [],
        "criminal_offence_data": False,
        "statutes": [{"title": "Road Traffic Regulation Act", "year": 1984, "section": "45", "text": "s45"}],
        "rights": ["access", "complaint"],
        "recipients": [
            {"text": "the enforcement contractor", "category": "contractors_processors"},
            {"text": f"<iframe src=\"{HOSTILE_URL}\"></iframe>", "category": f"<b onclick=\"{PWN}\">x</b>"},
        ],
        "contacts": {
            "emails": ["parking@lowmoor.example"], "phones": ["01632960000"], "postcodes": [],
            "urls": [HOSTILE_URL, "https://lowmoor.example/parking"], "ico_registrations": [],
            "roles": [{"value": "parking@lowmoor.example", "kind": "email", "role": "service"}],
        },
        "retention": [{"text": "two years after the permit ends", "period": "P2Y"}],
    }
    good = NoticeReport(page, HOSTILE_TITLE, 71.4, True, good_items, extracted, media_type="text/html",
                        parts=(page, f"{base}/notice-2.html", HOSTILE_URL),
                        parent=ParentCoverage(HOSTILE_URL, 90, ("dpo_contact", f"<i>{PWN}</i>")))
    layered = NoticeReport(
        f"{base}/parking-fines.html", "Parking fines: your information", 40, False,
        (ItemResult("rights", "The rights available to individuals", "partial", "required", 3,
                    "not stated here; the notice points to where it is given",
                    (_ev("For your rights, see our parking privacy notice.", f"{base}/parking-fines.html",
                         "Parking fines", "Your rights"),),
                    "UK GDPR Art 13(2)(b)", "List the rights.", ico),),
        empty_values(), parent=ParentCoverage(page, 71.4, ("rights",)),
    )
    local = NoticeReport("notices/<b>local</b>.txt", "", 0, False, (), empty_values())
    return AuditReport("0.1.0", "uk-gdpr", "1.0.0", "2025-01-31T09:30:00Z", (good, layered, local),
                       (TargetError(HOSTILE_URL, f"<script>{PWN}</script> refused"),), fail_under=50)


# --- a comparison across fictional councils, for the comparison page's layout and screenshots -------

COUNCILS = ("Hilltop District Council", "Eastmere County Council", "Brackenford City Council",
            "Saltmarsh Town Council", "Kestrel Vale Borough Council")
SERVICES = ("Council tax", "Housing benefit", "Parking permits", "Planning applications", "Waste and recycling",
            "Adult social care", "School admissions", "Libraries", "Electoral registration", "Licensing")
_RARELY_APPLY = {"representative": 0.9, "legitimate_interests": 0.6, "withdraw_consent": 0.5,
                 "automated_decision_making": 0.5, "data_source": 0.3}


def council_reports(demo: object, *, seed: int = 7) -> list[object]:
    """The demo's report and a later one about other fictional councils: every item of the uk-gdpr
    checklist for each notice, statuses drawn (from ``seed``) around a level that differs by council, so
    that a comparison has a wide heat map, uneven coverage and organisations that rank apart."""
    import random

    from notice_audit.model import AuditReport, ItemResult, NoticeReport
    from notice_audit.rules.checklist import load_checklist

    checklist = load_checklist("uk-gdpr")
    rnd = random.Random(seed)
    notices = []
    for c, council in enumerate(COUNCILS):
        level = 0.85 - 0.13 * c
        slug = council.split()[0].lower()
        for service in rnd.sample(SERVICES, 3 + c % 3):
            items = []
            for item in checklist.items:
                if rnd.random() < _RARELY_APPLY.get(item.id, 0.0):
                    status = "not_applicable"
                else:
                    roll = rnd.random()
                    status = ("met" if roll < level else "partial" if roll < level + 0.12
                              else "failed" if roll > 0.97 else "missing")
                items.append(ItemResult(item.id, item.title, status, item.severity, item.weight,  # type: ignore[arg-type]
                                        f"{status.replace('_', ' ')} in this example"))
            applicable = [i for i in items if i.status != "not_applicable"]
            score = 100 * sum(i.weight * {"met": 1, "partial": 0.5}.get(i.status, 0) for i in applicable) / max(
                1, sum(i.weight for i in applicable))
            passed = score >= 60 and not any(i.status in ("missing", "failed") and i.severity == "required"
                                             for i in applicable)
            source = f"https://www.{slug}.example.gov.uk/privacy/{service.lower().replace(' ', '-')}"
            notices.append(NoticeReport(source, f"{service} privacy notice - {council}", round(score, 1), passed,
                                        tuple(items), empty_values(controller=[council])))
    others = AuditReport("0.1.0", checklist.id, checklist.version, "2025-03-03T10:15:00Z", tuple(notices))
    return [demo, others]
