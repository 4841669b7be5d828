"""Organization pages: a capped set of per-organization pages and a paged directory of every organization.

Pure tests build the pages from hand-made marts; the rest materialize the embedded sample (with the cap set to 5) and
open the pages in real headless Chromium, asserting on the rendered DOM."""

from __future__ import annotations

import re
import shutil
from datetime import datetime, timezone
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

import browser
from conftest import ROOT, materialize_all, query
from pipelines.reporting import site
from pipelines.reporting.formatting import ORG_TYPE_NAMES, fmt_org_type
from pipelines.reporting.pages import PAGES, organizations
from pipelines.reporting.subpages import EXTRA_PAGES, SubPage

GENERATED_AT = datetime(2024, 5, 1, 12, 30, tzinfo=timezone.utc)
SCRIPT = f"<script>window.{browser.PWNED_FLAG}=1</script>"
POST_TEXT = "Secret post text about patient Jane Roe 555-0100"
TYPES = ["hospital", "health_system", "public_health_agency", "clinic"]
PLATFORMS = {"facebook": "Facebook", "linkedin": "LinkedIn", "x": "X (Twitter)"}
THEMES = ["education_research", "promotion_events", "recruitment"]
# codes a reader must never see: organization types and themes with underscores, platform codes
RAW_CODES = [code for code in ORG_TYPE_NAMES if "_" in code] + ["education_research", "promotion_events"]
ORG_FILE = re.compile(r"^org-(?:[a-z0-9]+(?:-[a-z0-9]+)*-)?[0-9a-f]{10}(?:[0-9a-f]{54})?\.html$")
CAP_IN_REAL_BUILD = 5


def raw_codes_in(text: str) -> list[str]:
    """Codes shown as such: type and theme codes anywhere, platform codes as lower-case whole words."""
    found = [code for code in RAW_CODES if code in text]
    found += [code for code in PLATFORMS if len(code) > 2 and re.search(rf"\b{code}\b", text)]
    return found


class _Text(HTMLParser):
    """The text a reader sees: everything outside <script> and <style>, tags dropped."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("script", "style")

    def handle_endtag(self, tag):
        self._skip -= tag in ("script", "style")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def hrefs(html: str) -> list[str]:
    return re.findall(r'<a [^>]*href="([^"]+)"', html)


def make_marts(n_orgs: int = 253, silent: int = 3) -> dict[str, pd.DataFrame]:
    """n_orgs organizations with posts (org i has 1000 - i, so the ranking is known), `silent` without any, hostile
    names, two platforms and four quarters each; every mart the organization pages read."""
    quarters = pd.to_datetime(["2022-01-01", "2022-04-01", "2022-07-01", "2022-10-01"])
    orgs = [(f"Org/{i:03d}", f"Org {i:03d} {SCRIPT}" if i % 50 == 0 else f"Org {i:03d}", TYPES[i % len(TYPES)],
             1000 - i) for i in range(n_orgs)]
    profile, themes, card, bench = [], [], [], []
    for k, (org_id, name, org_type, posts) in enumerate(orgs):
        per = posts // 8
        for j, (code, platform_name) in enumerate(list(PLATFORMS.items())[k % 2:k % 2 + 2]):
            for q, start in enumerate(quarters):
                n = per + (posts - 8 * per if (j, q) == (0, 0) else 0)
                profile.append({
                    "org_id": org_id, "org_name": name, "org_type": org_type, "platform": code,
                    "platform_name": platform_name, "period_start": start.date(), "posts": n, "interactions": 5 * n,
                    "interactions_viewed": 4 * n, "views": 100 * n, "sum_score": 0.2 * n, "sum_sq_score": 0.1 * n,
                    "mean_score": 0.2, "n_negative": n // 10, "n_neutral": n // 5, "n_positive": n - n // 10 - n // 5,
                    "share_negative": (n // 10) / n, "phi_posts": k % 3, "unsourced_claims": 1,
                    "unprofessional_posts": 0})
        for t, theme in enumerate(THEMES):
            with_theme = posts // (t + 2)
            themes.append({"org_id": org_id, "org_type": org_type, "theme": theme, "posts_with_theme": with_theme,
                           "posts": posts, "share": with_theme / posts, "share_low": with_theme / posts - 0.02,
                           "share_high": with_theme / posts + 0.02, "small_sample": False,
                           "peer_posts_with_theme": 100, "peer_posts": 300, "peer_share": 1 / 3})
        card.append({"org_id": org_id, "org_name": name, "org_type": org_type, "posts": posts,
                     "recommended_use_share": 0.6, "recommended_use_low": 0.5, "recommended_use_high": 0.7,
                     "claim_posts": k % 4, "sourced_claim_share": None if k % 4 == 0 else 0.5,
                     "patient_information_posts": k % 3, "unprofessional_posts": 0, "unprofessional_per_1000": 0.0,
                     "meets_recommended_use": True, "meets_sourced_claims": None if k % 4 == 0 else False,
                     "meets_patient_privacy": k % 3 == 0, "meets_professionalism": True,
                     "criteria_met": 2 + (k % 3 == 0), "criteria_judged": 3 if k % 4 == 0 else 4,
                     "small_sample": False})
    for org_id, name, org_type, posts in orgs + [(f"Silent {s}", f"Silent org {s}", "health_system", 0)
                                                 for s in range(silent)]:
        bench.append({"org_id": org_id, "org_name": name, "org_type": org_type, "posts": posts,
                      "interactions": 5 * posts, "views": 100 * posts, "engagement_rate": 0.05,
                      "interactions_per_post": 5.0, "peer_orgs": 60, "peer_posts": 60_000,
                      "share_of_voice": posts / 60_000, "share_of_voice_low": 0.0, "share_of_voice_high": 0.1,
                      "engagement_share_of_voice": posts / 60_000, "peer_median_engagement_rate": 0.04,
                      "engagement_rate_vs_peers": 1.25, "peer_median_interactions_per_post": 4.0,
                      "interactions_per_post_vs_peers": 1.25, "small_sample": False})
    for s in range(silent):  # a tracked organization without posts: one row, no platform
        profile.append({"org_id": f"Silent {s}", "org_name": f"Silent org {s}", "org_type": "health_system",
                        "platform": None, "platform_name": None, "period_start": None, "posts": 0, "interactions": 0,
                        "n_negative": 0, "n_neutral": 0, "n_positive": 0, "phi_posts": 0, "unsourced_claims": 0,
                        "unprofessional_posts": 0})
    trend = pd.DataFrame([
        {"platform": code, "platform_name": pname, "org_type": t, "period_start": q.date(), "posts": 400,
         "mean_score": 0.1, "sum_score": 40.0, "sum_sq_score": 30.0, "n_negative": 40}
        for code, pname in PLATFORMS.items() for t in TYPES for q in quarters])
    risk = pd.DataFrame([
        {"org_type": t, "platform": "all", "year": "all", "platform_name": "All platforms", "posts": 10_000,
         "phi_posts": 12, "unsourced_claims": 30, "unprofessional_posts": 2, "phi_per_1000": 1.2,
         "unsourced_per_1000": 3.0, "unprofessional_per_1000": 0.2} for t in [*TYPES, "all"]])
    extremes = pd.DataFrame([{"polarity": "negative", "rank": 1, "sentiment_score": -0.9, "text": POST_TEXT,
                              "org_name": "Org 001", "org_type": "hospital", "platform_name": "Facebook",
                              "posted_at": pd.Timestamp("2022-02-02"), "post_id": "p1"}])
    return {"org_profile": pd.DataFrame(profile), "org_themes": pd.DataFrame(themes), "scorecard": pd.DataFrame(card),
            "org_benchmark": pd.DataFrame(bench), "sentiment_trend": trend, "risk_summary": risk,
            "sentiment_extremes": extremes}


def render(marts, monkeypatch, cap: str | None = None) -> dict[str, str]:
    if cap is None:
        monkeypatch.delenv(organizations.ENV_MAX, raising=False)
    else:
        monkeypatch.setenv(organizations.ENV_MAX, cap)
    # the pages these marts feed (the other pages need marts these tests do not make)
    pages = [page for page in PAGES if page.name in ("benchmark", "organizations")]
    return site.render_pages(marts, generated_at=GENERATED_AT, alerts=[], pages=pages)


def org_pages(rendered: dict[str, str]) -> dict[str, str]:
    return {name: html for name, html in rendered.items() if name.startswith("org-")}


def directory_pages(rendered: dict[str, str]) -> dict[str, str]:
    return {name: html for name, html in rendered.items() if re.fullmatch(r"organizations(-\d+)?\.html", name)}


# --- pure: the builder -------------------------------------------------------------------------------------------


def test_the_cap_is_respected_and_the_most_active_get_pages(monkeypatch):
    marts = make_marts()
    rendered = render(marts, monkeypatch, cap="7")
    pages = org_pages(rendered)
    assert len(pages) == 7
    expected = {organizations.org_filename(f"Org/{i:03d}") for i in range(7)}  # the 7 with the most posts
    assert set(pages) == expected
    # by default 200; 0 turns organization pages off but keeps the directory
    assert len(org_pages(render(marts, monkeypatch))) == organizations.DEFAULT_MAX == 200
    off = render(marts, monkeypatch, cap="0")
    assert org_pages(off) == {} and "organizations.html" in off
    assert "organization pages are turned off" in visible_text(off["organizations.html"])
    with pytest.raises(ValueError, match=organizations.ENV_MAX):
        render(marts, monkeypatch, cap="lots")


def test_pages_built_by_forked_workers_equal_the_serial_build(monkeypatch):
    """Above PARALLEL_ABOVE pages site.py forks one worker a core; the site must be byte for byte the same."""
    if "fork" not in __import__("multiprocessing").get_all_start_methods() or site.available_cores() < 2:
        pytest.skip("needs fork and two cores")
    marts = make_marts(n_orgs=60)
    built_here: list[str] = []
    page = organizations._org_context

    def counted(org, *args):
        built_here.append(org["org_id"])  # in the process that builds the page: a forked worker's list is its own
        return page(org, *args)

    monkeypatch.setattr(organizations, "_org_context", counted)
    monkeypatch.setattr(site, "PARALLEL_ABOVE", 10_000)
    serial = render(marts, monkeypatch, cap="60")
    assert len(built_here) == 60
    built_here.clear()
    monkeypatch.setattr(site, "PARALLEL_ABOVE", 10)
    forked = render(marts, monkeypatch, cap="60")
    # this process builds the first share itself, forked workers the rest (their lists are their own)
    assert 0 < len(built_here) < 60, "the pages were all built in this process, not by workers"
    assert len(org_pages(forked)) == 60
    assert forked == serial


def test_pages_are_rendered_in_this_process_when_it_holds_too_much_memory_to_fork(monkeypatch):
    """A forked worker's RSS counts what it shares with this process: above HCSM_FORK_RSS_MAX_MIB no worker starts."""
    marts = make_marts(n_orgs=60)
    built_here: list[str] = []
    page = organizations._org_context

    def counted(org, *args):
        built_here.append(org["org_id"])
        return page(org, *args)

    monkeypatch.setattr(organizations, "_org_context", counted)
    monkeypatch.setattr(site, "PARALLEL_ABOVE", 10)
    monkeypatch.setenv("HCSM_FORK_RSS_MAX_MIB", "1")  # any real process is above 1 MiB
    assert site._rss_mib() > 1
    rendered = render(marts, monkeypatch, cap="60")
    assert len(built_here) == 60, "pages were built by forked workers despite the memory limit"
    assert len(org_pages(rendered)) == 60


def test_the_directory_is_paged_and_lists_every_organization_once(monkeypatch):
    marts = make_marts(n_orgs=253, silent=3)  # 256 organizations: pages of 100, 100 and 56
    rendered = render(marts, monkeypatch, cap="150")
    pages = directory_pages(rendered)
    assert sorted(pages) == ["organizations-2.html", "organizations-3.html", "organizations.html"]
    rows = {name: re.findall(r"<tr><td class=\"num\">([\d,]+)</td>", html) for name, html in pages.items()}
    assert [len(rows[n]) for n in ("organizations.html", "organizations-2.html", "organizations-3.html")] == [100, 100, 56]
    ranks = [int(r.replace(",", "")) for n in ("organizations.html", "organizations-2.html", "organizations-3.html")
             for r in rows[n]]
    assert ranks == list(range(1, 257))
    # previous / next links chain the pages, and each page's own number is not a link
    assert 'rel="next"' in pages["organizations.html"] and 'rel="prev"' not in pages["organizations.html"]
    assert 'href="organizations-3.html" rel="next"' in pages["organizations-2.html"]
    assert 'href="organizations.html" rel="prev"' in pages["organizations-2.html"]
    assert 'rel="next"' not in pages["organizations-3.html"]
    assert "Page 2 of 3" in visible_text(pages["organizations-2.html"])
    # each row links to its page when it has one, and says why not otherwise
    first = pages["organizations.html"]
    assert len(set(h for h in hrefs(first) if h.startswith("org-"))) == 100
    second = visible_text(pages["organizations-2.html"])
    assert second.count("No page: not among the 150 organizations with the most posts") == 50
    third = visible_text(pages["organizations-3.html"])
    assert third.count("No page: no posts in the data") == 3
    # the nav has one Organizations entry, marked current on every directory and organization page
    for name, html in {**pages, **org_pages(rendered)}.items():
        nav = html.split("</nav>")[0]
        assert nav.count(">Organizations</a>") == 1, name
        assert 'href="organizations.html" aria-current="page"' in nav, name
        assert "org-" not in nav, name
    # only the first directory page offers the whole directory as a CSV, with every organization
    csv_links = [h for h in hrefs(first) if h.endswith(".csv")]
    assert len(csv_links) == 1 and rendered[csv_links[0]].count("\n") == 257
    assert not [h for n in ("organizations-2.html", "organizations-3.html") for h in hrefs(pages[n]) if h.endswith(".csv")]


def test_pager_windows_long_directories():
    links = organizations.pager(index=20, pages=50)
    labels = [link.label for link in links]
    assert labels == ["Previous", "1", "…", "19", "20", "21", "22", "23", "…", "50", "Next"]
    assert [link.label for link in links if link.current] == ["21"]
    assert links[0].href == "organizations-20.html" and links[-1].href == "organizations-22.html"
    assert organizations.pager(0, 1) == []


@pytest.mark.parametrize("ids", [
    ["A/B", "a b", "a-b", "A B", "a_b", "A.B", "äb", "ab"],
    ["org", "ORG", "Org", " org ", "org\n"],
    ["../../etc/passwd", "..", ".", "/", "", "CON", "nul", "aux.html"],
    ["医院", "病院", "🏥", "x" * 300, "x" * 301],
])
def test_file_names_are_safe_and_never_collide(ids):
    files = organizations.org_filenames(ids)
    assert len(files) == len(ids) and len(set(files.values())) == len(ids)
    for name in files.values():
        assert ORG_FILE.match(name), name
        assert len(name) <= 4 + 41 + 64 + 5
    assert not set(files.values()) & {page.filename for page in PAGES}


def test_file_names_fall_back_to_the_whole_hash_on_a_collision(monkeypatch):
    real = organizations.org_filename
    monkeypatch.setattr(organizations, "org_filename",
                        lambda org_id, digits=10: "org-same-0000000000.html" if digits == 10 else real(org_id, digits))
    files = organizations.org_filenames(["a", "b", "c"])
    assert len(set(files.values())) == 3
    assert all(len(name) == len("org-a-.html") + 64 for name in files.values())


def test_pages_show_display_names_never_codes_or_post_text(monkeypatch):
    marts = make_marts(n_orgs=12, silent=1)
    rendered = render(marts, monkeypatch)
    pages = org_pages(rendered)
    assert len(pages) == 12
    for name, html in {**pages, **directory_pages(rendered), "benchmark.html": rendered["benchmark.html"]}.items():
        text = visible_text(html)
        assert raw_codes_in(text) == [], name
        assert POST_TEXT not in html and "Jane Roe" not in html, name
        assert SCRIPT not in html and "<script>window" not in html, name  # hostile names are escaped
    page = visible_text(pages[organizations.org_filename("Org/001")])
    assert "Health system" in page and "Health system peers" in page
    assert "LinkedIn" in page and "X (Twitter)" in page  # its two platforms, by name
    assert "Education and research" in page
    assert raw_codes_in("Type: health_system") == ["health_system"]  # the check itself can fail


def test_an_organization_page_has_its_sections_and_one_chart(monkeypatch):
    rendered = render(make_marts(n_orgs=12, silent=0), monkeypatch)
    html = rendered[organizations.org_filename("Org/002")]
    text = visible_text(html)
    for heading in ("At a glance", "Platforms", "Themes against its peers", "Sentiment trend", "Risk flags",
                    "Scorecard against its peers"):
        assert f"<h2>{heading}</h2>" in html, heading
    assert html.count('class="plotly-graph-div"') == 1
    assert html.count('<script charset="utf-8" src="assets/plotly.min.js">') == 1 and "plotly.js v" not in html
    assert "3 of 12 organizations by posts" in text
    assert "Posts exposing patient information" in text and "Unsourced health claims" in text
    # the org pages share the site's downloads: none of their own
    assert not [h for h in hrefs(html) if h.endswith(".csv")]
    # chart ids are unique across pages
    ids = [re.search(r'<div id="([^"]+)" class="plotly-graph-div"', page).group(1) for page in org_pages(rendered).values()]
    assert len(ids) == len(set(ids)) == 12


def test_benchmark_names_link_to_the_pages_that_exist(monkeypatch):
    marts = make_marts(n_orgs=30, silent=2)
    rendered = render(marts, monkeypatch, cap="10")
    links = [h for h in hrefs(rendered["benchmark.html"]) if h.startswith("org-")]
    assert links and set(links) == set(org_pages(rendered))
    # peers table and scorecard both link each of the 10
    assert len(links) == 20


def test_a_generated_page_may_not_take_a_listed_page_name():
    from pipelines.reporting.components import Page

    def build(marts):
        return {"sections": [], EXTRA_PAGES: [SubPage("x", "index.html", "t", "d", "sections.html", {"sections": []})]}

    pages = [Page("index", "Index", "d", "sections.html", build)]
    with pytest.raises(ValueError, match="index.html"):
        site.render_pages({}, generated_at=GENERATED_AT, alerts=[], pages=pages)


# --- a real build of the sample, in Chromium ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_site(tmp_path_factory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("org_pages_site")
    data = tmp / "data"
    shutil.copytree(ROOT / "data" / "sample", data)
    reports = tmp / "reports"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(organizations.ENV_MAX, str(CAP_IN_REAL_BUILD))
        assert materialize_all(data, tmp / "w.duckdb", reports).success
    return {"data": data, "warehouse": tmp / "w.duckdb", "reports": reports}


_JS_ORG_LINKS = """() => [...document.querySelectorAll('.table-block')].map(b => ({
  title: b.querySelector('h3').innerText,
  links: [...b.querySelectorAll('td a.org-link')].map(a => ({href: a.getAttribute('href'), text: a.innerText})),
  rows: b.querySelectorAll('tbody tr').length}))"""
_JS_HEAD = "() => ({h1: document.querySelector('h1').innerText, " \
           "current: [...document.querySelectorAll('.topnav a[aria-current=page]')].map(a => a.innerText)})"


def test_the_real_marts_have_no_post_text(sample_site):
    for mart in ("org_profile", "org_themes"):
        columns = {r[0] for r in query(sample_site["warehouse"],
                                       "select column_name from information_schema.columns "
                                       "where table_schema = 'marts' and table_name = ?", [mart])}
        assert columns and not columns & {"text", "text_shown", "url", "post_id"}, mart
    texts = [r[0] for r in query(sample_site["warehouse"],
                                 "select text from core.posts where length(text) > 40 order by post_id limit 300")]
    assert texts
    for page in sample_site["reports"].glob("org*.html"):
        html = page.read_text(encoding="utf-8")
        assert not [t for t in texts if t in html], page.name


def test_the_real_build_caps_the_pages(sample_site):
    reports = sample_site["reports"]
    files = sorted(p.name for p in reports.glob("org-*.html"))
    assert len(files) == CAP_IN_REAL_BUILD
    assert all(ORG_FILE.match(name) for name in files)
    top = query(sample_site["warehouse"],
                "select org_id from marts.org_profile group by org_id, org_name "
                "order by sum(posts) desc, lower(org_name), org_id limit ?", [CAP_IN_REAL_BUILD])
    assert files == sorted(organizations.org_filename(r[0]) for r in top)
    # one shared plotly.js, never inlined
    assert [p.relative_to(reports).as_posix() for p in reports.rglob("plotly*.js")] == ["assets/plotly.min.js"]
    for name in files:
        assert "plotly.js v" not in (reports / name).read_text(encoding="utf-8")


@pytest.mark.browser
def test_benchmark_links_to_the_organization_pages(sample_site, chromium):
    reports = sample_site["reports"]
    report = chromium.render(reports / "benchmark.html", probe=_JS_ORG_LINKS)
    assert report.problems == []
    tables = {t["title"]: t for t in report.probe}
    peers = next(t for title, t in tables.items() if title.startswith("Share of voice"))
    card = next(t for title, t in tables.items() if title.startswith("Best-practice scorecard"))
    on_disk = {p.name for p in reports.glob("org-*.html")}
    for table in (peers, card):
        assert table["rows"] > CAP_IN_REAL_BUILD  # the others are listed, without a link
        assert {link["href"] for link in table["links"]} == on_disk, table["title"]
    # a link opens the page of the organization it names
    for link in peers["links"]:
        target = chromium.render(reports / link["href"], probe=_JS_HEAD)
        assert target.problems == []
        assert target.probe["h1"] == link["text"]
        assert target.probe["current"] == ["Organizations"]


@pytest.mark.browser
def test_an_organization_page_renders_resolves_and_names_things(sample_site, chromium):
    reports = sample_site["reports"]
    pages = sorted(reports.glob("org-*.html"))
    assert pages
    for page in pages:
        report = chromium.render(page, probe=_JS_ORG_LINKS)
        assert report.problems == [], page.name  # no failed request: style sheet and plotly.js resolve
        assert report.plot_containers == 1 and report.charts_drawn == 1, page.name
        assert report.links
        for link in report.links:
            assert not re.match(r"^[a-z]+:", link) and (reports / link).is_file(), (page.name, link)
        assert "organizations.html" in report.links and "benchmark.html" in report.links
        assert raw_codes_in(report.text) == [], page.name
        assert any(name in report.text for name in ("Hospital", "Health system", "Clinic", "Pharma", "Insurer",
                                                    "Public health agency", "Health media", "Other type",
                                                    "Professional association"))
        for heading in ("Platforms", "Themes against its peers", "Sentiment trend", "Risk flags",
                        "Scorecard against its peers"):
            assert heading in report.text
        # every table has rows
        assert all(t["rows"] > 0 for t in report.probe), [t["title"] for t in report.probe if not t["rows"]]
    # its chart draws this organization against its type's peers, by display name
    probe = """() => [...document.querySelectorAll('.js-plotly-plot')].map(d => d.data.map(t => t.name))"""
    names = chromium.render(pages[0], probe=probe).probe[0]
    assert "This organization" in names and any(n.endswith(" peers") for n in names)
    assert not [n for n in names if "_" in n]


@pytest.mark.browser
def test_the_directory_links_or_says_why_not(sample_site, chromium):
    reports = sample_site["reports"]
    report = chromium.render(reports / "organizations.html", probe=_JS_ORG_LINKS)
    assert report.problems == []
    (table,) = report.probe
    total, active = query(sample_site["warehouse"], "select count(distinct org_id), count(distinct org_id) "
                                                    "filter (where posts > 0) from marts.org_profile")[0]
    assert table["rows"] == total
    assert {link["href"] for link in table["links"]} == {p.name for p in reports.glob("org-*.html")}
    assert report.text.count(f"No page: not among the {CAP_IN_REAL_BUILD} organizations with the most posts") \
        == active - CAP_IN_REAL_BUILD
    assert report.text.count("No page: no posts in the data") == total - active
    assert raw_codes_in(report.text) == []
    for link in report.links:
        assert (reports / link).is_file(), link


@pytest.mark.browser
def test_the_pager_links_resolve_in_chromium(chromium, tmp_path, monkeypatch):
    monkeypatch.setenv(organizations.ENV_MAX, "3")
    site.write_site(tmp_path, make_marts(n_orgs=230, silent=0), generated_at=GENERATED_AT,
                    pages=[page for page in PAGES if page.name in ("benchmark", "organizations")])
    seen = []
    page = "organizations.html"
    probe = "() => { const a = document.querySelector('.pager a[rel=next]'); return a ? a.getAttribute('href') : null; }"
    while page:
        report = chromium.render(tmp_path / page, probe=probe)
        assert report.problems == [] and not report.pwned, page
        assert all((tmp_path / link).is_file() for link in report.links), page
        seen.append(page)
        page = report.probe
    assert seen == ["organizations.html", "organizations-2.html", "organizations-3.html"]
    assert fmt_org_type("public_health_agency") in report.text and "public_health_agency" not in report.text
