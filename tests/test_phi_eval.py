"""The patient-information evaluation on real posts: labelled set, committed results, and the risk page's table."""

from __future__ import annotations

import csv
import json
import re
from datetime import datetime, timezone

import pytest

from pipelines.analytics import phi_eval
from pipelines.reporting import site
from pipelines.reporting.pages import risk as risk_page


@pytest.fixture(scope="module")
def labels() -> list[dict[str, str]]:
    return phi_eval.read_labels()


def test_committed_results_equal_a_fresh_run(tmp_path):
    fresh = tmp_path / "phi_results.json"
    phi_eval.write(fresh)
    assert json.loads(phi_eval.RESULTS.read_text(encoding="utf-8")) == json.loads(fresh.read_text(encoding="utf-8"))
    assert phi_eval.RESULTS.read_bytes() == fresh.read_bytes()


def test_labelled_set_shape(labels):
    assert len(labels) >= 500
    assert tuple(labels[0]) == phi_eval.COLUMNS
    assert len({(r["source"], r["post_id"]) for r in labels}) == len(labels)
    assert {r["label"] for r in labels} <= {"0", "1"}
    assert {r["flagged_rev2"] for r in labels} <= {"0", "1"} and {r["flagged_rev3"] for r in labels} <= {"0", "1"}
    assert {r["stratum"] for r in labels} == {"flagged", "targeted", "random"}
    assert sum(r["stratum"] == "random" for r in labels) >= 450
    # every positive, and every post either revision flags, says why
    assert all(r["note"] for r in labels if r["label"] == "1" or r["stratum"] == "flagged")


def test_strata_follow_their_rules(labels):
    flagged = [r for r in labels if r["stratum"] == "flagged"]
    assert all(r["flagged_rev2"] == "1" or r["flagged_rev3"] == "1" or phi_eval.flags(r["text"], phi_eval.org_type(r))
               for r in flagged)
    assert all(phi_eval.TARGETED.search(r["text"]) for r in labels if r["stratum"] == "targeted")
    # the revision-2 and -3 flags are kept for every flagged post: the labelled set holds all of their flags
    assert all(r["flagged_rev2"] == "0" and r["flagged_rev3"] == "0" for r in labels if r["stratum"] != "flagged")
    # revision 4 flags a subset of what revision 3 flagged here (the organization type only takes flags away)
    assert all(r["flagged_rev3"] == "1" for r in labels if phi_eval.flags(r["text"], phi_eval.org_type(r)))


def test_rows_are_assessed_with_their_sources_organization_type(labels):
    types = {(r["source"], phi_eval.org_type(r)) for r in labels}
    assert ("uci", "health_media") in types
    assert {t for s, t in types if s == "rm2023"} <= {"public_health_agency"}


def test_every_post_the_detector_flags_is_labelled_cdc_ihs():
    posts = phi_eval.source_posts(uci=None)
    assert len(posts) == 84
    assert phi_eval.missing(posts) == []


def test_every_post_the_detector_flags_is_labelled_uci():
    if not phi_eval.UCI_POSTS.is_dir():
        pytest.skip(f"UCI posts not found at {phi_eval.UCI_POSTS} (set HCSM_UCI_POSTS; see data/eval/PHI.md)")
    posts = phi_eval.source_posts()
    assert len(posts) == 63_411
    assert phi_eval.missing(posts) == []
    # the random stratum is the seeded sample of these posts
    sample = {(p["source"], p["post_id"]) for p in phi_eval.random_sample(posts)}
    labels = phi_eval.read_labels()
    assert {(r["source"], r["post_id"]) for r in labels if r["stratum"] == "random"} <= sample


def test_scores_and_intervals():
    s = phi_eval.scores([1, 1, 0, 0, 0], [True, False, True, False, False])
    assert (s["flagged"], s["tp"], s["fp"], s["fn"], s["tn"]) == (2, 1, 1, 1, 2)
    assert s["precision"]["estimate"] == 0.5 and 0 < s["precision"]["low"] < 0.5 < s["precision"]["high"] < 1
    none = phi_eval.scores([0, 0], [False, False])
    assert none["precision"]["estimate"] is None and none["recall"]["n"] == 0


def test_results_say_what_was_measured():
    results = json.loads(phi_eval.RESULTS.read_text(encoding="utf-8"))
    cur = results["current"]
    assert results["labelled"] >= 500 and "CC BY 4.0" in results["source"]
    # issue 16: fewer false alarms than each earlier revision, no recall lost on real posts or on the seeded identifiers
    for old in (results["revision_2"], results["revision_3"]):
        assert cur["fp"] <= old["fp"] and cur["fn"] <= old["fn"]
        assert cur["seeded"]["recall"]["k"] >= old["seeded"]["recall"]["k"]
        assert cur["seeded"]["recall"]["n"] == old["seeded"]["recall"]["n"] > 500
    assert cur["fp"] < results["revision_2"]["fp"]
    assert cur["seeded"]["false_alarms"] == 0
    # the sources add up to the whole set
    per_source = results["per_source"].values()
    assert sum(s["labelled"] for s in per_source) == results["labelled"]
    for key in ("current", "revision_3", "revision_2"):
        assert sum(s[key]["tp"] + s[key]["fp"] for s in per_source) == results[key]["flagged"]


def test_risk_page_shows_the_table(tmp_path):
    site.write_site(tmp_path, {}, generated_at=datetime(2024, 5, 1, tzinfo=timezone.utc))
    html = (tmp_path / "risk.html").read_text(encoding="utf-8")
    assert "How well the patient-information flag works on real posts" in html
    results = json.loads(phi_eval.RESULTS.read_text(encoding="utf-8"))
    table = html[html.index("How well the patient-information flag works"):]
    for header in ("Labelled", "Flagged", "TP / FP / FN", "Precision (95% CI)", "Recall (95% CI)",
                   "Seeded recall (95% CI)"):
        assert header in table
    cur = results["current"]
    assert f"Revision {results['revision']} (now)" in table and "Revision 3 (before)" in table
    assert "Revision 2" in table
    assert f"{cur['tp']} / {cur['fp']} / {cur['fn']}" in table
    for source in results["per_source"].values():
        assert f"Revision {results['revision']} (now), {source['name']} only" in table
    assert f"{results['labelled']:,} real posts" in table
    assert "Health News in Twitter" in table and "CC BY 4.0" in table
    assert re.search(r"\d+\.\d% \(\d+\.\d–\d+\.\d%\)", table)


def test_risk_page_without_results_says_so(tmp_path):
    table = risk_page.phi_evaluation(tmp_path / "missing.json")
    assert not table.rows and "phi_eval" in table.empty_note


def test_labelled_csv_is_plain_utf8_csv():
    with phi_eval.LABELS.open(newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    assert all(len(r) == len(phi_eval.COLUMNS) for r in rows)
