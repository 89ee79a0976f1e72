"""The YAML data files bundled with the package (lexicons, furniture, discovery cues).

Read with libyaml's C loader when PyYAML was built with it: the pure-Python loader took
90 ms of a one-page audit's start-up, the C loader takes 6 ms. Checklists, which users write,
keep the pure-Python loader for its error messages.
"""

from __future__ import annotations

from typing import Any

import yaml

LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load(text: str) -> Any:
    """Parse one bundled YAML file, as ``yaml.safe_load`` would."""
    return yaml.load(text, Loader=LOADER)
