"""The parse stage over the real notices in ../shared/corpus (skipped when that folder is absent).

The corpus lives outside the project: its texts are read from there, never copied in.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from notice_audit.model import Document, Page
from notice_audit.parse import media_type_for, parse_page
from notice_audit.parse.furniture import furniture

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CORPUS = SHARED / "corpus"
NOTICES = CORPUS / "notices"
SEED = SHARED / "seeds" / "000_876061297daffbf5.txt"


def _corpus_files() -> list[Path]:
    if not NOTICES.is_dir():
        return []
    return sorted(p for p in NOTICES.iterdir() if p.is_file() and media_type_for(p.name))


def _parse(path: Path, media_type: str | None = None) -> Document:
    media_type = media_type or media_type_for(path.name)
    assert media_type is not None
    return parse_page(Page(str(path), str(path), path.read_bytes(), media_type))


def _heading_only(path: Path) -> bool:
    """A Markdown stub whose only text, after front matter, is headings."""
    if media_type_for(path.name) != "text/markdown":
        return False
    text = path.read_text("utf-8")
    if text.startswith("---"):
        text = text.split("\n---", 1)[-1].split("\n", 1)[-1]
    return all(line.lstrip().startswith("#") for line in text.splitlines() if line.strip())


@pytest.fixture(scope="module")
def corpus_files() -> list[Path]:
    if not NOTICES.is_dir():
        pytest.skip(f"corpus not found at {NOTICES} (it is kept outside the project)")
    return _corpus_files()


def test_every_corpus_file_parses_to_blocks_free_of_furniture(corpus_files: list[Path]) -> None:
    lexicon = furniture()
    assert len(corpus_files) > 100
    problems: list[str] = []
    for path in corpus_files:
        doc = _parse(path)
        blocks = list(doc.blocks())
        if not blocks and not (_heading_only(path) and doc.sections):
            problems.append(f"{path.name}: no blocks")
        for _, block in blocks:
            if lexicon.is_furniture_text(block.text):
                problems.append(f"{path.name}: furniture block {block.text[:60]!r}")
        for section in doc.sections:
            if section.heading and lexicon.is_furniture_text(section.heading):
                problems.append(f"{path.name}: furniture heading {section.heading!r}")
    assert not problems, "\n".join(problems)


@pytest.fixture(scope="module")
def seed() -> Document:
    if not SEED.is_file():
        pytest.skip(f"seed notice not found at {SEED} (it is kept outside the project)")
    return _parse(SEED, "text/plain")


def test_seed_maintenance_banner_is_removed(seed: Document) -> None:
    assert not any("Essential maintenance" in block.text for _, block in seed.blocks())
    assert not any("Essential maintenance" in section.heading for section in seed.sections)
    assert any("Essential maintenance" in removed for removed in seed.removed)


def test_seed_title_is_the_first_real_heading(seed: Document) -> None:
    first = seed.sections[0]
    assert (first.level, first.heading) == (1, "Children's Services Privacy Notice")
    assert seed.title == "Children's Services Privacy Notice"


def test_seed_recipient_list(seed: Document) -> None:
    section = next(s for s in seed.sections if s.heading == "Who we may share your information with")
    assert section.level == 2
    assert section.path == ("Children's Services Privacy Notice", "Who we may share your information with")
    items = [b for b in section.blocks if b.kind == "list_item"]
    assert len(items) == 13
    assert all(b.locator.line is not None for b in items)
