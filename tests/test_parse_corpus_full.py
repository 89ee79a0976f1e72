"""The real full-length notices of the development split, in every format they are kept in, parse whole.

Only the notices with a label file in ``../shared/corpus-full/labels`` are read (the others are kept
back for independent measurement); their texts stay in that folder. Skipped where it is absent.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from notice_audit.parse import media_type_for, parse_page
from notice_audit.sources.files import read_file
from tests.conftest import SHARED, need

CORPUS_FULL = SHARED / "corpus-full"
# What is left when a template language's markup or code is not removed.
RESIDUE = ("{{", "}}", "{%", "%}", "<?php", "<?=", "?>", "@{", "__(", "<%", "%>", "[%", "export const", "${")


def _labelled() -> list[Path]:
    labels = need(CORPUS_FULL / "labels")
    names = [yaml.safe_load(p.read_text(encoding="utf-8"))["file"] for p in sorted(labels.glob("*.yaml"))]
    return [CORPUS_FULL / "notices" / name for name in names]


def test_the_development_split_covers_the_code_formats() -> None:
    suffixes = {media_type_for(p.name) for p in _labelled()}
    assert {"text/x-razor", "application/x-httpd-php", "application/x-typescript", "text/x-template"} <= suffixes


@pytest.mark.parametrize("index", range(16))
def test_each_labelled_full_notice_parses_whole_without_template_residue(index: int) -> None:
    files = _labelled()
    assert len(files) == 16
    path = files[index]
    source = path.read_text(encoding="utf-8", errors="replace")
    doc = parse_page(read_file(str(path)))
    blocks = [b for _, b in doc.blocks()]
    headings = [s.heading for s in doc.sections if s.heading]
    # 3,000-45,000 characters of notice: at least a block per 600 characters, and most of the text kept.
    assert len(blocks) >= max(10, len(source) // 600), path.name
    assert len(headings) >= 3, path.name
    assert len(doc.text) >= 0.25 * len(source), path.name
    assert doc.title, path.name
    assert all(b.locator.line is not None for b in blocks), path.name
    shown = "\n".join([*headings, doc.text])
    assert [r for r in RESIDUE if r in shown] == [], path.name
    assert doc.warnings == (), path.name
