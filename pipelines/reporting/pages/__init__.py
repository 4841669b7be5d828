"""The report's pages, in navigation order. A new page is one module with a `build(marts)` and one entry here."""

from __future__ import annotations

from pipelines.reporting.components import Page
from pipelines.reporting.pages import adoption, overview, quality, sentiment

PAGES: tuple[Page, ...] = (
    Page(
        name="index",
        title="Overview",
        description="Headline figures and alerts from the latest run.",
        template="index.html",
        builder=overview.build,
    ),
    Page(
        name="adoption",
        title="Adoption",
        description="Platform user growth, healthcare organizations active per platform, posting volume and engagement.",
        template="adoption.html",
        builder=adoption.build,
    ),
    Page(
        name="sentiment",
        title="Sentiment",
        description="How positive or negative posts are, by platform and organization type, with the extreme posts.",
        template="sentiment.html",
        builder=sentiment.build,
    ),
    Page(
        name="quality",
        title="Data quality",
        description="Check results, quarantined rows by reason and load reconciliation.",
        template="quality.html",
        builder=quality.build,
    ),
)
