"""The furniture lexicon (``furniture.yaml``): what of a page is site furniture, not notice."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from notice_audit import yamldata
from notice_audit.parse.textutil import clean


@dataclass(frozen=True)
class Furniture:
    """The compiled furniture lexicon (``furniture.yaml``)."""

    tags: frozenset[str]
    site_tags: frozenset[str]
    control_tags: frozenset[str]
    roles: frozenset[str]
    names: re.Pattern[str]
    contains: re.Pattern[str]
    text: re.Pattern[str]
    banners: re.Pattern[str]
    banner_headings: re.Pattern[str]
    max_text_length: int

    def is_furniture_name(self, token: str) -> bool:
        """Whether one class or id token marks site furniture."""
        token = token.lower()
        return bool(self.names.match(token) or self.contains.search(token))

    def is_furniture_text(self, text: str, *, banners: bool = True, cleaned: bool = False) -> bool:
        """Whether a whole block (or line) is furniture by its text alone (``cleaned``: already ``clean``)."""
        if not cleaned:
            text = clean(text)
        if not text or len(text) > self.max_text_length:
            return False
        if self.text.fullmatch(text):
            return True
        return banners and bool(self.banners.fullmatch(text))

    def is_banner_heading(self, text: str) -> bool:
        """Whether a line is the heading a cookie or survey banner opens with ("Cookies on GOV.UK"): never a
        title, and furniture where banners are (the top of a plain-text or printed page)."""
        text = clean(text)
        return bool(text) and len(text) <= self.max_text_length and bool(self.banner_headings.fullmatch(text))


def _alternation(patterns: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.I)


@cache
def furniture() -> Furniture:
    """Load and compile ``furniture.yaml`` once."""
    raw: dict[str, Any] = yamldata.load(
        resources.files("notice_audit.parse").joinpath("furniture.yaml").read_text("utf-8")
    )
    names = [re.escape(n.lower()) for n in raw["class_id"]["names"]]
    contains = [re.escape(c.lower()) for c in raw["class_id"]["contains"]]
    return Furniture(
        tags=frozenset(raw["tags"]),
        site_tags=frozenset(raw["site_tags"]),
        control_tags=frozenset(raw["control_tags"]),
        roles=frozenset(raw["roles"]),
        names=re.compile(r"(?:" + "|".join(names) + r")(?:$|[-_])"),
        contains=re.compile("|".join(contains)),
        text=_alternation(raw["text"]),
        banners=_alternation(raw["banners"]),
        banner_headings=_alternation(raw["banner_headings"]),
        max_text_length=int(raw.get("max_text_length", 400)),
    )
