"""The executive summary: five to ten plain sentences from the marts, each with its number and uncertainty.

Every figure comes from a mart (a year-on-year difference is computed here from two mart rows with the same
stats functions the SQL macros mirror). A sentence whose mart is empty is left out rather than filled with a guess.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from pipelines.reporting.components import Marts, frame, has_rows
from pipelines.reporting.formatting import fmt_int, fmt_month, fmt_pct, fmt_pct_interval, fmt_points_interval


def _pct_ci(row: pd.Series, estimate: str, low: str, high: str) -> str:
    return fmt_pct_interval(row[estimate], row[low], row[high])


def plural(n: int, word: str, many: str | None = None) -> str:
    """'1 platform', '3 platforms', with thousands separators."""
    return f"{fmt_int(n)} {word if n == 1 else (many or word + 's')}"


def _per_1000(value: float) -> str:
    """A rate per 1,000: one decimal, two below 1 so that 3 posts in 63,000 reads 0.05, not 0.0."""
    value = float(value)
    if value == 0:
        return "0"
    return f"{value:.2f}" if value < 1 else f"{value:.1f}"


def scope(marts: Marts) -> str | None:
    df = frame(marts, "headline")
    if not has_rows(df, "posts") or not df.iloc[0]["posts"]:
        return None
    row = df.iloc[0]
    return (f"This report covers {plural(int(row['posts']), 'post')} by "
            f"{plural(int(row['organizations']), 'healthcare organization')} on "
            f"{plural(int(row['platforms']), 'platform')}, from {fmt_month(row['first_post'])} to "
            f"{fmt_month(row['last_post'])}.")


# organizations whose data start and end within this many days of each other share one window
SAME_WINDOW_DAYS = 31


def coverage(marts: Marts) -> str | None:
    """Whether the organizations' data cover the same window; when they differ, the range of starts and ends."""
    df = frame(marts, "org_coverage")
    if not has_rows(df, "org_id", "covered_from", "covered_to", "posts"):
        return None
    orgs = df.drop_duplicates("org_id")
    posting = orgs[orgs["posts"] > 0]
    if posting.empty:
        return None
    starts, ends = pd.to_datetime(posting["covered_from"]), pd.to_datetime(posting["covered_to"])
    silent = len(orgs) - len(posting)
    tail = (f" {plural(silent, 'tracked organization')} {'has' if silent == 1 else 'have'} no post in the data and "
            f"{'counts' if silent == 1 else 'count'} as inactive over the whole window." if silent else "")
    if (starts.max() - starts.min()).days <= SAME_WINDOW_DAYS and (ends.max() - ends.min()).days <= SAME_WINDOW_DAYS:
        return (f"Every organization's data cover the same window, {fmt_month(starts.min())} to "
                f"{fmt_month(ends.max())}.{tail}")
    # the most common end month, to say how many organizations' data stop early
    latest_end = ends.max()
    early = int((ends < latest_end - pd.Timedelta(days=SAME_WINDOW_DAYS)).sum())
    return (f"The organizations' data cover different windows: they start between {fmt_month(starts.min())} and "
            f"{fmt_month(starts.max())} and end between {fmt_month(ends.min())} and {fmt_month(ends.max())} "
            f"({plural(early, 'organization')} stop{'s' if early == 1 else ''} before {fmt_month(latest_end)}). "
            f"Shares count an organization only in the years its data cover in full; outside them it is not "
            f"covered, not inactive.{tail}")


def _complete_years(df: pd.DataFrame) -> pd.DataFrame:
    return df[~df["is_partial"].fillna(True).astype(bool)]


def leading_platform(marts: Marts) -> str | None:
    df = frame(marts, "org_platform_adoption")
    if not has_rows(df, "year", "share_active", "is_partial"):
        return None
    df = _complete_years(df)
    if df.empty:
        return None
    latest = df[df["year"] == df["year"].max()].sort_values("share_active", ascending=False, kind="stable")
    top = latest.iloc[0]
    covered = int(top["orgs_tracked"])
    outside = int(top.get("orgs_partly_covered", 0) or 0) + int(top.get("orgs_not_covered", 0) or 0)
    which = (f"the last year the data cover in full for {fmt_int(covered)} of {fmt_int(covered + outside)} "
             f"tracked organizations" if outside else "the last year the data cover in full")
    return (f"In {int(top['year'])}, {which}, {fmt_int(top['orgs_active'])} of "
            f"{plural(covered, 'covered organization')} posted on {top['platform_name']}, the most used "
            f"platform: {_pct_ci(top, 'share_active', 'share_low', 'share_high')}.")


def adoption_change(marts: Marts) -> str | None:
    df = frame(marts, "org_platform_adoption")
    if not has_rows(df, "year", "change", "change_significant", "is_partial"):
        return None
    df = _complete_years(df[df["change"].notna()])
    if df.empty:
        return None
    year = int(df["year"].max())
    latest = df[df["year"] == year].copy()
    latest["size"] = latest["change"].abs()
    significant = latest[latest["change_significant"].astype(bool)].sort_values("size", ascending=False, kind="stable")
    if not significant.empty:
        top = significant.iloc[0]
        others = len(significant) - 1
        tail = (f"; {plural(others, 'other platform')} also changed significantly" if others else "")
        return (f"The clearest change in adoption from {year - 1} to {year} was on {top['platform_name']}: "
                f"{fmt_points_interval(top['change'], top['change_low'], top['change_high'])}{tail}.")
    top = latest.sort_values("size", ascending=False, kind="stable").iloc[0]
    change = fmt_points_interval(top["change"], top["change_low"], top["change_high"])
    if len(latest) == 1:
        return (f"Adoption of {top['platform_name']} did not change significantly from {year - 1} to {year}: "
                f"{change}.")
    return (f"No platform's adoption changed significantly from {year - 1} to {year}; the largest move, on "
            f"{top['platform_name']}, was {change}.")


def versus_public(marts: Marts) -> str | None:
    df = frame(marts, "adoption_vs_growth")
    if not has_rows(df, "platform_name", "year", "adoption_index", "users_index"):
        return None
    latest = df.sort_values("year", kind="stable").groupby("platform_name").tail(1)
    latest = latest[latest["year"] > latest["base_year"]]
    if latest.empty:
        return None
    # a platform every covered organization already used in the base year cannot be "behind" its users' growth
    if "share_active" in df.columns:
        base = df[df["year"] == df["base_year"]].set_index("platform_name")["share_active"]
        universal = latest["platform_name"].map(base).fillna(0).astype(float) >= 0.9995
    else:
        universal = pd.Series(False, index=latest.index)
    saturated, latest = latest[universal], latest[~universal]
    if latest.empty:
        first = saturated.sort_values("users_index", ascending=False, kind="stable").iloc[0]
        names = ", ".join(str(n) for n in saturated["platform_name"])
        return (f"Every covered organization already posted on {names} in {int(first['base_year'])}, the base year, "
                f"so adoption there cannot outgrow the platform's users (worldwide users index "
                f"{first['users_index']:.0f} in {int(first['year'])}, {int(first['base_year'])} = 100).")
    tail = (f" On {plural(len(saturated), 'other platform')} every covered organization was already active in the "
            f"base year." if len(saturated) else "")
    ahead = latest[latest["adoption_index_low"] > latest["users_index"]]
    behind = latest[latest["adoption_index_high"] < latest["users_index"]]
    first = latest.sort_values("users_index", ascending=False, kind="stable").iloc[0]
    detail = (f"on {first['platform_name']}, organization adoption stands at {first['adoption_index']:.0f} "
              f"(95% CI {first['adoption_index_low']:.0f}–{first['adoption_index_high']:.0f}) against "
              f"{first['users_index']:.0f} for its worldwide users, both indexed to {int(first['base_year'])} = 100")
    if len(latest) == 1:
        standing = "ahead of" if len(ahead) else "behind" if len(behind) else "in line with (the interval spans)"
        return f"Organizations' adoption is {standing} the platform's public growth: {detail}.{tail}"
    return (f"Against each platform's public growth, organizations are ahead on {len(ahead)}, behind on "
            f"{len(behind)} and in line (interval spans both) on {len(latest) - len(ahead) - len(behind)} of "
            f"{len(latest)} platforms; for example, {detail}.{tail}")


def top_theme(marts: Marts) -> str | None:
    df = frame(marts, "themes_trend")
    if not has_rows(df, "theme", "platform", "org_type", "year", "share"):
        return None
    df = df[(df["platform"] == "all") & (df["org_type"] == "all") & (df["year"] == "all") & (df["theme"] != "other")]
    if df.empty:
        return None
    from pipelines.analytics.themes import THEME_LABELS

    df = df.sort_values("share", ascending=False, kind="stable")
    top, second = df.iloc[0], (df.iloc[1] if len(df) > 1 else None)
    text = (f"The most common theme is {THEME_LABELS.get(top['theme'], top['theme']).lower()}, in "
            f"{_pct_ci(top, 'share', 'share_low', 'share_high')} of posts")
    if second is not None:
        text += (f", ahead of {THEME_LABELS.get(second['theme'], second['theme']).lower()} at "
                 f"{_pct_ci(second, 'share', 'share_low', 'share_high')}")
    return text + "."


def _yearly_counts(marts: Marts) -> pd.DataFrame | None:
    """Label counts per year from sentiment_trend, only years some organization's data cover in full (a year the
    export reaches in part is not compared)."""
    trend = frame(marts, "sentiment_trend")
    if not has_rows(trend, "period_start", "posts", "n_negative"):
        return None
    columns = [c for c in ("posts", "n_negative", "n_neutral", "n_positive") if c in trend]
    yearly = trend.assign(year=pd.to_datetime(trend["period_start"]).dt.year).groupby("year")[columns].sum()
    adoption = frame(marts, "org_platform_adoption")
    if has_rows(adoption, "year", "is_partial"):
        complete = set(adoption.loc[~adoption["is_partial"].fillna(True).astype(bool), "year"].astype(int))
        yearly = yearly[yearly.index.isin(complete)]
    return yearly


def _change(marts: Marts, calibration) -> str:
    """'; the negative share changed by ... from Y0 to Y1 (...)' over the last two complete years, or ''."""
    yearly = _yearly_counts(marts)
    if yearly is None or len(yearly) < 2:
        return ""
    (y0, a), (y1, b) = list(yearly.iloc[-2:].iterrows())
    if calibration is not None and {"n_neutral", "n_positive"} <= set(yearly.columns):
        def counts(row):
            return [int(row[c]) for c in ("n_negative", "n_neutral", "n_positive")]

        found = calibration.calibrator.difference(counts(a), counts(b))
        if found is None:
            return ""
        estimate, low, high = found
        which = "the corrected negative share"
    else:
        from pipelines.analytics.stats import newcombe_diff

        estimate, low, high = newcombe_diff(int(a["n_negative"]), int(a["posts"]), int(b["n_negative"]), int(b["posts"]))
        which = "the negative share"
    moved = "a significant change" if low > 0 or high < 0 else "not a significant change"
    verb = "changed by" if round(float(estimate) * 100) == 0 else "moved"
    return f"; {which} {verb} {fmt_points_interval(estimate, low, high)} from {y0} to {y1} ({moved})"


def tone(marts: Marts) -> str | None:
    df = frame(marts, "headline")
    if not has_rows(df, "share_negative", "share_negative_low") or not df.iloc[0]["posts"]:
        return None
    row = df.iloc[0]
    from pipelines.analytics.calibration import from_confusion_mart

    calibration = from_confusion_mart(frame(marts, "sentiment_confusion"))
    counts = [row.get(c) for c in ("negative_posts", "neutral_posts", "positive_posts")]
    if calibration is not None and not any(pd.isna(c) for c in counts) and sum(counts):
        corrected = calibration.calibrator.correct([int(c) for c in counts])
        neg, pos = (fmt_pct_interval(corrected.estimate[k], corrected.low[k], corrected.high[k]) for k in (0, 2))
        text = (f"Corrected for the {calibration.scorer} scorer's measured errors on "
                f"{plural(calibration.posts, 'labelled post')} ({DATASET_NAMES.get(calibration.dataset, calibration.dataset)}), "
                f"an estimated {neg} of posts are negative and {pos} positive (as scored: "
                f"{fmt_pct(row['share_negative'], 0)} and {fmt_pct(row['share_positive'], 0)})")
        return text + _change(marts, calibration) + "."
    text = (f"{fmt_pct_interval(row['share_negative'], row['share_negative_low'], row['share_negative_high'])} "
            f"of posts read as negative and {fmt_pct(row['share_positive'], 0)} as positive")
    return text + _change(marts, None) + "."


# how a sentence names the labelled set that corrects the shares
DATASET_NAMES = {"health_test": "the held-out healthcare test set", "health_dev": "the healthcare development set",
                 "tweeteval_val": "TweetEval's validation split"}


def patient_information(marts: Marts) -> str | None:
    df = frame(marts, "risk_summary")
    if not has_rows(df, "org_type", "platform", "year", "phi_posts"):
        return None
    total = df[(df["org_type"] == "all") & (df["platform"] == "all") & (df["year"] == "all")]
    if total.empty:
        return None
    row = total.iloc[0]
    head = frame(marts, "headline")
    orgs = int(head.iloc[0]["patient_information_orgs"]) if has_rows(head, "patient_information_orgs") else None
    if not row["phi_posts"]:
        return (f"No post exposed patient information (0 per 1,000, 95% CI up to "
                f"{row['phi_per_1000_high']:.1f}).")
    by = f" from {plural(orgs, 'organization')}" if orgs is not None else ""
    return (f"{plural(int(row['phi_posts']), 'post')}{by} exposed patient information, {_per_1000(row['phi_per_1000'])} "
            f"per 1,000 posts (95% CI {_per_1000(row['phi_per_1000_low'])}–{_per_1000(row['phi_per_1000_high'])}); the "
            f"reports show {'it' if int(row['phi_posts']) == 1 else 'them'} only redacted.")


def claims_and_conduct(marts: Marts) -> str | None:
    df = frame(marts, "risk_summary")
    if not has_rows(df, "unsourced_claims", "unprofessional_posts"):
        return None
    total = df[(df["org_type"] == "all") & (df["platform"] == "all") & (df["year"] == "all")]
    if total.empty:
        return None
    row = total.iloc[0]
    return (f"Unsourced health claims appear in {_per_1000(row['unsourced_per_1000'])} posts per 1,000 (95% CI "
            f"{_per_1000(row['unsourced_per_1000_low'])}–{_per_1000(row['unsourced_per_1000_high'])}) and unprofessional "
            f"content in {_per_1000(row['unprofessional_per_1000'])} per 1,000 (95% CI "
            f"{_per_1000(row['unprofessional_per_1000_low'])}–{_per_1000(row['unprofessional_per_1000_high'])}).")


def alerts(marts: Marts) -> str | None:
    df = frame(marts, "alerts")
    if "metric" not in df:
        return None
    if df.empty:
        return ("No organization's negative or risk-flagged posts rose significantly in the last three months of "
                "data, and none of those months exposed patient information.")
    counts = df["metric"].value_counts()
    parts = [f"{counts.get(k, 0)} for {label}" for k, label in (
        ("negative", "negative sentiment"), ("risk_flagged", "risk flags"), ("patient_information", "patient information"))
        if counts.get(k, 0)]
    verb = "was" if len(df) == 1 else "were"
    return (f"{plural(len(df), 'alert')} {verb} raised for the last three months of data ({', '.join(parts)}); "
            f"{'it is' if len(df) == 1 else 'they are'} listed above.")


def scorecard(marts: Marts) -> str | None:
    df = frame(marts, "scorecard")
    if not has_rows(df, "criteria_met", "criteria_judged"):
        return None
    from pipelines.analytics.stats import wilson

    judged = df[df["criteria_judged"] > 0]
    full = int((judged["criteria_met"] == judged["criteria_judged"]).sum())
    share = wilson(full, len(judged))
    text = (f"{full} of {plural(len(judged), 'organization')} meet every best-practice criterion their data can "
            f"support: {fmt_pct_interval(share.estimate, share.low, share.high)}")
    if "not_judged" in df and df["not_judged"].notna().any():
        reasons = df["not_judged"].dropna().str.split("; ").explode().str.split(":").str[0].value_counts()
        text += ("; not judged for lack of data: " + ", ".join(
            f"{criterion} for {plural(int(n), 'organization')}" for criterion, n in reasons.items()))
    return text + "."


SENTENCES: tuple[Callable[[Marts], str | None], ...] = (
    scope, coverage, leading_platform, adoption_change, versus_public, top_theme, tone, patient_information,
    claims_and_conduct, alerts, scorecard,
)


def executive_summary(marts: Marts) -> list[str]:
    """Up to ten sentences, in a fixed order."""
    return [s for s in (sentence(marts) for sentence in SENTENCES) if s]
