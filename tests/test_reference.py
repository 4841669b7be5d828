"""The third input kind, reference/*.csv (published healthcare adoption figures), and the data behind every chart."""

from __future__ import annotations

import csv
import io
import shutil

import pandas as pd
import pytest

from conftest import ROOT, make_inputs, materialize_all, query

REFERENCE_HEADER = ["subject", "platform", "period", "region", "metric", "value", "unit", "denominator", "source"]


def _write_reference(path, rows) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(REFERENCE_HEADER)
        writer.writerows(rows)


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


# ---- the data behind a chart, read from its traces -------------------------------------------------------------

def test_chart_csv_has_one_row_per_plotted_point_with_its_interval():
    from pipelines.reporting.charts import interval_figure, render_figure, series_figure

    df = pd.DataFrame({"platform": ["Facebook", "Facebook", "X <b>"], "n": [3, 4, 5],
                       "month": pd.to_datetime(["2024-01-01", "2024-02-01", "2024-01-01"])})
    html = render_figure(series_figure(df, x="month", y="n", series="platform", y_title="Posts"), "a")
    rows = _rows(html.data_csv)
    assert rows[0] == ["series", "period", "Posts"]
    # labels are unescaped for the CSV (plotly needs them escaped), dates are ISO dates
    assert rows[1:] == [["Facebook", "2024-01-01", "3"], ["Facebook", "2024-02-01", "4"], ["X <b>", "2024-01-01", "5"]]
    shares = pd.DataFrame({"p": ["A", "A"], "year": [2020, 2021], "s": [0.5, 0.6], "lo": [0.4, 0.45], "hi": [0.7, 0.8]})
    rows = _rows(render_figure(interval_figure(shares, x="year", y="s", low="lo", high="hi", series="p",
                                               y_title="Share"), "b").data_csv)
    assert rows[0] == ["series", "period", "Share", "95% low", "95% high"]
    assert [r[1] for r in rows[1:]] == ["2020", "2021"]
    assert [float(v) for r in rows[1:] for v in r[2:]] == pytest.approx([0.5, 0.4, 0.7, 0.6, 0.45, 0.8])


def test_heatmap_csv_has_one_row_per_cell():
    import plotly.graph_objects as go

    from pipelines.reporting.charts import figure_csv

    fig = go.Figure(go.Heatmap(z=[[0.1, 0.2], [0.3, None]], x=["Clinic (n=3)", "Hospital (n=9)"], y=["Education", "Recruitment"]))
    rows = _rows(figure_csv(fig))
    assert rows[0] == ["category", "row", "value"]
    assert rows[1:] == [["Clinic (n=3)", "Education", "0.1"], ["Hospital (n=9)", "Education", "0.2"],
                        ["Clinic (n=3)", "Recruitment", "0.3"], ["Hospital (n=9)", "Recruitment", ""]]


# ---- the GX suite -------------------------------------------------------------------------------------------------

def _reference_frame(**changes) -> pd.DataFrame:
    row = {"subject": "hospitals", "platform": "facebook", "period": "2012", "period_start": pd.Timestamp("2012-01-01"),
           "period_grain": "year", "region": "US", "metric": "hospitals_present", "value": 3351.0, "unit": "hospitals",
           "denominator": 3371.0, "share": 3351 / 3371, "source": "Griffis et al. 2014", "license": None}
    return pd.DataFrame([row, {**row, "platform": "x", **changes}])


def test_reference_suite_passes_good_figures_and_fails_a_share_above_one():
    from pipelines.quality.gx_suites import validate_frames

    assert validate_frames("reference", [_reference_frame()]).success
    failed = validate_frames("reference", [_reference_frame(share=1.2)])
    assert not failed.success
    assert any("share" in f.label for f in failed.failures()), [f.label for f in failed.failures()]
    assert not validate_frames("reference", [_reference_frame(unit="furlongs")]).success


# ---- the input, end to end ----------------------------------------------------------------------------------------

def test_reference_rows_are_typed_bad_ones_quarantined_by_row_and_column_and_counts_reconcile(tmp_path):
    data = make_inputs(tmp_path / "data")
    _write_reference(data / "reference" / "figures.csv", [
        ["hospitals", "Facebook", "2012", "US", "hospitals_present", "3,351", "hospitals", "3371", "Griffis et al. 2014"],
        ["local_health_departments", "Twitter", "2012", "US", "share_of_departments", "8", "percent", "", "Harris et al. 2013"],
        ["us_adults", "YouTube", "2023", "US", "share_of_adults", "0.83", "fraction", "", "Pew Research Center"],
        ["us_adults", "TikTok", "2023", "US", "share_of_adults", "33", "fraction", "", "Pew Research Center"],  # row 4
        ["physicians", "Doximity", "2015-08", "US", "members", "lots", "people", "", "Doximity"],  # row 5
        ["physicians", "Sermo", "2016", "World", "members", "600000", "people", "", ""],  # row 6: no source
        ["hospitals", "Twitter", "sometime", "US", "share_of_hospitals", "0.5", "fraction", "", "Griffis"],  # row 7
        ["us_adults", "Facebook", "2023", "US", "share_of_adults", "0.68", "fraction", "", "Pew Research Center"],
        ["us_adults", "Instagram", "2023", "US", "share_of_adults", "0.47", "fraction", "", "Pew Research Center"],
    ])
    warehouse, reports = tmp_path / "w.duckdb", tmp_path / "reports"
    assert materialize_all(data, warehouse, reports).success
    core = query(warehouse, "select subject, platform, unit, round(share, 4) from core.reference order by 1, 2")
    assert core == [("hospitals", "facebook", "hospitals", round(3351 / 3371, 4)),
                    ("local_health_departments", "x", "percent", 0.08),
                    ("us_adults", "facebook", "fraction", 0.68), ("us_adults", "instagram", "fraction", 0.47),
                    ("us_adults", "youtube", "fraction", 0.83)]
    rejected = query(warehouse, "select source_file, source_row, column_name, reason from quarantine.rejected_rows "
                                "where kind = 'reference' order by source_row")
    assert [(f, r, c) for f, r, c, _ in rejected] == [
        ("reference/figures.csv", 4, "value"), ("reference/figures.csv", 5, "value"),
        ("reference/figures.csv", 6, "source"), ("reference/figures.csv", 7, "period")]
    assert "fraction above 1" in rejected[0][3] and "'lots' is not a number" in rejected[1][3]
    assert "'SOMETIME'" in rejected[3][3]
    read, loaded, quarantined = query(warehouse, "select sum(rows_read), sum(rows_loaded), sum(rows_quarantined) "
                                                 "from audit.load_reconciliation where kind = 'reference'")[0]
    assert (read, loaded, quarantined) == (9, 5, 4) and read == loaded + quarantined
    # the figures reach the adoption page, each series with its source under the chart
    page = (reports / "adoption.html").read_text(encoding="utf-8")
    assert "Hospitals (US), Facebook: Griffis et al. 2014" in page
    assert "Local health departments (US), X (Twitter): Harris et al. 2013" in page


def test_a_data_folder_without_reference_figures_still_builds_and_says_what_to_add(tmp_path):
    data = make_inputs(tmp_path / "data")
    assert not (data / "reference").exists()
    warehouse, reports = tmp_path / "w.duckdb", tmp_path / "reports"
    assert materialize_all(data, warehouse, reports).success
    health = query(warehouse, "select passed from audit.check_results where asset = 'core/reference' "
                              "and check_name = 'input_health'")
    assert health == [(True,)]
    assert "No reference figures: add reference/*.csv" in (reports / "adoption.html").read_text(encoding="utf-8")


def test_the_sample_ships_the_published_figures_with_their_sources():
    folder = ROOT / "data" / "sample" / "reference"
    assert (folder / "SOURCE.md").is_file()
    with (folder / "healthcare_adoption_figures.csv").open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    subjects = {r["subject"] for r in rows}
    assert {"hospitals", "local_health_departments", "physicians", "us_adults"} <= subjects
    assert all(r["source"].strip() for r in rows)
    griffis = [r for r in rows if r["subject"] == "hospitals" and r["platform"] == "facebook"]
    assert griffis and griffis[0]["value"] == "3351" and griffis[0]["denominator"] == "3371"


def test_the_sample_reference_file_is_what_the_builder_writes(tmp_path):
    from pipelines.sample.reference import FILE_NAME, build_reference
    from pipelines.sample.user_growth import DEFAULT_REFERENCE

    if not DEFAULT_REFERENCE.is_dir():
        pytest.skip(f"reference data not found at {DEFAULT_REFERENCE}")
    build_reference(tmp_path, DEFAULT_REFERENCE)
    shipped = ROOT / "data" / "sample" / "reference" / FILE_NAME
    assert (tmp_path / FILE_NAME).read_bytes() == shipped.read_bytes()
