"""What the reader sees on the embedded sample, in headless Chromium: one colour per platform and per organization
type on every page, tables that show all their columns, values that do not wrap, the stop banner on every page."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import browser
from conftest import ROOT, materialize_all, write_posts_csv

PAGES = ("index", "adoption", "sentiment", "themes", "risk", "benchmark", "quality", "methodology")

# name -> colour of every plotly trace on the page (line colour, else marker colour)
_JS_TRACE_COLORS = """() => [...document.querySelectorAll('.js-plotly-plot')].flatMap(div =>
  (div.data || []).map(t => ({chart: div.id, name: t.name,
    color: (t.line && t.line.color) || (t.marker && typeof t.marker.color === 'string' && t.marker.color) || null})))"""
# every table: how far it is wider than its panel, and the cells meant to stay on one line that took more
_JS_TABLES = """() => [...document.querySelectorAll('.table-scroll')].map(d => {
  const t = d.querySelector('table');
  const lines = e => { const r = document.createRange(); r.selectNodeContents(e);
    return new Set([...r.getClientRects()].map(x => Math.round(x.top))).size; };
  const wrapped = [...t.querySelectorAll('.badge, td.num, td.nowrap')]
    .filter(e => e.innerText.trim() && lines(e) > 1).map(e => e.innerText);
  const heads = [...t.querySelectorAll('thead th')].map(th => th.innerText.trim());
  return {title: d.closest('.table-block').innerText.split('\\n')[0], over: t.scrollWidth - d.clientWidth,
          wrapped, heads};
})"""
_JS_BANNER = """() => { const b = document.getElementById('run-banner');
  return b ? {text: b.innerText, visible: b.getBoundingClientRect().height > 0} : null; }"""


@pytest.fixture(scope="module")
def sample_site(tmp_path_factory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("sample_site")
    data = tmp / "data"
    shutil.copytree(ROOT / "data" / "sample", data)
    reports = tmp / "reports"
    assert materialize_all(data, tmp / "w.duckdb", reports).success
    return {"data": data, "warehouse": tmp / "w.duckdb", "reports": reports}


@pytest.mark.browser
def test_a_platform_and_an_organization_type_have_one_colour_on_every_page(sample_site, chromium):
    from pipelines.reporting.charts import ORG_TYPE_COLORS, PLATFORM_COLORS

    seen: dict[str, set[str]] = {}
    pages_of: dict[str, set[str]] = {}
    for page in PAGES:
        report = chromium.render(sample_site["reports"] / f"{page}.html", probe=_JS_TRACE_COLORS)
        assert report.problems == [], page
        for trace in report.probe:
            if trace["color"] and trace["name"]:
                seen.setdefault(trace["name"], set()).add(trace["color"].lower())
                pages_of.setdefault(trace["name"], set()).add(page)
    platforms = {name: colors for name, colors in seen.items() if name in PLATFORM_COLORS}
    assert len(platforms) >= 4, seen
    # Facebook is drawn on the adoption and the sentiment page, in one colour, the one defined for it
    assert {"adoption", "sentiment"} <= pages_of["Facebook"]
    for name, colors in platforms.items():
        assert colors == {PLATFORM_COLORS[name].lower()}, (name, colors)
    # no two platforms drawn share a colour
    drawn = [next(iter(c)) for c in platforms.values()]
    assert len(drawn) == len(set(drawn))
    # organization types are drawn under their display names ("Health system"), each in its one colour
    from pipelines.reporting.formatting import fmt_org_type

    type_colors = {fmt_org_type(code): color for code, color in ORG_TYPE_COLORS.items()}
    assert not set(ORG_TYPE_COLORS) & {name for name in seen if "_" in name}, "a chart names a type by its code"
    types = {name: colors for name, colors in seen.items() if name in type_colors}
    assert len(types) >= 3, seen
    for name, colors in types.items():
        assert colors == {type_colors[name].lower()}, (name, colors)


@pytest.mark.browser
def test_no_table_hides_columns_and_values_do_not_wrap(sample_site, chromium):
    tables = 0
    for page in PAGES:
        report = chromium.render(sample_site["reports"] / f"{page}.html", probe=_JS_TABLES)
        for table in report.probe:
            tables += 1
            assert table["over"] <= 0, (page, table["title"], table["over"])
            assert table["wrapped"] == [], (page, table["title"])
            assert len(table["heads"]) == len(set(table["heads"])), (page, table["title"], table["heads"])
    assert tables >= 10


@pytest.mark.browser
def test_the_harness_sees_a_hidden_column_and_a_wrapped_badge(chromium, tmp_path):
    # guards the probe: a table wider than its panel and a wrapped badge must be reported
    page = tmp_path / "wide.html"
    cells = "".join(f"<td class='num'>{i:,}</td>" for i in range(1_000_000, 1_000_040))
    page.write_text("<!doctype html><style>.table-scroll{overflow-x:auto;width:600px}.badge{display:inline-block;"
                    "width:2rem}</style><div class='table-block'><p>t</p><div class='table-scroll'><table><thead><tr>"
                    "<th>a</th><th>a</th></tr></thead><tbody><tr>" + cells +
                    "<td><span class='badge'>Not met at all</span></td></tr></tbody></table></div></div>",
                    encoding="utf-8")
    (table,) = chromium.render(page, probe=_JS_TABLES, timeout_ms=2_000).probe
    assert table["over"] > 0
    assert table["wrapped"] == ["Not met at all"]
    assert table["heads"] == ["a", "a"]


@pytest.mark.browser
def test_sentiment_trends_draw_intervals_and_hollow_small_samples(sample_site, chromium):
    probe = """() => [...document.querySelectorAll('.js-plotly-plot')].filter(d => d.id.startsWith('sentiment-trend'))
      .map(d => ({id: d.id,
                  bars: d._fullData.filter(t => t.error_y && t.error_y.visible && t.error_y.array
                                                && Array.from(t.error_y.array).some(v => v > 0)).length,
                  hollow: d.data.flatMap(t => [].concat(t.marker.symbol || [])).filter(s => s === 'circle-open').length,
                  traces: d.data.length}))"""
    report = chromium.render(sample_site["reports"] / "sentiment.html", probe=probe)
    assert {c["id"] for c in report.probe} == {"sentiment-trend-platform-name", "sentiment-trend-org-type"}
    for chart in report.probe:
        assert chart["bars"] == chart["traces"] > 0, chart
    # the sample has quarters with fewer than 30 posts for some organization type
    assert sum(c["hollow"] for c in report.probe) > 0


@pytest.mark.browser
def test_a_stopped_run_puts_the_banner_on_every_page(sample_site, chromium, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(sample_site["data"], data)
    warehouse, reports = tmp_path / "w.duckdb", tmp_path / "reports"
    shutil.copy(sample_site["warehouse"], warehouse)
    rows = [[f"x-{i}", "Facebook", "h1", "not a date", "text", 1, 1, 1, "", "", "en"] for i in range(10)]
    write_posts_csv(data / "posts" / "zz_broken.csv", rows)
    assert not materialize_all(data, warehouse, reports, raise_on_error=False).success
    for page in PAGES:
        report = chromium.render(reports / f"{page}.html", probe=_JS_BANNER)
        assert report.problems == [], page
        assert report.probe and report.probe["visible"], page
        assert report.probe["text"].startswith("Stale report: data as of "), report.probe
        assert "stopped: input_health on core/posts" in report.probe["text"]
        assert "posts/zz_broken.csv" in report.probe["text"]
    # the sample's figures are still shown under the banner
    index = chromium.render(reports / "index.html")
    assert "No data" not in index.text.split("Alerts")[0]


@pytest.mark.parametrize(("start", "end", "partial"), [
    ("2025-01-01 08:00", "2025-12-31 18:25", False),  # posts to 18:25 on 31 December cover the year
    ("2025-01-01 23:00", "2025-12-31 00:30", False),  # within the one-day tolerance at both ends
    ("2025-01-01 00:00", "2025-12-29 12:00", True),   # ends two and a half days early
    ("2025-01-03 00:00", "2025-12-31 23:00", True),   # starts two days late
    ("2024-06-01 00:00", "2026-03-01 00:00", False),  # a year inside a longer span
])
def test_a_year_is_partial_only_when_the_data_covers_it_in_part(tmp_path, start, end, partial):
    import duckdb

    from pipelines.warehouse.sql import setup_warehouse

    with duckdb.connect(str(tmp_path / "w.duckdb")) as conn:
        setup_warehouse(conn)
        got = conn.execute("select hcsm_is_partial($s::timestamp, $e::timestamp, date '2025-01-01', date '2026-01-01')",
                           {"s": start, "e": end}).fetchone()[0]
    assert got is partial


# at a phone's width: how wide the page is, each chart against the viewport, each table's box against the viewport
_JS_NARROW = """() => ({
  page: document.documentElement.scrollWidth,
  charts: [...document.querySelectorAll('.js-plotly-plot')].map(d => ({id: d.id,
    width: Math.round(d.getBoundingClientRect().width),
    svg: Math.round((d.querySelector('.main-svg') || d).getBoundingClientRect().width)})),
  tables: [...document.querySelectorAll('.table-scroll')].map(d => ({
    title: d.closest('.table-block').innerText.split('\\n')[0],
    box: Math.round(d.getBoundingClientRect().right), scrolls: d.querySelector('table').scrollWidth > d.clientWidth,
    overflow: getComputedStyle(d).overflowX})),
})"""


@pytest.mark.browser
def test_pages_read_at_420_px_charts_resize_and_wide_tables_scroll_in_their_box(sample_site, chromium):
    width, scrolling, charts, tables = 420, 0, 0, 0
    for page in PAGES:
        report = chromium.render(sample_site["reports"] / f"{page}.html", probe=_JS_NARROW, width=width)
        assert report.problems == [], (page, report.problems)
        found = report.probe
        assert found["page"] <= width, (page, "the page scrolls sideways", found["page"])
        charts += len(found["charts"])
        tables += len(found["tables"])
        for chart in found["charts"]:
            assert chart["svg"] <= width and chart["width"] <= width, (page, chart)
        for table in found["tables"]:
            assert table["box"] <= width, (page, table)
            assert table["overflow"] == "auto", (page, table)
            scrolling += table["scrolls"]
    assert charts >= 8 and tables >= 10
    assert scrolling >= 3  # wide tables do scroll inside their box at this width


_JS_DOWNLOADS = """() => [...document.querySelectorAll('.table-block')].map(b => {
  const a = b.querySelector('a.csv-download');
  return {title: b.querySelector('h3').innerText, href: a ? a.getAttribute('href') : null,
          resolved: a ? a.href : null, heads: [...b.querySelectorAll('thead th')].map(th => th.innerText.trim()),
          shown: b.querySelectorAll('tbody tr').length};
})"""


@pytest.mark.browser
def test_every_table_has_a_csv_download_that_resolves_and_matches_it(sample_site, chromium):
    import csv
    from urllib.parse import urlparse, unquote

    checked = 0
    for page in PAGES:
        report = chromium.render(sample_site["reports"] / f"{page}.html", probe=_JS_DOWNLOADS)
        for block in report.probe:
            if not block["heads"]:
                continue  # a table with no rows says "no data" and offers nothing to download
            assert block["href"] and block["href"].startswith("downloads/"), (page, block["title"])
            path = Path(unquote(urlparse(block["resolved"]).path))
            assert path.is_file(), (page, block["title"], path)
            with path.open(newline="", encoding="utf-8") as f:
                rows = list(csv.reader(f))
            assert rows[0] == block["heads"], (page, block["title"])
            assert len(rows) - 1 >= block["shown"], (page, block["title"])
            checked += 1
    assert checked >= 10


_JS_VISIBLE_TEXT = """() => document.body.innerText + '\\n' +
  [...document.querySelectorAll('svg text')].map(t => t.textContent).join('\\n')"""
# organization-type codes and artefacts of number formatting that must never reach a reader
_RAW_CODES = ("health_system", "public_health_agency", "professional_association", "health_media", "google_plus",
              "tracked_organizations", "local_health_departments", "us_adults")
_ARTEFACTS = ("-0 points", "((", "nan%", "NaN")


@pytest.mark.browser
def test_no_page_shows_a_raw_code_or_a_number_artefact(sample_site, chromium):
    for page in PAGES:
        report = chromium.render(sample_site["reports"] / f"{page}.html", probe=_JS_VISIBLE_TEXT)
        text = report.probe
        assert len(text) > 500, page
        for code in (*_RAW_CODES, *_ARTEFACTS):
            assert code not in text, (page, code, text[max(text.find(code) - 80, 0): text.find(code) + 80])


_JS_REFERENCE = """() => { const div = document.getElementById('adoption-reference-shares');
  const figure = div.closest('figure');
  // _fullData: the traces as plotly.js decoded them (the page ships numeric arrays base64-encoded)
  return {names: div._fullData.map(t => t.name), points: div._fullData.map(t => t._length),
          drawn: div.querySelectorAll('.scatterlayer .trace').length,
          markers: div.querySelectorAll('.scatterlayer .point').length,
          note: figure.querySelector('p.note').innerText}; }"""


@pytest.mark.browser
def test_the_adoption_page_draws_the_published_reference_series_with_their_sources(sample_site, chromium):
    report = chromium.render(sample_site["reports"] / "adoption.html", probe=_JS_REFERENCE)
    assert report.problems == []
    found = report.probe
    names = found["names"]
    for series in ("Hospitals (US), Facebook", "Hospitals (US), X (Twitter)", "Local health departments (US), Facebook",
                   "Physicians (US), Doximity", "Adults (US), YouTube", "Tracked organizations, Facebook",
                   "Tracked organizations, Any social media"):
        assert series in names, (series, names)
    # every trace is drawn with its markers, not only listed in the figure's data
    assert found["drawn"] == len(names) and found["markers"] >= sum(found["points"])
    for source in ("Griffis et al.", "NACCHO 2010", "Harris et al.", "Pew Research Center", "Doximity company statements",
                   "Thaker et al."):
        assert source in found["note"], (source, found["note"])
    assert "Hospitals (US), Facebook: Griffis et al." in found["note"]


_JS_CHART_DOWNLOADS = """() => [...document.querySelectorAll('figure.chart')].filter(f => f.querySelector('.js-plotly-plot'))
  .map(f => { const div = f.querySelector('.js-plotly-plot'); const a = f.querySelector('a.csv-download');
    const points = div._fullData.reduce((n, t) => n + (t.type === 'heatmap' ? t.z.length * t.z[0].length : t._length), 0);
    return {id: div.id, href: a ? a.getAttribute('href') : null, resolved: a ? a.href : null, points}; })"""


@pytest.mark.browser
def test_every_chart_offers_its_data_as_csv_with_one_row_per_point(sample_site, chromium):
    import csv
    from urllib.parse import unquote, urlparse

    checked = 0
    for page in PAGES:
        report = chromium.render(sample_site["reports"] / f"{page}.html", probe=_JS_CHART_DOWNLOADS)
        for chart in report.probe:
            assert chart["href"] and chart["href"].startswith("downloads/"), (page, chart["id"])
            path = Path(unquote(urlparse(chart["resolved"]).path))
            with path.open(newline="", encoding="utf-8") as f:
                rows = list(csv.reader(f))
            assert len(rows) - 1 == chart["points"], (page, chart["id"], len(rows) - 1, chart["points"])
            checked += 1
    assert checked >= 10


@pytest.mark.browser
def test_a_real_report_page_prints_to_pdf_without_navigation_or_download_links(sample_site, tmp_path):
    import subprocess

    pypdf = pytest.importorskip("pypdf")
    pdf = tmp_path / "adoption.pdf"
    subprocess.run([str(browser.CHROMIUM), *browser.CHROMIUM_ARGS, f"--user-data-dir={tmp_path / 'profile'}",
                    "--no-pdf-header-footer", "--virtual-time-budget=10000", f"--print-to-pdf={pdf}",
                    (sample_site["reports"] / "adoption.html").as_uri()], check=True, capture_output=True, timeout=180)
    reader = pypdf.PdfReader(str(pdf))
    # lines wrap where the page width ends them, and the PDF sets "ff" as a ligature: compare normalized text
    import unicodedata

    text = " ".join(unicodedata.normalize("NFKC", " ".join(page.extract_text() for page in reader.pages)).split())
    assert 3 <= len(reader.pages) <= 40, len(reader.pages)
    assert "Where the tracked organizations stand" in text and "Griffis et al." in text
    assert "Download CSV" not in text and "Download the chart" not in text
