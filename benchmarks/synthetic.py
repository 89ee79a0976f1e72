"""A seeded generator of realistic (fictional) notice text, HTML and hostile text.

Used by the benchmarks so that sizes can be scaled without copying real
notices into the project.
"""

from __future__ import annotations

import random
from pathlib import Path

BODIES = ["Lowmoor Borough Council", "Fenwick County Council", "Stonebridge District Council", "Ashdale NHS Trust"]
SECTIONS = [
    ("Who we are", [
        "{body} is the data controller for the personal information we process about you.",
        "You can contact our Data Protection Officer at dpo@{domain} or on 01632 960 {n3}.",
    ]),
    ("Why we use your information", [
        "We use your information to provide {service} and to contact you about your request.",
        "We also use it to prevent and detect fraud and to improve our services.",
    ]),
    ("Our lawful basis", [
        "We process your information to perform a task in the public interest under section {n2} of the Localism "
        "Act 2011 and to comply with our legal obligations.",
        "Where we process special category data we rely on Article 9(2)(g), substantial public interest.",
    ]),
    ("Who we share your information with", [
        "We may share your information with other council services, the police, HMRC and NHS bodies.",
        "- other local authorities\n- contractors acting on our behalf\n- the Department for Work and Pensions",
    ]),
    ("How long we keep your information", [
        "We keep {service} records for {n1} years after the end of the financial year.",
        "Other records are kept in line with our retention schedule.",
    ]),
    ("Your rights", [
        "You have the right to ask for a copy of your information, to have it corrected and to object to processing.",
        "You can complain to the Information Commissioner's Office, Wycliffe House, Water Lane, Wilmslow SK9 5AF.",
    ]),
    ("Transfers and automated decisions", [
        "We do not transfer your personal information outside the UK.",
        "We do not make decisions about you based solely on automated processing.",
    ]),
]
SERVICES = ["council tax", "housing", "parking", "planning", "licensing", "library", "garden waste"]


def notice_text(target_bytes: int, *, seed: int = 1) -> str:
    """Plain text of about ``target_bytes``: headings and paragraphs repeated with variation."""
    rng = random.Random(seed)
    out: list[str] = ["Privacy notice", ""]
    size = 0
    while size < target_bytes:
        body = rng.choice(BODIES)
        for heading, paragraphs in SECTIONS:
            fields = {"body": body, "domain": "lowmoor.gov.uk", "service": rng.choice(SERVICES),
                      "n1": rng.randint(1, 9), "n2": rng.randint(1, 99), "n3": rng.randint(100, 999)}
            chunk = heading + "\n\n" + "\n\n".join(p.format(**fields) for p in paragraphs) + "\n\n"
            out.append(chunk)
            size += len(chunk)
    return "\n".join(out)


def notice_html(target_bytes: int, *, seed: int = 1) -> str:
    """The same text as HTML with nav/footer furniture, lists and a table."""
    rng = random.Random(seed)
    parts = ["<!doctype html><html><head><title>Privacy notice</title></head><body>",
             "<header><nav><a href='/'>Home</a><a href='/privacy'>Privacy</a></nav></header>",
             "<div class='cookie-banner'><p>We use cookies.</p></div><main>"]
    size = 0
    i = 0
    while size < target_bytes:
        for heading, paragraphs in SECTIONS:
            i += 1
            service = rng.choice(SERVICES)
            html = f"<h2 id='s{i}'>{heading}</h2>"
            for p in paragraphs:
                text = p.format(body=rng.choice(BODIES), domain="lowmoor.gov.uk", service=service,
                                n1=rng.randint(1, 9), n2=rng.randint(1, 99), n3=rng.randint(100, 999))
                if text.startswith("- "):
                    html += "<ul>" + "".join(f"<li>{x[2:]}</li>" for x in text.split("\n")) + "</ul>"
                else:
                    html += f"<p>{text}</p>"
            html += ("<table><tr><th>Record</th><th>Kept for</th></tr>"
                     f"<tr><td>{service}</td><td>6 years</td></tr></table>")
            parts.append(html)
            size += len(html)
    parts.append("</main><footer><p>Lowmoor Borough Council, Town Hall, LM1 2AB</p></footer></body></html>")
    return "".join(parts)


def hostile_text(target_bytes: int) -> str:
    """Text built to make careless regular expressions backtrack: long runs with no sentence end."""
    pieces = [
        "Council " * 40,                      # capitalised words with no organisation suffix at the end
        "share with the police, " * 40,       # enumerations that never end
        "0" * 400 + " ",                      # digit runs
        "a@" * 200 + " ",                     # broken emails
        "section 1 of the " * 40,             # statute prefixes with no title
        "keep for years until " * 40,         # retention words with no period
        "we do not " * 60,                    # negation words with nothing negated
        "(" * 200 + " ",                      # unbalanced brackets
        "Last updated " * 40 + "1 " * 40,     # a review-date label with no date after it
        "a" * 5000 + " " + "word-" * 200,     # words with no end (plain-language measures)
        "skip to " * 50 + "(alert 1 of 2) " * 26,  # furniture look-alikes
        "Department for Education Department for " * 20 + "Lowmoor Council (" * 40,  # names that never close
        "contact the DPO at " * 40 + "Data Protection Officer\n" * 20,  # contact cues with no contact
        "complain " * 60 + "ICO " + "representative " * 60,  # cue words repeated, nothing they introduce
    ]
    block = "".join(pieces)
    return (block * (target_bytes // len(block) + 1))[:target_bytes]


def hostile_template(target_bytes: int) -> str:
    """A template whose tags never close ("{{ {", "<% "), around hostile text."""
    block = "{{ {" * 200 + "<% " * 200 + hostile_text(4096)
    return (block * (target_bytes // len(block) + 1))[:target_bytes]


# ------------------------------------------------------------------------------------------ a corpus of web pages

NAV = ["Home", "Council tax", "Bins and recycling", "Housing", "Planning and building control", "Parking",
       "Benefits", "Schools and education", "Adult social care", "Jobs and careers", "Libraries",
       "Licensing", "Roads and transport", "Business", "Contact us", "Report it", "Pay for it", "Apply for it"]
FOOTER = ["Accessibility statement", "Cookies", "Privacy", "Terms and conditions", "Freedom of information",
          "Modern slavery statement", "Sitemap", "Contact us", "Jobs", "Complaints"]
RETENTION_ROWS = [("Council tax accounts", "6 years after the account closes"),
                  ("Housing applications", "2 years after the application is closed"),
                  ("Parking permits", "3 years after the permit ends"),
                  ("Planning applications", "permanently (public register)"),
                  ("Licensing records", "6 years after the licence lapses"),
                  ("Complaints", "6 years after the complaint is closed"),
                  ("CCTV footage", "31 days unless needed for an investigation")]
RIGHTS = ["the right to be informed", "the right of access", "the right to rectification", "the right to erasure",
          "the right to restrict processing", "the right to data portability", "the right to object",
          "rights in relation to automated decision making and profiling"]
CATEGORIES = ["name, address, date of birth and contact details", "National Insurance number",
              "bank or payment details", "household and family details", "health information where relevant",
              "vehicle registration number", "CCTV images", "correspondence with us"]

Block = str | list[str] | list[tuple[str, str]]  # a paragraph, a bulleted list, or a two-column table


def _notice_sections(rng: random.Random, target_bytes: int) -> tuple[str, str, list[tuple[str, list[Block]]]]:
    """(body, title, sections) of one varied notice whose text is about ``target_bytes`` long.

    The first round is a whole notice (a section is sometimes left out, so audits differ); later
    rounds are service-specific sections, as long notices of councils and NHS trusts are.
    """
    body = rng.choice(BODIES)
    domain = body.lower().split()[0] + (".nhs.uk" if "NHS" in body else ".gov.uk")
    sections: list[tuple[str, list[Block]]] = []
    size = 0
    round_ = 0
    while size < target_bytes or not sections:
        service = rng.choice(SERVICES)
        for heading, paragraphs in SECTIONS:
            if round_ == 0 and heading != "Who we are" and rng.random() < 0.12:
                continue
            fields = {"body": body, "domain": domain, "service": service, "n1": rng.randint(1, 9),
                      "n2": rng.randint(1, 99), "n3": rng.randint(100, 999)}
            blocks: list[Block] = []
            for p in paragraphs:
                text = p.format(**fields)
                blocks.append([x[2:] for x in text.split("\n")] if text.startswith("- ") else text)
            if heading == "Why we use your information":
                blocks.append("We collect the following kinds of information:")
                blocks.append(rng.sample(CATEGORIES, rng.randint(3, 6)))
            elif heading == "How long we keep your information":
                blocks.append(rng.sample(RETENTION_ROWS, rng.randint(2, 5)))
            elif heading == "Your rights":
                blocks.append("Under data protection law you have:")
                blocks.append(RIGHTS[: rng.randint(5, len(RIGHTS))])
            title = heading if round_ == 0 else f"{service.capitalize()}: {heading.lower()}"
            sections.append((title, blocks))
            size += sum(len(b) if isinstance(b, str) else sum(len(str(x)) + 8 for x in b) for b in blocks)
            size += len(title)
            if round_ > 0 and size >= target_bytes:
                break
        round_ += 1
    return body, f"Privacy notice - {body}", sections


def notice_page(target_bytes: int, *, seed: int = 1) -> str:
    """A whole notice web page of about ``target_bytes``: skip link, cookie banner, header and
    navigation, breadcrumbs, a sidebar and a footer of links around a main notice with headings,
    paragraphs, lists and tables."""
    rng = random.Random(seed)
    nav = "".join(f"<li><a href='/{n.lower().replace(' ', '-')}'>{n}</a></li>" for n in NAV)
    footer = "".join(f"<li><a href='/{n.lower().replace(' ', '-')}'>{n}</a></li>" for n in FOOTER)
    head = ("<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{title}</title>"
            "<link rel='stylesheet' href='/assets/site.css'><script src='/assets/site.js' defer></script></head><body>"
            "<a class='skip-link' href='#main'>Skip to main content</a>"
            "<div class='cookie-banner' role='region'><p>We use cookies to make this site work and to understand how "
            "you use it.</p><button>Accept all cookies</button><button>Reject additional cookies</button></div>"
            "<header class='site-header' role='banner'><a href='/' class='logo'>{body}</a>"
            "<form class='search' role='search'><label for='q'>Search</label><input id='q' name='q'></form>"
            f"<nav aria-label='Main'><ul>{nav}</ul></nav></header>"
            "<nav class='breadcrumbs' aria-label='Breadcrumb'><ol><li><a href='/'>Home</a></li>"
            "<li><a href='/council-and-democracy'>Council and democracy</a></li><li><a href='/data-protection'>"
            "Data protection</a></li></ol></nav><div class='page'>")
    furniture = len(head) + len(footer) + 900
    tail = len(footer) + 700
    body, title, sections = _notice_sections(rng, max(1, target_bytes - furniture))  # markup: more than enough
    parts = [head.format(title=title, body=body), f"<main id='main'><h1>{title}</h1>",
             f"<p class='updated'>Last updated: {rng.randint(1, 28)} March 202{rng.randint(2, 5)}</p>"]
    size = sum(len(p) for p in parts)
    for i, (heading, blocks) in enumerate(sections):
        html = f"<h2 id='s{i}'>{heading}</h2>"
        for block in blocks:
            if isinstance(block, str):
                html += f"<p>{block}</p>"
            elif block and isinstance(block[0], tuple):
                rows = "".join(f"<tr><td>{a}</td><td>{b}</td></tr>" for a, b in block)  # type: ignore[misc]
                html += ("<table><thead><tr><th>Record</th><th>How long we keep it</th></tr></thead>"
                         f"<tbody>{rows}</tbody></table>")
            else:
                html += "<ul>" + "".join(f"<li>{x}</li>" for x in block) + "</ul>"
        parts.append(f"<section>{html}</section>")
        size += len(parts[-1])
        if size + tail >= target_bytes and i >= 6:
            break
    parts.append("</main><aside class='related'><h2>Related pages</h2><ul><li><a href='/data-protection'>Data "
                 "protection</a></li><li><a href='/foi'>Freedom of information</a></li><li><a href='/cookies'>"
                 "Cookies</a></li></ul></aside></div>")
    parts.append(f"<footer class='site-footer' role='contentinfo'><ul>{footer}</ul><p>&copy; {body}, Town Hall, "
                 "Market Street, LM1 2AB. Telephone 01632 960 000.</p></footer></body></html>")
    return "".join(parts)


def notice_plain(target_bytes: int, *, seed: int = 1) -> str:
    """The plain-text counterpart of ``notice_page`` (as a notice saved from a page or a template)."""
    rng = random.Random(seed)
    _body, title, sections = _notice_sections(rng, target_bytes)
    out = [title, "", f"Last updated: {rng.randint(1, 28)} March 202{rng.randint(2, 5)}", ""]
    for heading, blocks in sections:
        out += [heading, ""]
        for block in blocks:
            if isinstance(block, str):
                out += [block, ""]
            elif block and isinstance(block[0], tuple):
                out += [f"{a}: {b}" for a, b in block] + [""]  # type: ignore[misc]
            else:
                out += [f"- {x}" for x in block] + [""]
    return "\n".join(out)


def corpus(folder: str | Path, count: int, seed: int = 1, *, min_bytes: int = 5 * 1024,
           max_bytes: int = 500 * 1024, text_share: float = 0.0) -> list[Path]:
    """Write ``count`` notices to ``folder``: sizes log-uniform between ``min_bytes`` and ``max_bytes``
    (so most are small, as real notices are), HTML pages with furniture, or plain text for a
    ``text_share`` of them. The same seed always gives the same files. Returns their paths."""
    rng = random.Random(seed)
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    width = len(str(count))
    for i in range(count):
        size = round(min_bytes * (max_bytes / min_bytes) ** rng.random())
        page_seed = rng.randrange(2**32)
        if rng.random() < text_share:
            path, text = out / f"notice-{i:0{width}d}.txt", notice_plain(size, seed=page_seed)
        else:
            path, text = out / f"notice-{i:0{width}d}.html", notice_page(size, seed=page_seed)
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths
