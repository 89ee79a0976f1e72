"""Good-practice extractors: what a notice needs beyond the legal minimum to serve its readers.

One module per family, each ``Document -> list[Finding]`` like every other
extractor (``EXTRACTORS``), plus a few that read what the other extractors
found (``DERIVED``: ``(Document, Findings) -> list[Finding]``), such as vague
recipients, which are vague only when the notice names no concrete ones.

- ``review_date``: "Last updated: 3 March 2024" (element ``review_date``);
- ``outdated_law``: the Data Protection Act 1998, Safe Harbour, "EU GDPR" ... (``outdated_law``);
- ``ico_contact``: the ICO's website, helpline, address (``ico_contact``);
- ``vagueness``: "third parties" only, "as long as necessary" only (``vague_recipients``, ``vague_retention``);
- ``plain_language``: reading ease, sentence length, jargon (``plain_language``);
- ``audience``: a notice written for children or young people (``audience``);
- ``special_data``: special category and criminal offence data, their conditions, Schedule 1 and the
  appropriate policy document;
- ``law_enforcement``: processing under DPA 2018 Part 3 (``law_enforcement``).

Broken links are found by the crawler (``notice_audit/crawl.py``), which alone may touch the network.
"""

from __future__ import annotations

from collections.abc import Callable

from notice_audit.extract.practice import (
    audience,
    ico_contact,
    law_enforcement,
    outdated_law,
    plain_language,
    review_date,
    special_data,
    vagueness,
)
from notice_audit.model import Document, Finding, Findings

Extractor = Callable[[Document], list[Finding]]
Derived = Callable[[Document, Findings], list[Finding]]

#: Extractors that read the document alone, by name.
EXTRACTORS: dict[str, Extractor] = {
    "review_date": review_date.extract,
    "outdated_law": outdated_law.extract,
    "ico_contact": ico_contact.extract,
    "plain_language": plain_language.extract,
    "audience": audience.extract,
    "special_data": special_data.extract,
    "law_enforcement": law_enforcement.extract,
}
#: Extractors that also read what the others found (run after them).
DERIVED: dict[str, Derived] = {
    "vagueness": vagueness.extract,
    "schedule_1": special_data.derived,
}
