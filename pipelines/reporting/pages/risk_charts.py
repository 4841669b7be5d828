"""Risk page chart: flag rates per 1,000 posts by year, one line per kind of flag, with 95% intervals."""

from __future__ import annotations

import pandas as pd

from pipelines.reporting.charts import interval_figure, palette, render_figure
from pipelines.reporting.components import Chart, has_rows

# the three flags the risk page counts, as the chart names them, and their fixed colours
FLAGS = {
    "phi": ("Patient information", "#e15759"),
    "unsourced": ("Unsourced health claims", "#f28e2b"),
    "unprofessional": ("Unprofessional content", "#76b7b2"),
}
SMALL = 30  # a year with fewer posts is drawn hollow, as elsewhere


def rates_by_year(by_year: pd.DataFrame) -> Chart:
    """One row per year of risk_summary (all organization types and platforms) as three lines over the years."""
    title = "Flagged posts per 1,000 by year (95% CI)"
    needed = ["year", "posts", *[f"{k}_per_1000{s}" for k in FLAGS for s in ("", "_low", "_high")]]
    if not has_rows(by_year, *needed):
        return Chart(title, None, empty_note="No posts.")
    years = by_year[by_year["year"].astype(str) != "all"].copy()
    years["year_number"] = pd.to_numeric(years["year"], errors="coerce")
    years = years[years["year_number"].notna()].sort_values("year_number", kind="stable")
    if years.empty:
        return Chart(title, None, empty_note="No posts.")
    long = pd.concat([
        pd.DataFrame({"year": years["year_number"].astype(int), "flag": label,
                      "rate": years[f"{key}_per_1000"].astype(float),
                      "low": years[f"{key}_per_1000_low"].astype(float),
                      "high": years[f"{key}_per_1000_high"].astype(float),
                      "small": years["posts"].astype(int) < SMALL})
        for key, (label, _) in FLAGS.items()
    ], ignore_index=True)
    colors = palette(long["flag"], {label: color for label, color in FLAGS.values()})
    fig = interval_figure(long, x="year", y="rate", low="low", high="high", series="flag", colors=colors,
                          small="small", y_title="Flagged posts per 1,000", x_title="Year", y_hover=":.2f",
                          percent=False)
    fig.update_xaxes(dtick=1)
    fig.update_layout(legend={"orientation": "h", "y": -0.25, "yanchor": "top"})
    note = ("Rates among all posts of the year, every organization type and platform; bars are 95% Wilson "
            "intervals, hollow points years of fewer than 30 posts. The table by year below gives the counts.")
    return Chart(title, render_figure(fig, "risk-rates-by-year", height=400), note)
