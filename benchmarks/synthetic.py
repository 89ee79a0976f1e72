"""A seeded generator of realistic (fictional) notice text, HTML and hostile text.

Used by the benchmarks so that sizes can be scaled without copying real
notices into the project.
"""

from __future__ import annotations

import random

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
    ]
    block = "".join(pieces)
    return (block * (target_bytes // len(block) + 1))[:target_bytes]
