"""Coverage-aware periods: an organization counts in a year's share only when its data cover that year in full."""

from __future__ import annotations

import csv
import shutil
from datetime import datetime, timedelta

import pandas as pd

from conftest import ROOT, materialize_all, query, write_posts_csv


def _posts(org: str, platform: str, start: datetime, end: datetime, every_days: int) -> list[list]:
    rows, when, k = [], start, 0
    while when <= end:
        rows.append([f"{org}-{platform}-{k}", platform, org, when.isoformat() + "Z",
                     "Flu shots are available at every clinic this week", 3, 1, 0, "", "", "en"])
        when += timedelta(days=every_days)
        k += 1
    return rows


def _organizations(root, rows: list[list[str]]) -> None:
    with (root / "organizations.csv").open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["org_id", "org_name", "org_type"])
        writer.writerows(rows)


def _export_that_stops(root):
    """Like the real export of issue 16: one account's tweets run 2011-2015, the other's only through 2020."""
    root.mkdir(parents=True)
    _organizations(root, [["news", "Health News Desk", "health_media"], ["dept", "County Health Department",
                                                                         "public_health_agency"]])
    rows = _posts("news", "x", datetime(2011, 1, 1, 9), datetime(2015, 6, 30), 3)
    rows += _posts("dept", "x", datetime(2020, 1, 1, 9), datetime(2020, 12, 31, 12), 4)
    rows += _posts("dept", "facebook", datetime(2020, 1, 2, 9), datetime(2020, 12, 31, 12), 7)
    write_posts_csv(root / "posts" / "export.csv", rows)
    shutil.copytree(ROOT / "data" / "sample" / "user_growth", root / "user_growth")
    return root


def test_a_year_outside_every_export_has_no_share_and_the_summary_names_the_windows(tmp_path):
    data = _export_that_stops(tmp_path / "data")
    warehouse, reports = tmp_path / "w.duckdb", tmp_path / "reports"
    assert materialize_all(data, warehouse, reports).success
    coverage = dict(((org, year), covered) for org, year, covered in
                    query(warehouse, "select org_id, year, covered from marts.org_coverage"))
    assert coverage[("news", 2014)] and not coverage[("news", 2016)] and not coverage[("news", 2020)]
    assert coverage[("dept", 2020)] and not coverage[("dept", 2014)]
    adoption = {(platform, year): (active, tracked, not_covered, partial) for platform, year, active, tracked,
                not_covered, partial in query(
                    warehouse, "select platform, year, orgs_active, orgs_tracked, orgs_not_covered, is_partial "
                               "from marts.org_platform_adoption")}
    # 2017: neither export reaches it, so there is no share (not "0 of 2 posted")
    assert adoption[("x", 2017)] == (0, 0, 2, True)
    # 2014: the news desk covers it and posted; the department is not covered, not inactive
    assert adoption[("x", 2014)] == (1, 1, 1, False)
    assert adoption[("facebook", 2014)] == (0, 1, 1, False)
    assert adoption[("x", 2020)] == (1, 1, 1, False)
    # the benchmark's last 365 days are the department's: the news desk's export stopped, so it is no peer
    bench = {org: (covered, sov) for org, covered, sov in query(
        warehouse, "select org_id, window_covered, share_of_voice from marts.org_benchmark")}
    assert bench["news"] == (False, None) and bench["dept"][0] is True and bench["dept"][1] == 1.0
    index = (reports / "index.html").read_text(encoding="utf-8")
    assert "the last year the data cover in full for 1 of 2 tracked organizations" in index
    assert "The organizations&#39; data cover different windows" in index
    assert "0 of 2 tracked organizations posted" not in index and "of 2 covered organizations" not in index


def test_summary_sentences_say_one_platform_and_one_window():
    from pipelines.reporting.summary import coverage, scope

    head = pd.DataFrame([{"posts": 1, "organizations": 1, "platforms": 1, "first_post": pd.Timestamp("2020-01-05"),
                          "last_post": pd.Timestamp("2020-12-30")}])
    assert scope({"headline": head}) == ("This report covers 1 post by 1 healthcare organization on 1 platform, "
                                         "from 2020-01 to 2020-12.")
    same = pd.DataFrame([
        {"org_id": "a", "covered_from": pd.Timestamp("2016-01-05"), "covered_to": pd.Timestamp("2025-12-31"), "posts": 9},
        {"org_id": "b", "covered_from": pd.Timestamp("2016-01-20"), "covered_to": pd.Timestamp("2025-12-20"), "posts": 4},
        {"org_id": "c", "covered_from": pd.Timestamp("2016-01-05"), "covered_to": pd.Timestamp("2025-12-31"), "posts": 0},
    ])
    text = coverage({"org_coverage": same})
    assert text.startswith("Every organization's data cover the same window, 2016-01 to 2025-12.")
    assert "1 tracked organization has no post in the data and counts as inactive" in text
    differ = same.assign(covered_to=[pd.Timestamp("2025-12-31"), pd.Timestamp("2015-04-30"), pd.Timestamp("2025-12-31")])
    text = coverage({"org_coverage": differ})
    assert "end between 2015-04 and 2025-12 (1 organization stops before 2025-12)" in text


def test_a_year_inside_a_long_silence_is_not_covered_but_a_year_with_posts_is(tmp_path):
    root = tmp_path / "data"
    root.mkdir()
    _organizations(root, [["clinic", "Lakeside Clinic", "clinic"], ["steady", "Steady Hospital", "hospital"]])
    # the clinic posts through mid-2012, says nothing for three and a half years, and resumes in 2016
    rows = _posts("clinic", "x", datetime(2011, 1, 1, 9), datetime(2012, 6, 30), 5)
    rows += [[f"again-{row[0]}", *row[1:]] for row in _posts("clinic", "x", datetime(2016, 3, 1, 9), datetime(2017, 12, 31), 5)]
    rows += _posts("steady", "x", datetime(2011, 1, 1, 9), datetime(2017, 12, 31, 12), 1)
    write_posts_csv(root / "posts" / "export.csv", rows)
    shutil.copytree(ROOT / "data" / "sample" / "user_growth", root / "user_growth")
    warehouse, reports = tmp_path / "w.duckdb", tmp_path / "reports"
    assert materialize_all(root, warehouse, reports).success
    covered = {year: flag for year, flag in query(
        warehouse, "select year, covered from marts.org_coverage where org_id = 'clinic'")}
    assert covered == {2011: True, 2012: True, 2013: False, 2014: False, 2015: False, 2016: True, 2017: True}
    adoption = {year: (active, tracked) for year, active, tracked in query(
        warehouse, "select year, orgs_active, orgs_tracked from marts.org_platform_adoption where platform = 'x'")}
    # 2014 counts only the hospital: the clinic's silence is not read as "did not post"
    assert adoption[2014] == (1, 1) and adoption[2012] == (2, 2) and adoption[2016] == (2, 2)


def test_one_platform_and_rare_rates_read_as_plain_sentences():
    from pipelines.reporting.summary import adoption_change, patient_information, versus_public

    adoption = pd.DataFrame([{"platform_name": "X (Twitter)", "year": 2014, "change": 0.0, "change_low": -0.39,
                              "change_high": 0.43, "change_significant": False, "is_partial": False}])
    assert adoption_change({"org_platform_adoption": adoption}) == (
        "Adoption of X (Twitter) did not change significantly from 2013 to 2014: +0 points (95% CI -39 to +43).")
    growth = pd.DataFrame([{"platform_name": "X (Twitter)", "year": 2014, "base_year": 2012, "adoption_index": 100.0,
                            "adoption_index_low": 61.0, "adoption_index_high": 100.0, "users_index": 140.0}])
    text = versus_public({"adoption_vs_growth": growth})
    assert text.startswith("Organizations' adoption is behind the platform's public growth: on X (Twitter)")
    assert "ahead on 0" not in text
    # every covered organization was on the platform in the base year: not "behind", it cannot grow
    full = pd.concat([growth.assign(year=2012, adoption_index=100.0, users_index=100.0), growth]).assign(share_active=1.0)
    assert versus_public({"adoption_vs_growth": full}) == (
        "Every covered organization already posted on X (Twitter) in 2012, the base year, so adoption there cannot "
        "outgrow the platform's users (worldwide users index 140 in 2014, 2012 = 100).")
    risk = pd.DataFrame([{"org_type": "all", "platform": "all", "year": "all", "phi_posts": 3, "phi_per_1000": 0.0474,
                          "phi_per_1000_low": 0.0161, "phi_per_1000_high": 0.139}])
    head = pd.DataFrame([{"patient_information_orgs": 1}])
    assert patient_information({"risk_summary": risk, "headline": head}) == (
        "3 posts from 1 organization exposed patient information, 0.05 per 1,000 posts (95% CI 0.02–0.14); the "
        "reports show them only redacted.")


def test_posting_growth_compares_the_same_organizations_so_an_export_that_stops_is_not_a_fall(tmp_path):
    root = tmp_path / "data"
    root.mkdir()
    _organizations(root, [["a", "Alder Hospital", "hospital"], ["b", "Birch Clinic", "clinic"]])
    rows = _posts("a", "x", datetime(2011, 1, 1, 9), datetime(2014, 12, 31, 12), 2)
    rows += _posts("b", "x", datetime(2011, 1, 1, 10), datetime(2012, 12, 31, 12), 2)  # b's export stops in 2012
    write_posts_csv(root / "posts" / "export.csv", rows)
    shutil.copytree(ROOT / "data" / "sample" / "user_growth", root / "user_growth")
    warehouse, reports = tmp_path / "w.duckdb", tmp_path / "reports"
    assert materialize_all(root, warehouse, reports).success
    growth = {year: (posts, same_orgs, growth, sig) for year, posts, same_orgs, growth, sig in query(
        warehouse, "select year, posts, same_orgs, growth_pct, change_significant from marts.posting_growth")}
    # all posts halve in 2013, but the one organization covered in 2012 and 2013 posted as often as before
    assert growth[2013][0] < 0.6 * growth[2012][0]
    assert growth[2013][1] == 1 and abs(growth[2013][2]) < 2 and growth[2013][3] is False
    assert growth[2012][1] == 2 and abs(growth[2012][2]) < 2
