"""Risk page: exposed patient information (counted, never shown), unsourced health claims, unprofessional posts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from pipelines.reporting.pages.risk_charts import rates_by_year
from pipelines.reporting.components import Card, Cards, Column, Marts, Prose, Section, frame, has_rows, make_table
from pipelines.reporting.formatting import (
    MISSING,
    fmt_day,
    fmt_int,
    fmt_org_type,
    fmt_pct_interval,
    fmt_text,
    is_missing,
)

# Written by `python -m pipelines.analytics.phi_eval` from data/eval/phi_real.csv (shipped with the code, so the
# page needs no network and no warehouse table); tests/test_phi_eval.py keeps it equal to a fresh run.
PHI_RESULTS = Path(__file__).resolve().parents[3] / "data" / "eval" / "phi_results.json"

KIND_LABELS = {
    "phone": "Phone numbers",
    "email": "E-mail addresses",
    "record_number": "Medical record, account or member numbers",
    "dob": "Dates of birth",
    "address": "Postal addresses",
    "name_condition": "A person's name with a condition or procedure",
}

RULES = [
    "Patient information: an identifier tied to a patient. Record, account and member numbers, dates of birth and a "
    "person's name next to a condition or procedure always count; a phone number, e-mail or address counts when "
    "patient wording is near it, so an organization's own appointment line does not.",
    "Every detected identifier is replaced by a placeholder such as [PHONE] or [NAME] before any text reaches a "
    "report; posts with patient information are never shown in full.",
    "Names are found only with a cue (Mr./Ms., 'patient', a greeting such as 'get well soon', or a patient verb "
    "such as 'was admitted'): no entity model is available offline, so a bare name next to a condition is missed. "
    "Counts of patient information are therefore a lower bound.",
    "Public figures and people in the news are not counted as patients: names in headlines, in posts with news "
    "wording (Gov., RIP, 'what is it?', 'CDC says') or in a third-person report sharing a link, with no greeting "
    "and no 'we', 'our' or 'my', unless the post tells of the organization's own care ('our patient').",
    "Unsourced health claim: claim wording (cures, proven, miracle, 100% effective...) with no link or citation.",
    "Unprofessional content: profanity and insults.",
]


def per_1000(value: Any, low: Any, high: Any) -> str:
    if is_missing(value):
        return MISSING
    text = f"{float(value):.1f}"
    if not is_missing(low) and not is_missing(high):
        text += f" ({float(low):.1f}–{float(high):.1f})"
    return text


def _rates(df: pd.DataFrame) -> pd.DataFrame:
    df = df.copy()
    for name in ("phi", "unsourced", "unprofessional"):
        df[f"{name}_text"] = [
            per_1000(v, lo, hi)
            for v, lo, hi in zip(df[f"{name}_per_1000"], df[f"{name}_per_1000_low"], df[f"{name}_per_1000_high"])
        ]
    return df


RATE_COLUMNS = [
    Column("posts", "Posts", fmt_int, numeric=True),
    Column("phi_posts", "Patient information", fmt_int, numeric=True),
    Column("phi_text", "Patient info per 1,000 posts (95% CI)", css="nowrap"),
    Column("unsourced_claims", "Unsourced claims", fmt_int, numeric=True),
    Column("unsourced_text", "Claims per 1,000 posts (95% CI)", css="nowrap"),
    Column("unprofessional_posts", "Unprofessional", fmt_int, numeric=True),
    Column("unprofessional_text", "Unprofessional per 1,000 posts (95% CI)", css="nowrap"),
]


def _interval(d: dict | None) -> str:
    if not d or d.get("n", 0) == 0:
        return MISSING
    return fmt_pct_interval(d["estimate"], d["low"], d["high"], 1, label=False)


def phi_evaluation(path: Path = PHI_RESULTS):
    """The patient-information flag on hand-labelled real posts: now, before (revision 3) and at revision 2, overall
    and for each source of the labelled set."""
    try:
        results = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        results = None
    rows, note = [], ""
    if results:
        detectors = [("revision_2", "Revision 2"), ("revision_3", "Revision 3 (before)"),
                     ("current", f"Revision {results['revision']} (now)")]
        detectors = [(key, name) for key, name in detectors if key in results]
        for key, name in detectors:
            s = results[key]
            rows.append({
                "detector": name, "labelled": results["labelled"], "flagged": s["flagged"],
                "counts": f"{s['tp']:,} / {s['fp']:,} / {s['fn']:,}", "precision": _interval(s["precision"]),
                "recall": _interval(s["recall"]), "seeded": _interval(s["seeded"]["recall"]),
            })
        # each source apart (seeded recall belongs to the generator, not to a source)
        for source in results.get("per_source", {}).values():
            for key, name in detectors:
                s = source.get(key)
                if s is None:
                    continue
                rows.append({
                    "detector": f"{name}, {source['name']} only", "labelled": source["labelled"],
                    "flagged": s["flagged"], "counts": f"{s['tp']:,} / {s['fp']:,} / {s['fn']:,}",
                    "precision": _interval(s["precision"]), "recall": _interval(s["recall"]), "seeded": MISSING,
                })
        seeded = results["current"]["seeded"]["recall"]["n"]
        note = (f"{results['labelled']:,} real posts, each labelled by hand against a written rubric "
                f"(data/eval/PHI.md), {results['positives']:,} of them exposing a private person's patient "
                f"information: every post any revision flags, posts with first-person care or family wording, "
                f"and a seeded random sample. Revision 4 is told the posting organization's type: a news account's "
                f"named person is a news subject unless the post tells of its own care, greets the person or holds "
                f"a record number, date of birth or patient contact. Source: {results['source']}. TP / FP / FN: flagged posts that do "
                f"expose patient information, flagged posts that do not, and such posts not flagged. Precision: "
                f"TP of flagged; recall: TP of TP + FN. Seeded recall: of the {seeded:,} identifiers the synthetic "
                f"generator seeds, those found as their own kind. 95% Wilson intervals in brackets. Health-news "
                f"accounts rarely expose patients, so recall on real posts rests on very few posts. Produced by "
                f"`python -m pipelines.analytics.phi_eval`.")
    return make_table(
        "How well the patient-information flag works on real posts",
        pd.DataFrame(rows),
        [
            Column("detector", "Detector"),
            Column("labelled", "Labelled", fmt_int, numeric=True),
            Column("flagged", "Flagged", fmt_int, numeric=True),
            Column("counts", "TP / FP / FN", css="nowrap"),
            Column("precision", "Precision (95% CI)", css="nowrap"),
            Column("recall", "Recall (95% CI)", css="nowrap"),
            Column("seeded", "Seeded recall (95% CI)", css="nowrap"),
        ],
        note=note,
        empty_note="No data: the evaluation results are missing; run `python -m pipelines.analytics.phi_eval`.",
    )


def build(marts: Marts) -> dict[str, Any]:
    summary = frame(marts, "risk_summary")
    examples = frame(marts, "risk_examples")
    cards, by_kind, by_type, by_platform, by_year = [], pd.DataFrame(), pd.DataFrame(), pd.DataFrame(), pd.DataFrame()
    if has_rows(summary, "org_type", "platform", "year", "phi_posts"):
        summary = _rates(summary)
        rollup = (summary["platform"] == "all") & (summary["year"] == "all")
        total = summary[rollup & (summary["org_type"] == "all")]
        by_type = summary[rollup & (summary["org_type"] != "all")].sort_values("phi_per_1000", ascending=False, kind="stable")
        by_platform = summary[(summary["org_type"] == "all") & (summary["year"] == "all") & (summary["platform"] != "all")]
        by_year = summary[(summary["org_type"] == "all") & (summary["platform"] == "all") & (summary["year"] != "all")]
        if not total.empty:
            row = total.iloc[0]
            cards = [
                Card("Posts exposing patient information", fmt_int(row["phi_posts"]), f"{row['phi_text']} per 1,000 posts (95% CI in brackets)"),
                Card("Unsourced health claims", fmt_int(row["unsourced_claims"]), f"{row['unsourced_text']} per 1,000 posts (95% CI in brackets)"),
                Card("Unprofessional posts", fmt_int(row["unprofessional_posts"]), f"{row['unprofessional_text']} per 1,000 posts (95% CI in brackets)"),
            ]
            by_kind = pd.DataFrame(
                [{"kind": KIND_LABELS[k], "posts": row[k]} for k in KIND_LABELS if k in row.index]
            )
    example_table = make_table(
        "Most recent flagged posts (redacted)",
        examples,
        [
            Column("posted_at", "Posted", fmt_day, css="nowrap"),
            Column("org_name", "Organization"),
            Column("platform_name", "Platform"),
            Column("flags", "Flags"),
            Column("reasons", "Why"),
            Column("text_shown", "Post text, redacted", css="wide"),
        ],
        note="Identifiers are replaced by placeholders such as [PHONE], [DOB] or [NAME]; the warehouse keeps the "
             "original post for the organization's own follow-up.",
        empty_note="No post was flagged.",
    )
    return {"sections": [
        Section("Flags in all posts", [Cards(cards, "No data.")]),
        Section("Patient information by kind", [make_table(
            "Posts with each kind of patient information", by_kind,
            [Column("kind", "Kind"), Column("posts", "Posts", fmt_int, numeric=True)],
            note="A post can expose several kinds.",
        )]),
        Section("By organization type, platform and year", [
            rates_by_year(by_year),
            make_table("By organization type", by_type, [Column("org_type", "Organization type", fmt_org_type), *RATE_COLUMNS]),
            make_table("By platform", by_platform, [Column("platform_name", "Platform"), *RATE_COLUMNS]),
            make_table("By year", by_year.sort_values("year", ascending=False, kind="stable") if not by_year.empty else by_year,
                       [Column("year", "Year", fmt_text), *RATE_COLUMNS]),
        ], intro="Rates per 1,000 posts with 95% Wilson intervals."),
        Section("Examples", [example_table]),
        Section("How posts are flagged", [Prose(RULES, bullets=True)]),
        Section("How well the flag works", [phi_evaluation()]),
    ]}
