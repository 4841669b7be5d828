"""Organization pages: a paged directory of every tracked organization, and one page each for the most active ones
(its platforms, themes against its peers, sentiment trend, risk flags and scorecard against its peers).

The site stays small at thousands of organizations: at most HCSM_ORG_PAGES_MAX organizations (default 200, the ones
with the most posts) get a page, and the directory shows PAGE_SIZE organizations a page (organizations.html,
organizations-2.html, ...), each row linking to the organization's page or saying why it has none. Pages carry
counts and shares only, never post text. File names are `org-<slug of org_id>-<hash of org_id>.html`.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from functools import partial
from typing import Any

import pandas as pd
from markupsafe import Markup

from pipelines.analytics.calibration import COUNT_COLUMNS, Calibration, add_shares, from_confusion_mart
from pipelines.reporting.charts import ORG_TYPE_COLORS, interval_figure, render_figure
from pipelines.reporting.components import (
    Card,
    Cards,
    Chart,
    Column,
    Marts,
    Section,
    Table,
    frame,
    has_rows,
    make_table,
)
from pipelines.reporting.formatting import (
    MISSING,
    fmt_float,
    fmt_int,
    fmt_org_type,
    fmt_pct,
    fmt_pct_interval,
    fmt_score,
    is_missing,
)
from pipelines.reporting.subpages import EXTRA_PAGES, SubPage

ENV_MAX = "HCSM_ORG_PAGES_MAX"
DEFAULT_MAX = 200
PAGE_SIZE = 100
NAME = "organizations"
TEMPLATE = "organization.html"
DIRECTORY_TEMPLATE = "organizations.html"
# below this many posts a quarter's mean is drawn hollow (as on the sentiment page)
SMALL_SAMPLE = 30
THIS_ORG = "This organization"
ORG_COLOR = "#1f2933"

_SLUG = re.compile(r"[^a-z0-9]+")
_DIGITS = 10


# --- which organizations get a page, under which file name ------------------------------------------------------


def page_cap(environ: Mapping[str, str] | None = None) -> int:
    """How many organizations get a page: HCSM_ORG_PAGES_MAX (0 turns them off), else DEFAULT_MAX."""
    raw = (os.environ if environ is None else environ).get(ENV_MAX, "").strip()
    if not raw:
        return DEFAULT_MAX
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"{ENV_MAX} must be a whole number of organization pages, got {raw!r}") from None
    return max(value, 0)


def _digest(org_id: str, digits: int) -> str:
    return hashlib.sha256(org_id.encode("utf-8")).hexdigest()[:digits]


def org_filename(org_id: Any, digits: int = _DIGITS) -> str:
    """`org-<slug>-<hash>.html`: a readable, lower-case ASCII slug of the id (at most 40 characters, so names stay
    short and safe on every file system) and the start of the id's SHA-256, so ids that slug alike ("A/B", "a b")
    still get different files."""
    text = str(org_id)
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    slug = _SLUG.sub("-", ascii_text).strip("-")[:40].strip("-")
    digest = _digest(text, digits)
    return f"org-{slug}-{digest}.html" if slug else f"org-{digest}.html"


def org_filenames(org_ids: Iterable[Any]) -> dict[str, str]:
    """The file of each id; ids whose short names collide get the whole 64-digit hash, which cannot (a short name's
    slug is at most 40 characters, so it never reads as a long one)."""
    ids = list(dict.fromkeys(str(i) for i in org_ids))
    names = {org_id: org_filename(org_id) for org_id in ids}
    seen: dict[str, int] = {}
    for name in names.values():
        seen[name] = seen.get(name, 0) + 1
    for org_id, name in names.items():
        if seen[name] > 1:
            names[org_id] = org_filename(org_id, 64)
    if len(set(names.values())) != len(names):  # a SHA-256 collision: never expected, never silently merged
        raise ValueError("organization page file names collide")
    return names


def directory_filename(index: int) -> str:
    """The directory's page `index` (0-based): organizations.html, organizations-2.html, ..."""
    return f"{NAME}.html" if index == 0 else f"{NAME}-{index + 1}.html"


def directory(marts: Marts, cap: int | None = None) -> pd.DataFrame:
    """Every tracked organization, most posts first (then by name and id): rank, name, type, posts, platforms,
    first and last quarter, its page's file name (empty when it has none), why it has none, and the directory page
    that lists it."""
    cap = page_cap() if cap is None else cap
    columns = ["rank", "org_id", "org_name", "org_type", "posts", "platforms", "first_quarter", "last_quarter",
               "filename", "reason", "directory_page"]
    profile = frame(marts, "org_profile")
    profiled = has_rows(profile, "org_id", "org_name", "org_type", "posts", "platform", "period_start")
    if profiled:
        orgs = profile.groupby("org_id", sort=False, dropna=False).agg(
            org_name=("org_name", "first"), org_type=("org_type", "first"), posts=("posts", "sum"),
            platforms=("platform", "nunique"), first_quarter=("period_start", "min"),
            last_quarter=("period_start", "max"),
        ).reset_index()
    else:  # a site from before this mart: list the organizations the benchmark knows, without pages
        bench = frame(marts, "org_benchmark")
        if not has_rows(bench, "org_id", "org_name", "org_type"):
            return pd.DataFrame(columns=columns)
        orgs = bench[["org_id", "org_name", "org_type"]].drop_duplicates("org_id").assign(
            posts=0, platforms=0, first_quarter=pd.NaT, last_quarter=pd.NaT)
    orgs = orgs.dropna(subset=["org_id"])
    orgs["org_id"] = orgs["org_id"].astype(str)
    orgs["posts"] = pd.to_numeric(orgs["posts"], errors="coerce").fillna(0).astype(int)
    orgs["sort_name"] = orgs["org_name"].fillna("").astype(str).str.casefold()
    orgs = orgs.sort_values(["posts", "sort_name", "org_id"], ascending=[False, True, True], kind="stable")
    orgs = orgs.drop(columns="sort_name").reset_index(drop=True)
    orgs["rank"] = range(1, len(orgs) + 1)
    with_page = (orgs["posts"] > 0) & (orgs["rank"] <= cap)
    files = org_filenames(orgs["org_id"])
    orgs["filename"] = [files[i] if has else "" for i, has in zip(orgs["org_id"], with_page)]
    orgs["reason"] = [
        "" if has else
        ("no organization data in this build" if not profiled else
         "no posts in the data" if posts == 0 else
         f"not among the {cap:,} organizations with the most posts" if cap else "organization pages are turned off")
        for has, posts in zip(with_page, orgs["posts"])
    ]
    orgs["directory_page"] = [directory_filename((r - 1) // PAGE_SIZE) for r in orgs["rank"]]
    return orgs[columns]


def org_files(marts: Marts, cap: int | None = None) -> dict[str, str]:
    """org_id -> its page's file name, for the organizations that have one (the benchmark page links them)."""
    found = directory(marts, cap)
    found = found[found["filename"] != ""]
    return dict(zip(found["org_id"], found["filename"]))


def org_link(href: str, text: str, css: str = "org-link") -> Markup:
    """A link whose text and target are escaped like every other value."""
    return Markup('<a class="{}" href="{}">{}</a>').format(css, href, text)


def link_names(table: Table, df: pd.DataFrame, files: Mapping[str, str], key: str = "org_name") -> Table:
    """The table with each organization's name linking to its page; `df` is the frame the table was made from, in
    the same order (make_table keeps the first rows of the frame)."""
    keys = [column.key for column in table.columns]
    if not table.rows or not files or key not in keys or "org_id" not in df:
        return table
    at = keys.index(key)
    rows = []
    for row, org_id in zip(table.rows, df["org_id"].astype(str).head(len(table.rows))):
        href = files.get(org_id)
        if href:
            row = [*row[:at], replace(row[at], text=org_link(href, row[at].text)), *row[at + 1:]]
        rows.append(row)
    return replace(table, rows=rows)


# --- formatting helpers ------------------------------------------------------------------------------------------


def fmt_quarter(value: Any) -> str:
    """A quarter's first day -> '2019-Q3'."""
    if is_missing(value):
        return MISSING
    stamp = pd.Timestamp(value)
    return f"{stamp.year}-Q{(stamp.month + 2) // 3}"


def _ratio(value: Any, base: Any) -> float | None:
    if is_missing(value) or is_missing(base) or float(base) == 0:
        return None
    return float(value) / float(base)


def _per_1000(count: Any, posts: Any) -> str:
    share = _ratio(count, posts)
    return MISSING if share is None else fmt_float(1000 * share)


def _points(value: Any) -> str:
    return MISSING if is_missing(value) else f"{float(value) * 100:+.1f} points"


def _theme_labels() -> dict[str, str]:
    from pipelines.analytics.themes import THEME_LABELS

    return THEME_LABELS


# --- one organization's page -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Peers:
    """What every organization page compares against, computed once per build."""

    trends: dict[str, pd.DataFrame]   # org_type -> quarterly mean sentiment of the type (sentiment_trend)
    risk: dict[str, dict[str, Any]]   # org_type -> its risk_summary row (all platforms, all years)
    scorecard: dict[str, dict[str, Any]]  # org_id -> its scorecard row
    criteria: dict[str, dict[str, tuple[int, int]]]  # org_type -> criterion -> (organizations meeting it, judged)
    benchmark: dict[str, dict[str, Any]]  # org_id -> its org_benchmark row
    themes: dict[str, pd.DataFrame]   # org_id -> its org_themes rows
    calibration: Calibration | None = None  # corrects sentiment shares for the scorer's confusion


def _by_org(df: pd.DataFrame, ids: set[str]) -> dict[str, pd.DataFrame]:
    if not has_rows(df, "org_id"):
        return {}
    key = df["org_id"].astype(str)
    df = df[key.isin(ids)]
    return {str(k): g for k, g in df.groupby(key[key.isin(ids)], sort=False)}


def _peers(marts: Marts, types: Iterable[str], ids: Iterable[str] = ()) -> _Peers:
    from pipelines.reporting.pages.sentiment import weighted_trend

    trend = frame(marts, "sentiment_trend")
    trends: dict[str, pd.DataFrame] = {}
    if has_rows(trend, "org_type", "period_start", "posts", "mean_score"):
        for org_type in set(types):
            rows = trend[trend["org_type"] == org_type]
            if not rows.empty:
                trends[org_type] = weighted_trend(rows, "org_type")
    summary = frame(marts, "risk_summary")
    risk: dict[str, dict[str, Any]] = {}
    if has_rows(summary, "org_type", "platform", "year", "posts"):
        rollup = summary[(summary["platform"] == "all") & (summary["year"] == "all") & (summary["org_type"] != "all")]
        risk = {str(r["org_type"]): r for r in rollup.to_dict("records")}
    ids = set(ids)
    card = frame(marts, "scorecard")
    criteria: dict[str, dict[str, tuple[int, int]]] = {}
    if has_rows(card, "org_type", *(key for key, _ in CRITERIA)):
        for org_type, same in card.groupby("org_type"):
            criteria[str(org_type)] = {key: (int(same[key].dropna().astype(bool).sum()), int(same[key].notna().sum()))
                                       for key, _ in CRITERIA}
    first = {name: {k: g.iloc[0].to_dict() for k, g in _by_org(frame(marts, name), ids).items()}
             for name in ("scorecard", "org_benchmark")}
    return _Peers(trends, risk, first["scorecard"], criteria, first["org_benchmark"],
                  _by_org(frame(marts, "org_themes"), ids), from_confusion_mart(frame(marts, "sentiment_confusion")))


def _negative_detail(rows: pd.DataFrame, posts: int, calibration: Calibration | None) -> str:
    """'8% of posts negative (95% CI 2-19%) once corrected for the scorer's errors, 12% as scored', or the raw
    share alone without a calibration."""
    raw = fmt_pct(_ratio(rows["n_negative"].sum(), posts))
    if calibration is None or not has_rows(rows, *COUNT_COLUMNS) or not posts:
        return f"{raw} of posts negative"
    corrected = calibration.calibrator.correct([rows[c].sum() for c in COUNT_COLUMNS])
    return (f"{fmt_pct_interval(corrected.estimate[0], corrected.low[0], corrected.high[0], label=False)} of posts "
            f"negative once corrected for the scorer's errors, {raw} as scored")


def _cards(org: Mapping[str, Any], rows: pd.DataFrame, total_orgs: int, score: Mapping[str, Any] | None,
           calibration: Calibration | None = None) -> Cards:
    posts = int(rows["posts"].sum())
    scored = pd.to_numeric(rows["sum_score"], errors="coerce").sum(min_count=1)
    interactions = rows["interactions"].sum()
    items = [
        Card("Posts", fmt_int(posts), f"{org['rank']:,} of {total_orgs:,} organizations by posts"),
        Card("Platforms", fmt_int(org["platforms"]), f"{fmt_quarter(org['first_quarter'])} to "
                                                     f"{fmt_quarter(org['last_quarter'])}"),
        Card("Mean sentiment", fmt_score(_ratio(scored, posts)), _negative_detail(rows, posts, calibration)),
        Card("Interactions per post", fmt_float(_ratio(interactions, posts), 1), "likes, shares and comments, all posts"),
    ]
    if score is not None and not is_missing(score.get("criteria_met")):
        items.append(Card("Best-practice criteria met", f"{int(score['criteria_met'])} of {int(score['criteria_judged'])}",
                          "see the scorecard below"))
    return Cards(items)


def _platforms(rows: pd.DataFrame, calibration: Calibration | None = None) -> Table:
    by = rows.groupby("platform_name")
    counts = [c for c in COUNT_COLUMNS if c in rows]
    data = by[["posts", "interactions", "interactions_viewed", "views", "sum_score", *counts]].sum()
    data["first_quarter"], data["last_quarter"] = by["period_start"].min(), by["period_start"].max()
    data = data.reset_index()
    total = data["posts"].sum()
    data["share"] = data["posts"] / total
    data["per_post"] = data["interactions"] / data["posts"]
    data["rate"] = [_ratio(i, v) for i, v in zip(data["interactions_viewed"], data["views"])]
    data["mean_score"] = data["sum_score"] / data["posts"]
    data["negative"] = data["n_negative"] / data["posts"]
    corrected = []
    if calibration is not None and len(counts) == len(COUNT_COLUMNS):
        data = add_shares(data, calibration)
        data["corrected_text"] = [fmt_pct_interval(e, lo, hi, label=False) for e, lo, hi in zip(
            data["corrected_negative"], data["corrected_negative_low"], data["corrected_negative_high"])]
        corrected = [Column("corrected_text", "Negative share, corrected (95% CI)", css="nowrap")]
    data = data.sort_values(["posts", "platform_name"], ascending=[False, True], kind="stable")
    return make_table("Posts, engagement and sentiment by platform", data, [
        Column("platform_name", "Platform"),
        Column("posts", "Posts", fmt_int, numeric=True),
        Column("share", "Share of its posts", fmt_pct, numeric=True),
        Column("per_post", "Interactions per post", fmt_float, numeric=True),
        Column("rate", "Engagement rate", lambda v: fmt_pct(v, 2), numeric=True),
        Column("mean_score", "Mean sentiment", fmt_score, numeric=True),
        Column("negative", "Negative share, as scored", fmt_pct, numeric=True),
        *corrected,
        Column("first_quarter", "First quarter", fmt_quarter, css="nowrap"),
        Column("last_quarter", "Latest quarter", fmt_quarter, css="nowrap"),
    ], note="All posts. Engagement rate is interactions per view on posts that report views; interactions per post "
            "covers every post." + (" The corrected negative share removes the scorer's measured confusion "
                                    "(methodology page); its interval also carries that confusion's uncertainty, so "
                                    "a platform with few posts has a wide one." if corrected else ""))


def _themes(org_type: str, themes: pd.DataFrame | None) -> Table:
    peer = fmt_org_type(org_type)
    title = "Share of its posts on each theme, against its organization type"
    if themes is not None and has_rows(themes, "theme", "share", "peer_share"):
        data = themes.copy()
        labels = _theme_labels()
        data["theme_label"] = data["theme"].map(lambda t: labels.get(t, str(t).replace("_", " ").capitalize()))
        data["share_text"] = [fmt_pct_interval(e, lo, hi, label=False)
                              for e, lo, hi in zip(data["share"], data["share_low"], data["share_high"])]
        data["difference"] = data["share"] - data["peer_share"]
        data = data.sort_values(["share", "theme_label"], ascending=[False, True], kind="stable")
    else:
        data = pd.DataFrame()
    return make_table(title, data, [
        Column("theme_label", "Theme"),
        Column("posts_with_theme", "Posts", fmt_int, numeric=True),
        Column("share_text", "Share (95% CI)", css="nowrap"),
        Column("peer_share", f"{peer} share", fmt_pct, numeric=True),
        Column("difference", "Difference", _points, numeric=True, css="nowrap"),
    ], note=f"Peers are all organizations of its type ({peer.lower()}), this one included, over all platforms and "
            "years, as on the themes page. A post can carry several themes.", empty_note="No themes for this organization.")


def _sentiment(org_id: str, filename: str, org_type: str, rows: pd.DataFrame, peers: _Peers) -> Chart:
    from pipelines.reporting.pages.sentiment import weighted_trend

    title = "Mean sentiment per quarter, against its organization type"
    own = weighted_trend(rows.assign(series=THIS_ORG), "series")
    peer_label = f"{fmt_org_type(org_type)} peers"
    parts = [own]
    peer = peers.trends.get(org_type)
    if peer is not None and not peer.empty:
        parts.append(peer.assign(series=peer_label).drop(columns="org_type"))
    data = pd.concat(parts, ignore_index=True)
    if data.empty:
        return Chart(title, None)
    data = data.assign(period_start=pd.to_datetime(data["period_start"]).dt.strftime("%Y-%m"))
    data = data.sort_values(["series", "period_start"], kind="stable")
    colors = {THIS_ORG: ORG_COLOR, peer_label: ORG_TYPE_COLORS.get(org_type, "#bab0ac")}
    fig = interval_figure(data, x="period_start", y="mean_score", low="mean_low", high="mean_high", series="series",
                          colors=colors, small="small_sample", y_title="Mean score", y_hover=":+.3f", percent=False,
                          light=True)
    div_id = f"{filename.removesuffix('.html')}-sentiment"
    return Chart(title, render_figure(fig, div_id, height=360),
                 f"Quarterly means over all its posts, quarters labelled by their first month; bars are 95% intervals "
                 f"(normal approximation) and hollow points are quarters with fewer than {SMALL_SAMPLE} posts. "
                 "Peers are all organizations of its type, this one included.")


RISK_FLAGS = (
    ("phi_posts", "phi_posts", "phi_per_1000", "Posts exposing patient information"),
    ("unsourced_claims", "unsourced_claims", "unsourced_per_1000", "Unsourced health claims"),
    ("unprofessional_posts", "unprofessional_posts", "unprofessional_per_1000", "Unprofessional posts"),
)


def _risk(org_type: str, rows: pd.DataFrame, peers: _Peers) -> Table:
    posts = rows["posts"].sum()
    peer = peers.risk.get(org_type, {})
    data = pd.DataFrame([
        {"flag": label, "posts": rows[own].sum(), "rate": _per_1000(rows[own].sum(), posts),
         "peer_rate": fmt_float(peer[rate]) if rate in peer and not is_missing(peer[rate])
         else _per_1000(peer.get(count), peer.get("posts"))}
        for own, count, rate, label in RISK_FLAGS
    ])
    return make_table("Flagged posts", data, [
        Column("flag", "Flag"),
        Column("posts", "Posts", fmt_int, numeric=True),
        Column("rate", "Per 1,000 posts", numeric=True),
        Column("peer_rate", f"{fmt_org_type(org_type)} peers per 1,000", numeric=True),
    ], note="Counts only: flagged posts are listed, redacted, on the risk page. Peers are all organizations of its "
            "type, as on the risk page.")


def _met(value: Any) -> str:
    if is_missing(value):
        return "not judged"
    return "met" if bool(value) else "not met"


def _badge(text: Any) -> str:
    return {"met": "badge pass", "not met": "badge fail"}.get(str(text), "")


CRITERIA = (
    ("meets_recommended_use", "Recommended use (at least half of posts)"),
    ("meets_sourced_claims", "Sourced claims (at least 90%)"),
    ("meets_patient_privacy", "Patient privacy (no exposed patient information)"),
    ("meets_professionalism", "Professionalism (at most 1 unprofessional post per 1,000)"),
)


def _criterion_value(key: str, row: Mapping[str, Any]) -> str:
    if key == "meets_recommended_use":
        return fmt_pct_interval(row.get("recommended_use_share"), row.get("recommended_use_low"),
                                row.get("recommended_use_high"))
    if key == "meets_sourced_claims":
        claims = row.get("claim_posts")
        if is_missing(claims) or int(claims) == 0:
            return "no claims"
        return f"{fmt_pct(row.get('sourced_claim_share'))} of {fmt_int(claims)} claim posts"
    if key == "meets_patient_privacy":
        return f"{fmt_int(row.get('patient_information_posts'))} posts"
    return f"{fmt_float(row.get('unprofessional_per_1000'))} per 1,000"


def _scorecard(org_id: str, org_type: str, peers: _Peers) -> Table:
    title = "Best-practice scorecard against its organization type"
    peer_label = fmt_org_type(org_type)
    row = peers.scorecard.get(org_id)
    same = peers.criteria.get(org_type)
    if row is None or same is None:
        return make_table(title, pd.DataFrame(), [Column("criterion", "Criterion")], empty_note="Not on the scorecard.")
    records = []
    for key, label in CRITERIA:
        met, judged = same[key]
        records.append({
            "criterion": label, "value": _criterion_value(key, row), "result": _met(row.get(key)),
            "peers": f"{met:,} of {judged:,} ({fmt_pct(met / judged, 0)})" if judged else MISSING,
        })
    return make_table(title, pd.DataFrame(records), [
        Column("criterion", "Criterion"),
        Column("value", "This organization", css="nowrap"),
        Column("result", "Result", badge=_badge),
        Column("peers", f"{peer_label} peers meeting it", numeric=True, css="nowrap"),
    ], note="All posts, as on the benchmark page's scorecard; a criterion the data cannot support (for example no "
            "health claims) is not judged, and left out of the peer count."
            + (f" Not judged here: {row['not_judged']}." if not is_missing(row.get("not_judged")) else ""))


def _against_peers(org_id: str, org_type: str, peers: _Peers) -> Table:
    title = "Share of voice and engagement against its organization type, last 365 days of data"
    columns = [Column("measure", "Measure"), Column("value", "This organization", numeric=True),
               Column("peer", "Peers", numeric=True), Column("ratio", "Against peers", numeric=True)]
    r = peers.benchmark.get(org_id)
    if r is None or "share_of_voice" not in r:
        return make_table(title, pd.DataFrame(), columns)

    def times(value: Any) -> str:
        return MISSING if is_missing(value) else f"{float(value):.2f}x"

    data = pd.DataFrame([
        {"measure": "Share of voice (posts)",
         "value": fmt_pct_interval(r.get("share_of_voice"), r.get("share_of_voice_low"), r.get("share_of_voice_high"), 1),
         "peer": f"{fmt_int(r.get('peer_orgs'))} organizations, {fmt_int(r.get('peer_posts'))} posts", "ratio": ""},
        {"measure": "Share of engagement", "value": fmt_pct(r.get("engagement_share_of_voice")), "peer": "", "ratio": ""},
        {"measure": "Engagement rate (per view)", "value": fmt_pct(r.get("engagement_rate"), 2),
         "peer": f"median {fmt_pct(r.get('peer_median_engagement_rate'), 2)}",
         "ratio": times(r.get("engagement_rate_vs_peers"))},
        {"measure": "Interactions per post", "value": fmt_float(r.get("interactions_per_post")),
         "peer": f"median {fmt_float(r.get('peer_median_interactions_per_post'))}",
         "ratio": times(r.get("interactions_per_post_vs_peers"))},
    ])
    small = bool(r.get("small_sample")) if not is_missing(r.get("small_sample")) else False
    return make_table(title, data, columns,
                      note=f"Peers are all organizations of its type ({fmt_org_type(org_type).lower()}), as on the "
                           "benchmark page." + (" Small sample: fewer than 3 peers or 30 posts." if small else ""))


def org_page(org: Mapping[str, Any], rows: pd.DataFrame, peers: _Peers, total_orgs: int,
             deferred: bool = False) -> SubPage:
    """One organization's page from its org_profile rows (posts > 0) and the peers' figures; `deferred`: its
    context is built only when the page is rendered (SubPage.make)."""
    org_type, filename = str(org["org_type"]), str(org["filename"])
    name = str(org["org_name"]) if not is_missing(org["org_name"]) else str(org["org_id"])
    page = SubPage(
        name=NAME, filename=filename, title=name,
        description=f"{fmt_org_type(org_type)}: its platforms, themes, sentiment trend, risk flags and scorecard "
                    "against organizations of its type.",
        template=TEMPLATE,
    )
    make = partial(_org_context, org, rows, peers, total_orgs)
    return replace(page, make=make) if deferred else replace(page, context=make())


def _org_context(org: Mapping[str, Any], rows: pd.DataFrame, peers: _Peers, total_orgs: int) -> dict[str, Any]:
    org_id, org_type, filename = str(org["org_id"]), str(org["org_type"]), str(org["filename"])
    score = peers.scorecard.get(org_id)
    sections = [
        Section("Platforms", [_platforms(rows, peers.calibration)]),
        Section("Themes against its peers", [_themes(org_type, peers.themes.get(org_id))]),
        Section("Sentiment trend", [_sentiment(org_id, filename, org_type, rows, peers)]),
        Section("Risk flags", [_risk(org_type, rows, peers)]),
        Section("Scorecard against its peers", [_scorecard(org_id, org_type, peers),
                                                 _against_peers(org_id, org_type, peers)]),
    ]
    return {"cards": _cards(org, rows, total_orgs, score, peers.calibration), "sections": sections,
            "directory_href": str(org["directory_page"])}


# --- the directory -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PagerLink:
    label: str
    href: str = ""       # empty: the current page, or a gap
    current: bool = False


def pager(index: int, pages: int, window: int = 2) -> list[PagerLink]:
    """Previous, the first and last page, the pages around this one, next."""
    if pages <= 1:
        return []
    links = [PagerLink("Previous", directory_filename(index - 1)) if index > 0 else PagerLink("Previous")]
    shown = sorted({0, pages - 1, *range(max(index - window, 0), min(index + window, pages - 1) + 1)})
    last = -1
    for k in shown:
        if k > last + 1:
            links.append(PagerLink("…"))
        links.append(PagerLink(str(k + 1), "" if k == index else directory_filename(k), k == index))
        last = k
    links.append(PagerLink("Next", directory_filename(index + 1)) if index < pages - 1 else PagerLink("Next"))
    return links


DIRECTORY_COLUMNS = (
    Column("rank", "Rank", fmt_int, numeric=True),
    Column("org_name", "Organization"),
    Column("org_type", "Type", fmt_org_type),
    Column("posts", "Posts", fmt_int, numeric=True),
    Column("platforms", "Platforms", fmt_int, numeric=True),
    Column("active", "Active", css="nowrap"),
    Column("page", "Organization page"),
)


def _directory_table(orgs: pd.DataFrame, index: int, pages: int, everything: pd.DataFrame) -> Table:
    first = index * PAGE_SIZE
    title = "Tracked organizations, most posts first"
    if index == 0:  # the first page carries the whole directory as its CSV download
        table = make_table(title, everything, DIRECTORY_COLUMNS, max_rows=PAGE_SIZE)
    else:
        table = replace(make_table(title, orgs, DIRECTORY_COLUMNS, max_rows=PAGE_SIZE), csv="")
    if not table.rows:
        return table
    keys = [column.key for column in table.columns]
    at_name, at_page = keys.index("org_name"), keys.index("page")
    rows = []
    for row, href in zip(table.rows, orgs["filename"]):
        row = list(row)
        if href:
            row[at_name] = replace(row[at_name], text=org_link(href, row[at_name].text))
            row[at_page] = replace(row[at_page], text=org_link(href, "Open page", "org-page-link"))
        rows.append(row)
    note = (f"Organizations {first + 1:,} to {first + len(orgs):,} of {len(everything):,}." if pages > 1 else "")
    return replace(table, rows=rows, note=note)


def _directory_frame(found: pd.DataFrame) -> pd.DataFrame:
    found = found.copy()
    found["active"] = [f"{fmt_quarter(a)} to {fmt_quarter(b)}" if not is_missing(a) else MISSING
                       for a, b in zip(found["first_quarter"], found["last_quarter"])]
    # the CSV names each page's file; the directory shows a link or why there is none
    found["page"] = [f or f"No page: {why}" for f, why in zip(found["filename"], found["reason"])]
    return found


def build(marts: Marts) -> dict[str, Any]:
    cap = page_cap()
    found = _directory_frame(directory(marts, cap))
    total = len(found)
    pages = max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    with_page = found[found["filename"] != ""]
    if not total:
        intro = "No tracked organizations."
    elif len(with_page) == total:
        intro = f"{total:,} tracked organizations, each with a page of its own."
    else:
        intro = (f"{total:,} tracked organizations. The {len(with_page):,} with the most posts have a page of their own "
                 f"(at most {cap:,}; set {ENV_MAX} to change it); the others are listed here with why they have none.")
    directories = []
    for index in range(pages):
        chunk = found.iloc[index * PAGE_SIZE:(index + 1) * PAGE_SIZE]
        directories.append({
            "table": _directory_table(chunk, index, pages, found),
            "pager": pager(index, pages),
            "pager_label": f"Page {index + 1:,} of {pages:,}",
            "intro": intro,
        })

    extra: list[SubPage] = [
        SubPage(name=NAME, filename=directory_filename(index), title=f"Organizations, page {index + 1:,}",
                description="Every tracked organization, most posts first, with a page each for the most active.",
                template=DIRECTORY_TEMPLATE, context=context)
        for index, context in enumerate(directories) if index > 0
    ]
    if not with_page.empty:
        profile = frame(marts, "org_profile")
        profile = profile[(profile["posts"] > 0) & profile["org_id"].astype(str).isin(set(with_page["org_id"]))]
        peers = _peers(marts, with_page["org_type"].astype(str), with_page["org_id"])
        by_org = {str(k): g for k, g in profile.groupby(profile["org_id"].astype(str), sort=False)}
        # built when rendered (site.py builds many of them on every core)
        extra.extend(org_page(org, by_org[org["org_id"]], peers, total, deferred=True)
                     for org in with_page.to_dict("records"))
    return {**directories[0], EXTRA_PAGES: extra}
