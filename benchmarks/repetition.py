"""How often a corpus repeats its sentences: whether generated pages read like real notices.

``python -m benchmarks.repetition [--pages N]`` splits every whole real notice of ``../shared/corpus-full``
and ``N`` generated national-review pages into the sentences and headings the extractors read, and prints
the share met earlier in the same page and the share met earlier in the corpus. A generator that repeats
far more than real notices do would reward remembering sentences, a speed-up real reviews would not get.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from benchmarks.steady_pass import national_pages
from benchmarks.whole_notices import real_pages


@dataclass(frozen=True)
class Repetition:
    units: int  # sentences and headings, in all
    within: int  # met earlier in the same page
    across: int  # met earlier in the corpus (the same page included)

    def line(self, label: str) -> str:
        return (f"{label}: {self.units:,} sentences and headings, {self.within / self.units:.1%} repeat one earlier "
                f"in their page, {self.across / self.units:.1%} one earlier in the corpus")


def count(pages: Iterable[Sequence[str]]) -> Repetition:
    """Repetition of each page's texts (in reading order), within the page and across the pages."""
    units = within = across = 0
    corpus: set[str] = set()
    for texts in pages:
        page: set[str] = set()
        for text in texts:
            units += 1
            within += text in page
            across += text in page or text in corpus
            page.add(text)
        corpus |= page
    return Repetition(units, within, across)


def unit_texts(pages: Sequence[Any]) -> Iterable[list[str]]:
    """The texts of each page's units, as the document index reads them."""
    from notice_audit.extract import index, reading
    from notice_audit.parse import parse_page

    for page in pages:
        doc = parse_page(page)
        with reading(doc):
            yield [u.text for u in index.index_of(doc).units]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.repetition", description=__doc__)
    parser.add_argument("--pages", type=int, default=20, help="generated pages (default 20)")
    args = parser.parse_args(argv)
    print(count(unit_texts(real_pages())).line("whole real notices (48)"))
    print(count(unit_texts(national_pages(args.pages))).line(f"generated national-review pages ({args.pages})"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
