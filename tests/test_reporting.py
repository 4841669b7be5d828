"""The report site: small hand-made marts in, pages checked as files and in real headless Chromium."""

from __future__ import annotations

import re
from datetime import date, datetime, timezone
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import browser
from pipelines.reporting import site
from pipelines.reporting.components import Page
from pipelines.reporting.formatting import fmt_day, fmt_growth, fmt_int, fmt_month, fmt_pct, fmt_score, fmt_timestamp
from pipelines.reporting.pages import PAGES

GENERATED_AT = datetime(2024, 5, 1, 12, 30, tzinfo=timezone.utc)
SCRIPT = f"<script>window.{browser.PWNED_FLAG}=1</script>"
IMG = f'<img src=x onerror="window.{browser.PWNED_FLAG}=1">'
PAGE_FILES = {page.filename for page in PAGES}
# Charts each page draws when every mart has rows.
EXPECTED_CHARTS = {
    "index.html": 0, "adoption.html": 5, "sentiment.html": 3, "quality.html": 1, "themes.html": 3, "risk.html": 1,
    "benchmark.html": 1, "methodology.html": 1, "organizations.html": 0,
}
ONE_MB = 1_000_000

PLATFORMS = {"facebook": "Facebook", "x": "X (Twitter)", "linkedin": "LinkedIn", "evil": IMG}
ORG_TYPES = ["hospital", "pharma", SCRIPT]


def make_marts(months: int = 24, platforms: dict[str, str] = PLATFORMS, extremes: int = 5) -> dict[str, pd.DataFrame]:
    """Small deterministic marts with hostile text in names, post text, file names and reasons."""
    rng = np.random.default_rng(7)
    month_starts = pd.date_range("2017-01-01", periods=months, freq="MS")
    quarter_starts = month_starts[month_starts.month.isin([1, 4, 7, 10])]
    growth = pd.DataFrame(
        [
            {"platform": slug, "platform_name": name, "region": "Worldwide", "period": f"{q.year}-Q{(q.month + 2) // 3}",
             "period_start": q.date(), "users": 1e8 * (i + 1) * (1.05**k), "source": f"Survey {IMG}",
             "growth_pct": None if k == 0 else 5.0}
            for i, (slug, name) in enumerate(platforms.items())
            for k, q in enumerate(quarter_starts)
        ]
    )
    years = sorted({m.year for m in month_starts})
    adoption = pd.DataFrame(
        [
            {"platform": slug, "platform_name": name, "period_start": date(y, 1, 1), "year": y, "orgs_active": 10 + k,
             "orgs_tracked": 40, "posts": 100 + k, "share_active": (10 + k) / 40, "share_low": (8 + k) / 40,
             "share_high": (13 + k) / 40, "small_sample": k == 0, "is_partial": False,
             "change": None if k == 0 else 1 / 40, "change_low": None if k == 0 else -0.1,
             "change_high": None if k == 0 else 0.12, "change_significant": False}
            for slug, name in platforms.items()
            for k, y in enumerate(years)
        ]
    )
    versus = pd.DataFrame(
        [
            {"platform": slug, "platform_name": name, "year": y, "base_year": years[0], "share_active": 0.3,
             "users": 1e9, "adoption_index": 100 + 20 * k, "adoption_index_low": 90 + 20 * k,
             "adoption_index_high": 110 + 20 * k, "users_index": 100 + 5 * k, "relative_to_public": 1.0,
             "small_sample": False}
            for slug, name in platforms.items()
            for k, y in enumerate(years)
        ]
    )
    volume = pd.DataFrame(
        [
            {"platform": slug, "platform_name": name, "period_start": date(y, 1, 1), "year": y, "posts": 500 + k,
             "days_covered": 365.0, "posts_per_day": (500 + k) / 365, "growth_pct": None if k == 0 else 12.5,
             "growth_low": None if k == 0 else 3.0, "growth_high": None if k == 0 else 22.0,
             "small_sample": False, "change_significant": k > 0}
            for slug, name in platforms.items()
            for k, y in enumerate(years)
        ]
    )
    posting = pd.DataFrame(
        [
            {"platform": slug, "platform_name": name, "org_type": org_type, "period_start": m.date(),
             "posts": int(rng.integers(1, 50)), "likes": int(rng.integers(0, 5000)), "shares": int(rng.integers(0, 900)),
             "comments": int(rng.integers(0, 300)), "views": None if slug == "linkedin" else int(rng.integers(0, 90000)),
             "engagement": 0, "engagement_per_post": 0.0}
            for slug, name in platforms.items()
            for org_type in ORG_TYPES
            for m in month_starts
        ]
    )
    posting["engagement"] = posting[["likes", "shares", "comments"]].sum(axis=1)
    posting["engagement_per_post"] = posting["engagement"] / posting["posts"]
    trend = pd.DataFrame(
        [
            {"platform": slug, "platform_name": name, "org_type": org_type, "period_start": q.date(),
             "posts": int(rng.integers(1, 200)), "mean_score": float(rng.uniform(-0.3, 0.6)),
             "n_negative": 5, "n_neutral": 10, "n_positive": 20}
            for slug, name in platforms.items()
            for org_type in ORG_TYPES
            for q in quarter_starts
        ]
    )
    histogram = pd.DataFrame(
        [
            {"platform_name": name, "bucket": round(-1.0 + 0.1 * b, 1), "posts": int(rng.integers(0, 80))}
            for name in platforms.values()
            for b in range(20)
        ]
    )
    extreme_rows = []
    for polarity, sign in (("positive", 1), ("negative", -1)):
        for rank in range(1, extremes + 1):
            extreme_rows.append(
                {"polarity": polarity, "rank": rank, "post_id": f"p-{polarity}-{rank}", "platform_name": "Facebook",
                 "org_name": f"General Hospital {SCRIPT}", "org_type": "hospital",
                 "posted_at": pd.Timestamp("2018-03-04 15:16", tz="UTC"),
                 "text": f"Flu shots available {IMG} now, post {rank} " + "x" * 200,
                 "sentiment_score": sign * (0.99 - rank / 100)}
            )
    headline = pd.DataFrame(
        [{"posts": 123456, "organizations": 321, "platforms": len(platforms),
          "first_post": pd.Timestamp("2017-01-03 08:00"), "last_post": pd.Timestamp("2018-12-30 22:00"),
          "mean_sentiment": 0.214, "share_negative": 0.12, "share_positive": 0.55, "rows_quarantined": 42,
          "negative_posts": 14815, "neutral_posts": 40740, "positive_posts": 67901, "patient_information_posts": 3, "patient_information_orgs": 2,
          "unsourced_claim_posts": 17, "unprofessional_posts": 4,
          "world_users_2017": 2.46e9, "world_users_2018": 2.62e9, "share_negative_low": 0.118, "share_negative_high": 0.122}]
    )
    quarantine = pd.DataFrame(
        [
            {"source_file": f"posts_{IMG}.csv", "reason": f"bad date {SCRIPT}", "column_name": "posted_at", "rows": 30},
            {"source_file": "posts_2018.csv", "reason": "missing org_id", "column_name": "org_id", "rows": 12},
        ]
    )
    reconciliation = pd.DataFrame(
        [
            {"load_id": "load-1", "source_file": "posts_2017.csv", "loaded_at": pd.Timestamp("2024-05-01 11:00"),
             "rows_read": 60000, "rows_loaded": 59958, "rows_quarantined": 30, "rows_duplicate": 12, "balanced": True},
            {"load_id": "load-2", "source_file": "posts_2018.csv", "loaded_at": pd.Timestamp("2024-05-01 11:05"),
             "rows_read": 63500, "rows_loaded": 63480, "rows_quarantined": 12, "rows_duplicate": 0, "balanced": False},
        ]
    )
    checks = pd.DataFrame(
        [
            {"check_name": "posts_not_null", "asset": "posts", "passed": True, "severity": "error",
             "message": "ok", "checked_at": pd.Timestamp("2024-05-01 11:10")},
            {"check_name": "reconciliation_balanced", "asset": "loads", "passed": False, "severity": "warn",
             "message": f"1 load off {SCRIPT}", "checked_at": pd.Timestamp("2024-05-01 11:11")},
        ]
    )
    themes = pd.DataFrame(
        [
            {"platform": platform, "platform_name": "All platforms" if platform == "all" else platforms[platform],
             "org_type": org_type, "year": year, "theme": theme, "posts_with_theme": 20 + i, "posts": 100,
             "share": (20 + i) / 100, "share_low": (15 + i) / 100, "share_high": (26 + i) / 100,
             "small_sample": False}
            for i, theme in enumerate(("networking", "education_research", "public_health", "other"))
            for platform in ("all", *platforms)
            for org_type in ("all", *ORG_TYPES)
            for year in ("all", *map(str, years))
        ]
    )
    rollups = [("all", "all", "all")] + [(t, "all", "all") for t in ORG_TYPES] + \
        [("all", p, "all") for p in platforms] + [("all", "all", str(y)) for y in years]
    risk = pd.DataFrame(
        [
            {"org_type": t, "platform": p, "platform_name": "All platforms" if p == "all" else platforms[p], "year": y,
             "posts": 1000, "phi_posts": 2, "phone": 1, "email": 0, "record_number": 1, "dob": 0, "address": 0,
             "name_condition": 0, "unsourced_claims": 5, "unprofessional_posts": 1, "phi_per_1000": 2.0,
             "phi_per_1000_low": 0.5, "phi_per_1000_high": 7.3, "unsourced_per_1000": 5.0,
             "unsourced_per_1000_low": 2.1, "unsourced_per_1000_high": 11.7, "unprofessional_per_1000": 1.0,
             "unprofessional_per_1000_low": 0.2, "unprofessional_per_1000_high": 5.6}
            for t, p, y in rollups
        ]
    )
    risk_examples = pd.DataFrame(
        [{"post_id": "r1", "platform_name": "Facebook", "org_name": f"General Hospital {SCRIPT}", "org_type": "hospital",
          "posted_at": pd.Timestamp("2018-05-06 07:08"), "unsourced_claim": False, "unprofessional": False,
          "reasons": f"phone number next to patient wording {IMG}", "text_shown": f"Call [PHONE] about {IMG}",
          "flags": "patient information (phone)"}]
    )
    benchmark = pd.DataFrame(
        [{"org_id": f"o{i}", "org_name": f"Org {i} {SCRIPT}", "org_type": "hospital", "posts": 100 * i,
          "interactions": 900 * i, "views": 10000 * i, "engagement_rate": 0.04, "interactions_per_post": 9.0,
          "peer_orgs": 3, "peer_posts": 600, "share_of_voice": i / 6, "share_of_voice_low": i / 6 - 0.03,
          "share_of_voice_high": i / 6 + 0.03, "engagement_share_of_voice": i / 6, "peer_median_engagement_rate": 0.05,
          "engagement_rate_vs_peers": 0.8, "peer_median_interactions_per_post": 8.0,
          "interactions_per_post_vs_peers": 1.125, "small_sample": False} for i in (1, 2, 3)]
    )
    scorecard = pd.DataFrame(
        [{"org_id": f"o{i}", "org_name": f"Org {i} {IMG}", "org_type": "clinic", "posts": 50 * i,
          "recommended_use_share": 0.4 + i / 10, "recommended_use_low": 0.3 + i / 10, "recommended_use_high": 0.5 + i / 10,
          "claim_posts": i - 1, "sourced_claim_share": None if i == 1 else 0.5, "patient_information_posts": i % 2,
          "unprofessional_posts": 0, "unprofessional_per_1000": 0.0, "meets_recommended_use": i > 1,
          "meets_sourced_claims": None if i == 1 else False, "meets_patient_privacy": i % 2 == 0,
          "meets_professionalism": True, "criteria_met": 2, "criteria_judged": 3 if i == 1 else 4,
          "small_sample": i == 1} for i in (1, 2, 3)]
    )
    alerts = pd.DataFrame(
        [{"metric": "negative", "org_id": "o1", "org_name": f"Org 1 {SCRIPT}", "org_type": "hospital", "month": "2018-12",
          "posts": 20, "flagged": 12, "share": 0.6, "baseline_posts": 200, "baseline_flagged": 20, "baseline_share": 0.1,
          "diff_low": 0.28, "diff_high": 0.69, "message": f"Org 1 {SCRIPT}: 12 of 20 posts negative in 2018-12"}]
    )
    evaluation = pd.DataFrame(
        [{"dataset": d, "scorer": sc, "scorer_version": "v1", "n": 150, "accuracy": acc, "macro_f1": acc - 0.01,
          "macro_recall": acc, "accuracy_low": acc - 0.08, "accuracy_high": acc + 0.07}
         for d in ("health_test", "tweeteval_val") for sc, acc in (("vader", 0.6), ("healthcare", 0.75))]
    )
    confusion_rows = []
    for d in ("health_test", "tweeteval_val"):
        for sc, matrix in (("vader", [[29, 12, 7], [11, 27, 11], [8, 5, 39]]),
                           ("healthcare", [[34, 11, 3], [3, 34, 12], [3, 5, 44]]),
                           ("trained", [[28, 19, 1], [0, 43, 6], [3, 6, 43]])):
            for i, true in enumerate(("negative", "neutral", "positive")):
                predicted = sum(row[i] for row in matrix)
                precision, recall = matrix[i][i] / predicted, matrix[i][i] / sum(matrix[i])
                confusion_rows.append(
                    {"dataset": d, "source": f"data/eval/{d}{IMG}.csv", "scorer": sc, "scorer_version": f"v1 {SCRIPT}",
                     "scores_posts": sc == "healthcare", "true_label": true, "support": sum(matrix[i]),
                     "pred_negative": matrix[i][0], "pred_neutral": matrix[i][1], "pred_positive": matrix[i][2],
                     "precision": precision, "recall": recall, "dataset_posts": 149, "accuracy": 0.75,
                     "f1": 2 * precision * recall / (precision + recall)})
    return {
        "sentiment_confusion": pd.DataFrame(confusion_rows),
        "adoption_vs_growth": versus,
        "posting_growth": volume,
        "themes_trend": themes,
        "risk_summary": risk,
        "risk_examples": risk_examples,
        "org_benchmark": benchmark,
        "scorecard": scorecard,
        "alerts": alerts,
        "sentiment_evaluation": evaluation,
        "headline": headline,
        "platform_user_growth": growth,
        "org_platform_adoption": adoption,
        "posting_activity": posting,
        "sentiment_trend": trend,
        "sentiment_histogram": histogram,
        "sentiment_extremes": pd.DataFrame(extreme_rows),
        "quality_quarantine": quarantine,
        "quality_reconciliation": reconciliation,
        "quality_checks": checks,
    }


def empty_marts() -> dict[str, pd.DataFrame]:
    """Every mart with its columns but no rows, as DuckDB returns an empty query."""
    return {name: df.iloc[0:0] for name, df in make_marts().items()}


@pytest.fixture(scope="module")
def site_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("reports")
    site.write_site(out, make_marts(), generated_at=GENERATED_AT, alerts=[f"Sentiment fell {SCRIPT}", "2 checks failed"])
    return out


def hrefs(html: str) -> set[str]:
    return set(re.findall(r'<a href="([^"]+)"', html))


# --- formatting -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("formatter", "value", "expected"),
    [
        (fmt_int, 1234567, "1,234,567"),
        (fmt_int, 2.6, "3"),
        (fmt_int, None, "n/a"),
        (fmt_int, float("nan"), "n/a"),
        (fmt_month, date(2017, 1, 1), "2017-01"),
        (fmt_month, pd.Timestamp("2018-03-15 23:00"), "2018-03"),
        (fmt_month, pd.NaT, "n/a"),
        (fmt_pct, 0.1234, "12.3%"),
        (fmt_growth, 5.04, "+5.0%"),
        (fmt_score, -0.456, "-0.46"),
        (fmt_timestamp, datetime(2024, 5, 1, 14, 30, tzinfo=timezone(pd.Timedelta(hours=2))), "2024-05-01 12:30 UTC"),
        (fmt_day, pd.Timestamp("2018-03-04 15:16"), "2018-03-04"),
    ],
)
def test_formatters(formatter, value, expected):
    assert formatter(value) == expected


# --- the written files ------------------------------------------------------------------------------------------


def test_site_has_every_page_and_one_shared_plotly(site_dir, tmp_path):
    written = site.write_site(tmp_path, make_marts(), generated_at=GENERATED_AT)
    downloads = [p for p in written if p.parent.name == "downloads"]
    assert downloads and all(p.suffix == ".csv" and p.is_file() for p in downloads)
    assert {p.name for p in written if p not in downloads} == PAGE_FILES | {"plotly.min.js", "style.css"}
    assert {p.name for p in site_dir.glob("*.html")} == PAGE_FILES
    assert [p.relative_to(site_dir).as_posix() for p in site_dir.rglob("plotly*.js")] == ["assets/plotly.min.js"]
    from plotly.offline import get_plotlyjs

    assert (site_dir / "assets" / "plotly.min.js").read_text(encoding="utf-8") == get_plotlyjs()


@pytest.mark.parametrize("filename", sorted(PAGE_FILES))
def test_page_loads_plotly_from_the_shared_asset_only(site_dir, filename):
    html = (site_dir / filename).read_text(encoding="utf-8")
    assert re.findall(r"<script[^>]*\ssrc=\"([^\"]+)\"", html) == ["assets/plotly.min.js"]
    assert "plotly.js v" not in html and "cdn.plot.ly" not in html and "https://" not in html
    assert len(html.encode("utf-8")) < ONE_MB
    assert "Generated 2024-05-01 12:30 UTC" in html
    assert "Data sources:" in html


def test_index_links_every_page_with_its_description(site_dir):
    html = (site_dir / "index.html").read_text(encoding="utf-8")
    assert hrefs(html) == PAGE_FILES
    for page in PAGES[1:]:
        assert page.description in html


def test_data_text_is_escaped_in_the_html(site_dir):
    for filename in PAGE_FILES:
        html = (site_dir / filename).read_text(encoding="utf-8")
        assert SCRIPT not in html and IMG not in html, filename
    sentiment = (site_dir / "sentiment.html").read_text(encoding="utf-8")
    assert "General Hospital &lt;script&gt;window.__pwned=1&lt;/script&gt;" in sentiment
    index = (site_dir / "index.html").read_text(encoding="utf-8")
    assert "Sentiment fell &lt;script&gt;" in index


def test_tables_use_thousands_separators_and_months(site_dir):
    index = (site_dir / "index.html").read_text(encoding="utf-8")
    assert "123,456" in index and "2017-01 – 2018-12" in index and "2.62 bn" in index
    quality = (site_dir / "quality.html").read_text(encoding="utf-8")
    assert "63,500" in quality and "Not balanced" in quality
    assert quality.index("reconciliation_balanced") < quality.index("posts_not_null"), "failed checks come first"


def test_pages_stay_under_1mb_with_a_large_history(tmp_path):
    marts = make_marts(months=120, platforms={f"p{i}": f"Platform {i}" for i in range(10)}, extremes=400)
    site.write_site(tmp_path, marts, generated_at=GENERATED_AT)
    sizes = {p.name: p.stat().st_size for p in tmp_path.glob("*.html")}
    assert max(sizes.values()) < ONE_MB, sizes
    assert "Showing 200 of 400 rows." in (tmp_path / "sentiment.html").read_text(encoding="utf-8")


def test_nullable_dtypes_and_missing_values_render(tmp_path):
    # Arrow-backed or nullable frames carry pd.NA, which float-only code and plotly's JSON choke on.
    marts = {name: df.convert_dtypes() for name, df in make_marts().items()}
    marts["posting_activity"].loc[0:5, ["posts", "engagement", "likes"]] = pd.NA
    marts["sentiment_trend"].loc[0:5, "mean_score"] = pd.NA
    marts["quality_checks"].loc[0, "passed"] = pd.NA
    marts["headline"].loc[0, ["world_users_2017", "mean_sentiment", "last_post"]] = pd.NA
    site.write_site(tmp_path, marts, generated_at=GENERATED_AT)
    for filename, charts in EXPECTED_CHARTS.items():
        assert (tmp_path / filename).read_text(encoding="utf-8").count('class="plotly-graph-div"') == charts
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "2017-01 – n/a" in index and "2017: n/a" in index


@pytest.mark.parametrize("marts", [{}, empty_marts()], ids=["missing", "empty"])
def test_empty_marts_render_no_data_notes(tmp_path, marts):
    site.write_site(tmp_path, marts, generated_at=GENERATED_AT)
    for filename in PAGE_FILES:
        html = (tmp_path / filename).read_text(encoding="utf-8")
        assert 'class="no-data"' in html, filename
        assert "plotly-graph-div" not in html, filename


def test_plotly_asset_is_rewritten_only_when_its_content_differs(tmp_path):
    site.write_site(tmp_path, {}, generated_at=GENERATED_AT)
    asset = tmp_path / "assets" / "plotly.min.js"
    before = asset.stat()
    site.write_site(tmp_path, {}, generated_at=GENERATED_AT)
    after = asset.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    asset.write_text("corrupted", encoding="utf-8")
    site.write_site(tmp_path, {}, generated_at=GENERATED_AT)
    assert asset.stat().st_size == before.st_size


def test_a_failing_page_builder_writes_nothing(site_dir, tmp_path):
    site.write_site(tmp_path, make_marts(), generated_at=GENERATED_AT)
    before = {p.name: p.read_bytes() for p in tmp_path.glob("*.html")}

    def broken(marts):
        raise RuntimeError("builder failed")

    pages = (*PAGES, Page("broken", "Broken", "Fails.", "index.html", broken))
    with pytest.raises(RuntimeError):
        site.write_site(tmp_path, {}, generated_at=datetime(2030, 1, 1), pages=pages)
    assert {p.name: p.read_bytes() for p in tmp_path.glob("*.html")} == before


def test_page_names_must_be_unique():
    with pytest.raises(ValueError, match="unique"):
        site.write_site(Path("unused"), {}, generated_at=GENERATED_AT, pages=(*PAGES, PAGES[0]))


def test_browser_checks_fail_under_ci_and_skip_locally(monkeypatch, tmp_path):
    monkeypatch.setattr(browser, "CHROMIUM", tmp_path / "no-chromium")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception):
        browser.require_browser()
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception):
        browser.require_browser()


# --- in real Chromium -------------------------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.parametrize("filename", sorted(PAGE_FILES))
def test_page_renders_cleanly_in_chromium(chromium, site_dir, filename):
    report = chromium.render(site_dir / filename)
    assert report.problems == []
    assert report.plot_containers == EXPECTED_CHARTS[filename]
    assert report.charts_drawn == EXPECTED_CHARTS[filename]
    csv_links = {link for link in report.links if link.endswith(".csv")}
    assert set(report.links) - csv_links == PAGE_FILES
    # every table's CSV download resolves to a file of the site
    assert all(link.startswith("downloads/") and (site_dir / link).is_file() for link in csv_links), csv_links
    assert "Generated 2024-05-01 12:30 UTC" in report.text


@pytest.mark.browser
def test_hostile_text_shows_as_text_and_never_runs(chromium, site_dir):
    sentiment = chromium.render(site_dir / "sentiment.html")
    assert not sentiment.pwned
    assert f"General Hospital {SCRIPT}" in sentiment.text
    assert f"Flu shots available {IMG} now" in sentiment.text
    quality = chromium.render(site_dir / "quality.html")
    assert not quality.pwned
    assert f"bad date {SCRIPT}" in quality.text and f"posts_{IMG}.csv" in quality.text
    index = chromium.render(site_dir / "index.html")
    assert f"Sentiment fell {SCRIPT}" in index.text


@pytest.mark.browser
def test_harness_catches_an_injected_script(chromium, tmp_path):
    # Guards the guard: a page that does run hostile markup must be reported.
    page = tmp_path / "bad.html"
    cdn = "https://cdn.example.invalid/plotly.min.js"
    page.write_text(
        f"<!doctype html><title>bad</title>{IMG}<script src='{cdn}'></script><script>throw new Error('boom')</script>"
        "<div class='plotly-graph-div'></div>",
        encoding="utf-8",
    )
    report = chromium.render(page, timeout_ms=2_000)
    assert report.pwned
    assert any("boom" in error for error in report.page_errors)
    assert any("/x (" in url for url in report.failed_requests)
    assert report.external_requests == [cdn]
    assert (report.charts_drawn, report.plot_containers) == (0, 1)
    assert len(report.problems) >= 5


@pytest.mark.browser
def test_empty_site_renders_no_data_notes_in_chromium(chromium, tmp_path):
    site.write_site(tmp_path, empty_marts(), generated_at=GENERATED_AT)
    for filename in sorted(PAGE_FILES):
        report = chromium.render(tmp_path / filename)
        assert report.problems == [], filename
        assert report.plot_containers == 0
        assert "No data" in report.text, filename

