"""The index page: headline figures from the `headline` mart (links and alerts come from the writer)."""

from __future__ import annotations

from typing import Any

from pipelines.reporting.components import Card, Marts, frame
from pipelines.reporting.summary import executive_summary, plural
from pipelines.reporting.formatting import (
    MISSING,
    fmt_compact,
    fmt_int,
    fmt_month,
    fmt_pct,
    fmt_score,
    is_missing,
)


def _world_users(row: dict[str, Any]) -> Card:
    before, after = row.get("world_users_2017"), row.get("world_users_2018")
    detail = f"2017: {fmt_compact(before)}"
    if not is_missing(before) and not is_missing(after) and float(before):
        detail += f" ({(float(after) / float(before) - 1) * 100:+.1f}% in a year)"
    return Card("Social media users worldwide, 2018", fmt_compact(after), detail)


def _orgs(value: Any) -> str:
    """'1 organization', '6 organizations' (n/a when missing)."""
    return MISSING if is_missing(value) else plural(int(value), "organization")


def _organizations(row: dict[str, Any]) -> Card:
    detail = "healthcare organizations in the data"
    rejected = row.get("organizations_rejected")
    if not is_missing(rejected) and int(rejected) > 0:
        detail += (f"; {fmt_int(rejected)} more in organizations.csv rejected, their posts held back "
                   "(see the quality page)")
    return Card("Organizations", fmt_int(row.get("organizations")), detail)


def _share_cards(marts: Marts, row: dict[str, Any]) -> list[Card]:
    """Negative and positive posts: the share corrected for the scorer's confusion with its 95% interval, and the
    share as scored beside it; the share as scored alone when there is no calibration."""
    from pipelines.analytics.calibration import from_confusion_mart

    calibration = from_confusion_mart(frame(marts, "sentiment_confusion"))
    counts = [row.get(c) for c in ("negative_posts", "neutral_posts", "positive_posts")]
    if calibration is None or any(is_missing(c) for c in counts) or not sum(int(c) for c in counts):
        return [Card("Negative posts", fmt_pct(row.get("share_negative")), "share of posts scored negative"),
                Card("Positive posts", fmt_pct(row.get("share_positive")), "share of posts scored positive")]
    corrected = calibration.calibrator.correct([int(c) for c in counts])
    return [
        Card(f"{name.capitalize()} posts", fmt_pct(corrected.estimate[k], 0),
             f"corrected for the scorer's errors (95% CI {corrected.low[k] * 100:.0f}–{fmt_pct(corrected.high[k], 0)}); "
             f"{fmt_pct(row.get(f'share_{name}'))} as scored")
        for k, name in ((0, "negative"), (2, "positive"))
    ]


def headline_cards(marts: Marts) -> list[Card]:
    """The headline mart's single row as cards; empty when the mart has no row."""
    df = frame(marts, "headline")
    if df.empty:
        return []
    row = df.iloc[0].to_dict()
    first, last = fmt_month(row.get("first_post")), fmt_month(row.get("last_post"))
    period = MISSING if first == MISSING and last == MISSING else f"{first} – {last}"
    return [
        Card("Posts analysed", fmt_int(row.get("posts")), "across all platforms"),
        _organizations(row),
        Card("Platforms", fmt_int(row.get("platforms")), "social networks covered"),
        Card("Period covered", period, "first to last post (UTC)"),
        Card("Mean sentiment", fmt_score(row.get("mean_sentiment")), "sentiment score, -1 to +1 (as scored)"),
        *_share_cards(marts, row),
        Card("Patient information", fmt_int(row.get("patient_information_posts")),
             f"posts exposing it, from {_orgs(row.get('patient_information_orgs'))}; shown redacted"),
        Card("Unsourced health claims", fmt_int(row.get("unsourced_claim_posts")), "posts with claim wording and no source"),
        Card("Rows quarantined", fmt_int(row.get("rows_quarantined")), "held back by load checks"),
        _world_users(row),
    ]


def build(marts: Marts) -> dict[str, Any]:
    return {"cards": headline_cards(marts), "summary": executive_summary(marts)}
