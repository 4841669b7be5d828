"""Pages a page builder generates beside its own (the organization pages): returned in the builder's context under
EXTRA_PAGES, rendered by site.render_pages with the common layout, never listed in the navigation. A page whose
context is costly to build can defer it (`make`): many such pages are then built and rendered on every core."""

from __future__ import annotations

from collections.abc import Callable, Mapping
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
    # when set, the context is built by calling it at render time (site.py may do that in a forked worker)
    make: Callable[[], Mapping[str, Any]] | None = field(default=None, repr=False, compare=False)

    def page_context(self) -> Mapping[str, Any]:
        return self.make() if self.make is not None else self.context
