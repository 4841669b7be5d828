"""The report's pages, in navigation order. A new page is one module with a `build(marts)` and one entry here."""

from __future__ import annotations

from pipelines.reporting.components import Page
from pipelines.reporting.pages import (
    adoption,
    benchmark,
    methodology,
    organizations,
    overview,
    quality,
    risk,
    sentiment,
    themes,
)

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
        name="themes",
        title="Themes",
        description="What organizations post about, by year, organization type and platform.",
        template="sections.html",
        builder=themes.build,
    ),
    Page(
        name="risk",
        title="Risk",
        description="Exposed patient information (counted and redacted), unsourced health claims, unprofessional posts.",
        template="sections.html",
        builder=risk.build,
    ),
    Page(
        name="benchmark",
        title="Benchmark",
        description="Share of voice and engagement against peers, and the best-practice scorecard.",
        template="sections.html",
        builder=benchmark.build,
    ),
    Page(
        name="organizations",
        title="Organizations",
        description="Every tracked organization, with a page each for the most active: its platforms, themes, "
                    "sentiment trend, risk flags and scorecard against its peers.",
        template="organizations.html",
        builder=organizations.build,
    ),
    Page(
        name="quality",
        title="Data quality",
        description="Check results, quarantined rows by reason and load reconciliation.",
        template="quality.html",
        builder=quality.build,
    ),
    Page(
        name="methodology",
        title="Methodology",
        description="Sentiment accuracy, how themes and risks are found, and how intervals and alerts are computed.",
        template="sections.html",
        builder=methodology.build,
    ),
)
