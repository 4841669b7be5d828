"""Pages a page builder generates beside its own (the organization pages): returned in the builder's context under
EXTRA_PAGES, rendered by site.render_pages with the common layout, never listed in the navigation."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

# the context key a builder returns its generated pages under
EXTRA_PAGES = "extra_pages"


@dataclass(frozen=True)
class SubPage:
    """One generated page: `name` is the navigation entry it belongs to (marked as the current page)."""

    name: str
    filename: str
    title: str
    description: str
    template: str
    context: Mapping[str, Any] = field(default_factory=dict, repr=False)
