"""Issue 3 through the real graph: patient information never leaves the warehouse, flags are counted right, the
trend statistics in the marts match hand-computed values, and a spike raises a non-blocking warning."""

from __future__ import annotations

import csv
from pathlib import Path

import dagster as dg
import pytest

from conftest import ORGS, load_defs, make_inputs, query, write_posts_csv

# One post per kind of patient information; every value is fictional.
SEEDED = {
    "phone": ("Patient in bed 4 asked that her son call back on 555-301-7788 about her discharge.", ["555-301-7788", "301-7788"]),
    "email": ("Test results for our patient's family were sent to jdoe.family77@example.com today.", ["jdoe.family77@example.com", "jdoe.family77"]),
    "record_number": ("Patient MRN 00482913 was moved to the cardiac ward tonight.", ["00482913"]),
    "dob": ("Our patient (DOB 03/14/1962) went home today after a long stay.", ["03/14/1962"]),
    "address": ("Our patient from 1427 Elmhurst Avenue was discharged after hip surgery.", ["1427 Elmhurst", "Elmhurst Avenue"]),
    "name_condition": ("Get well soon Maria Delgado, chemotherapy round 3 is done!", ["Maria Delgado", "Delgado"]),
}
NOT_PATIENT = "Call our appointment line at 555-201-3344 to book your flu shot."
CLAIMS = [
    "This herbal tea cures diabetes, 100% effective and proven!",  # unsourced
    "Miracle supplement reverses arthritis in a week.",  # unsourced
    "Vaccines are proven to cut hospital stays, according to a CDC study: https://www.cdc.gov/flu",  # sourced
]
UNPROFESSIONAL = ["What a damn mess the new parking lot is, idiots everywhere."]


def _risk_rows() -> list[list]:
    texts = [text for text, _ in SEEDED.values()] + [NOT_PATIENT, *CLAIMS, *UNPROFESSIONAL]
    return [
        [f"r-{i}", "Facebook", ORGS[i % len(ORGS)][0], f"2022-0{1 + i % 9}-1{i % 9}T10:00:00Z", text, 3, 1, 0, "", "", "en"]
        for i, text in enumerate(texts)
    ]


def _materialize(data: Path, tmp_path: Path):
    from pipelines.defs.resources import build_resources

    instance = dg.DagsterInstance.ephemeral()
    d = load_defs()
    result = dg.materialize(
        [*d.assets, *d.asset_checks],
        resources=build_resources(str(data), str(tmp_path / "wh" / "w.duckdb"), str(tmp_path / "reports")),
        instance=instance,
    )
    return result, instance


@pytest.fixture(scope="module")
def risky(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("risky")
    data = make_inputs(tmp_path / "data")
    write_posts_csv(data / "posts" / "risky.csv", _risk_rows())
    result, instance = _materialize(data, tmp_path)
    return {"result": result, "instance": instance, "warehouse": tmp_path / "wh" / "w.duckdb",
            "reports": tmp_path / "reports"}


def test_each_kind_of_patient_information_is_counted_once(risky):
    kinds = list(SEEDED)
    row = query(
        risky["warehouse"],
        f"select phi_posts, {', '.join(kinds)}, unsourced_claims, unprofessional_posts from marts.risk_summary "
        "where org_type = 'all' and platform = 'all' and year = 'all'",
    )[0]
    assert row[0] == len(SEEDED)
    assert dict(zip(kinds, row[1:7])) == {k: 1 for k in kinds}
    assert row[7:] == (2, 1)
    # the organization's own appointment line is redacted in text but is not patient information
    flagged = query(risky["warehouse"], "select post_id, phi_kinds from core.posts_enriched where len(phi_kinds) > 0")
    assert sorted(p for p, _ in flagged) == [f"r-{i}" for i in range(len(SEEDED))]
    assert query(risky["warehouse"], "select text_redacted from core.posts_enriched where post_id = $p",
                 {"p": f"r-{len(SEEDED)}"})[0][0] == "Call our appointment line at [PHONE] to book your flu shot."


def test_no_seeded_value_appears_in_any_report_file(risky):
    files = [p for p in risky["reports"].resolve().rglob("*") if p.is_file()]
    assert any(p.name == "risk.html" for p in files)
    leaks = [
        (p.name, value)
        for p in files
        for value in (v for _, values in SEEDED.values() for v in values)
        if value.encode() in p.read_bytes()
    ]
    assert leaks == []
    risk_page = (risky["reports"] / "risk.html").read_text(encoding="utf-8")
    # the flagged posts are there, redacted
    assert "[PHONE]" in risk_page and "[DOB]" in risk_page and "[NAME]" in risk_page


def test_no_seeded_value_reaches_logs_or_asset_metadata(risky):
    values = [v for _, vs in SEEDED.values() for v in vs]
    texts = []
    for entry in risky["instance"].all_logs(risky["result"].run_id):
        texts.append(entry.user_message or "")
        if entry.dagster_event is not None:
            texts.append(repr(entry.dagster_event.event_specific_data))
    blob = "\n".join(texts)
    assert "posts_enriched" in blob  # the log really holds this run's events
    assert [v for v in values if v in blob] == []


def test_alerts_name_the_exposure_and_head_the_index(risky):
    alerts = query(risky["warehouse"], "select metric, org_id, message from marts.alerts")
    # the risky file's posts fall in 2022, not in the last three months of the fixture data (2023)
    assert all(metric != "patient_information" for metric, _, _ in alerts)
    checks = [e for e in risky["result"].get_asset_check_evaluations() if e.check_name == "no_spikes"]
    assert len(checks) == 1 and checks[0].severity == dg.AssetCheckSeverity.WARN


# --- trend statistics against hand-computed values ----------------------------------------------------------

def _orgs(n: int) -> list[list[str]]:
    return [[f"o{i}", f"Org {i}", "hospital", "US", ""] for i in range(n)]


def _stats_inputs(root: Path) -> Path:
    """20 hospitals on Facebook: 4 active in 2019, 16 in 2020 and 16 in 2021; data span whole years."""
    root.mkdir(parents=True)
    with (root / "organizations.csv").open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["org_id", "org_name", "org_type", "country", "region"])
        w.writerows(_orgs(20))
    rows, k = [], 0
    for year, active in ((2019, 4), (2020, 16), (2021, 16)):
        for i in range(active):
            for day in ("01-01T00:00:00Z", "12-31T23:59:59Z"):
                rows.append([f"p{k}", "Facebook", f"o{i}", f"{year}-{day}", f"Update {k} from our hospital.",
                             1, 0, 0, "", "", "en"])
                k += 1
    write_posts_csv(root / "posts" / "fb.csv", rows)
    (root / "user_growth").mkdir()
    with (root / "user_growth" / "fb.csv").open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["platform", "period", "region", "users", "source", "license"])
        for year, users in ((2019, 2.0e9), (2020, 2.5e9), (2021, 3.0e9)):
            w.writerow(["Facebook", str(year), "World", int(users), "test figures", ""])
    return root


@pytest.fixture(scope="module")
def trend_marts(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("trend")
    data = _stats_inputs(tmp_path / "data")
    _materialize(data, tmp_path)
    return tmp_path / "wh" / "w.duckdb"


def test_adoption_shares_carry_hand_computed_wilson_and_newcombe_intervals(trend_marts):
    rows = query(
        trend_marts,
        "select year, orgs_active, orgs_tracked, share_low, share_high, change, change_low, change_high, "
        "change_significant, is_partial, small_sample from marts.org_platform_adoption order by year",
    )
    by_year = {r[0]: r[1:] for r in rows}
    assert [by_year[y][:2] for y in (2019, 2020, 2021)] == [(4, 20), (16, 20), (16, 20)]
    # Wilson 4/20, z = 1.959964: centre (0.2 + z²/40) / (1 + z²/20) = 0.248338,
    # half-width z * sqrt(0.2 * 0.8 / 20 + z² / 1600) / (1 + z²/20) = 0.167680 -> 0.080658 .. 0.416017
    assert by_year[2019][2:4] == pytest.approx((0.080658, 0.416017), abs=2e-6)
    assert by_year[2020][2:4] == pytest.approx((0.583983, 0.919342), abs=2e-6)
    # Newcombe 2019 -> 2020, p1 = 0.2, p2 = 0.8, difference p2 - p1 = 0.6:
    # low  0.6 - sqrt((0.8 - 0.583983)² + (0.416017 - 0.2)²) = 0.6 - 0.305495 = 0.294505
    # high 0.6 + sqrt((0.919342 - 0.8)² + (0.2 - 0.080658)²) = 0.6 + 0.168776 = 0.768776
    assert by_year[2020][4:7] == pytest.approx((0.6, 0.294505, 0.768776), abs=2e-6)
    assert by_year[2020][7] is True
    assert by_year[2021][4] == pytest.approx(0.0) and by_year[2021][7] is False
    assert all(r[8] is False for r in by_year.values())  # the data cover all three years in full
    # 20 organizations tracked is under the 30 the reports ask for, whatever the share
    assert all(by_year[y][9] is True for y in (2019, 2020, 2021))


def test_adoption_index_against_public_growth(trend_marts):
    rows = query(trend_marts, "select year, base_year, adoption_index, users_index from marts.adoption_vs_growth order by year")
    # base 2019: share 0.2 and 2.0 bn users; 2020: 0.8 / 0.2 = 400 and 2.5 / 2.0 = 125
    assert rows == [(2019, 2019, pytest.approx(100.0), pytest.approx(100.0)),
                    (2020, 2019, pytest.approx(400.0), pytest.approx(125.0)),
                    (2021, 2019, pytest.approx(400.0), pytest.approx(150.0))]


def test_posting_growth_is_a_rate_ratio_with_a_log_scale_interval(trend_marts):
    rows = query(trend_marts, "select year, posts, days_covered, growth_pct, growth_low, growth_high, change_significant "
                              "from marts.posting_growth order by year")
    (y19, p19, d19, *_), (y20, p20, d20, g, lo, hi, sig) = rows[0], rows[1]
    assert (y19, y20) == (2019, 2020)
    assert (p19, p20) == (8, 32)
    # 2020 is a leap year; the data end at 2021-12-31 23:59:59, so every year is covered in full
    assert (round(d19, 3), round(d20, 3)) == (365.0, 366.0)
    # ratio = (32/366) / (8/365) = 3.989071; log-scale half-width 1.959964 * sqrt(1/8 + 1/32) = 0.774744
    # -> 3.989071 * exp(∓0.774744) = 1.838251 .. 8.656428, as growth in percent:
    assert (g, lo, hi) == pytest.approx((298.9071, 83.8251, 765.6428), abs=2e-4)
    assert sig is True


def test_a_negative_spike_warns_without_blocking_and_heads_the_index(tmp_path):
    data = make_inputs(tmp_path / "data")
    # only this organization's posts, so 2024-03 is within the last three months of data
    for other in (data / "posts").iterdir():
        other.unlink()
    calm = "Thank you to our wonderful volunteers, great work this month!"
    bad = "Terrible news: the clinic flooded and every appointment is cancelled. We are devastated and sorry."
    rows = [[f"calm-{m}-{i}", "Facebook", "h1", f"2023-{m:02d}-1{i}T09:00:00Z", f"{calm} ({m}.{i})", 5, 1, 1, "", "", "en"]
            for m in range(1, 13) for i in range(3)]
    rows += [[f"bad-{i}", "Facebook", "h1", f"2024-03-0{1 + i % 9}T09:00:00Z", f"{bad} ({i})", 0, 0, 9, "", "", "en"]
             for i in range(10)]
    write_posts_csv(data / "posts" / "spike.csv", rows)
    result, _ = _materialize(data, tmp_path)
    assert result.success  # a warning never fails the run
    checks = [e for e in result.get_asset_check_evaluations() if e.check_name == "no_spikes"]
    assert len(checks) == 1 and not checks[0].passed and checks[0].severity == dg.AssetCheckSeverity.WARN
    alerts = query(tmp_path / "wh" / "w.duckdb", "select metric, org_id, month, posts, flagged from marts.alerts")
    assert ("negative", "h1", "2024-03", 10, 10) in alerts
    index = (tmp_path / "reports" / "index.html").read_text(encoding="utf-8")
    assert "North Valley Hospital (test): 10 of 10 posts negative in 2024-03" in index
    assert index.index("Alerts from this run") < index.index("Executive summary")
