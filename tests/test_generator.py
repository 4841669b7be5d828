"""The synthetic data generator and the committed sample: determinism, contract, realism, no drift."""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipelines.sample.__main__ import SAMPLE_ARGS, SAMPLE_DIR, build_sample
from pipelines.sample.generate import (
    MIN_TEMPLATE_CAPACITY,
    ORG_TYPES,
    PLATFORMS,
    POST_COLUMNS,
    RISKS,
    THEMES,
    compile_templates,
    generate,
    labelled_posts,
)
from pipelines.sample.native import add_accounts, write_native
from pipelines.sample.texts import RISK_KINDS
from pipelines.sample.user_growth import DEFAULT_REFERENCE, build_user_growth

COUNTS = ("likes", "shares", "comments", "views")
FIRST, AFTER_LAST = datetime(2016, 1, 1, tzinfo=timezone.utc), datetime(2026, 1, 1, tzinfo=timezone.utc)
CANONICAL = {"twitter/x": "twitter", "x": "twitter"}
POSTED_AT = {
    "z": re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$"),
    "offset": re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$"),
    "naive": re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$"),
}


def read_posts(folder: Path) -> list[dict]:
    """Every post of every contract part (posts/native/ holds the platform layouts, not generated parts), parsed
    with the standard library (CSV, JSON) or pyarrow (Parquet)."""
    rows = []
    for path in sorted(p for p in (folder / "posts").iterdir() if p.is_file()):
        if path.suffix == ".csv":
            with path.open(newline="", encoding="utf-8") as f:
                reader = csv.DictReader(f)
                assert tuple(reader.fieldnames) == POST_COLUMNS, path
                for r in reader:
                    rows.append({k: (int(v) if v else None) if k in COUNTS else v for k, v in r.items()})
        elif path.suffix == ".jsonl":
            for line in path.read_text(encoding="utf-8").splitlines():
                r = json.loads(line)
                assert tuple(r) == POST_COLUMNS, path
                rows.append(r)
        else:
            table = pq.read_table(path)
            assert table.schema.names == list(POST_COLUMNS), path
            for name in POST_COLUMNS:
                assert table.schema.field(name).type == (pa.int64() if name in COUNTS else pa.string()), name
            rows.extend(table.to_pylist())
    return rows


def utc(posted_at: str) -> datetime:
    parsed = datetime.fromisoformat(posted_at)
    return parsed.replace(tzinfo=timezone.utc) if parsed.tzinfo is None else parsed.astimezone(timezone.utc)


def folder_bytes(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def mixed(tmp_path_factory) -> Path:
    """A small run in all three formats, several parts."""
    out = tmp_path_factory.mktemp("mixed")
    generate(out, posts=6_000, orgs=40, seed=11, formats=("csv", "jsonl", "parquet"), rows_per_file=1_500)
    return out


@pytest.fixture(scope="module")
def sample_posts() -> list[dict]:
    return read_posts(SAMPLE_DIR)


def test_same_arguments_same_bytes_and_seed_matters(tmp_path, mixed):
    again = tmp_path / "again"
    generate(again, posts=6_000, orgs=40, seed=11, formats=("csv", "jsonl", "parquet"), rows_per_file=1_500)
    assert folder_bytes(again) == folder_bytes(mixed)
    other = tmp_path / "other"
    generate(other, posts=6_000, orgs=40, seed=12, formats=("csv", "jsonl", "parquet"), rows_per_file=1_500)
    theirs, ours = folder_bytes(other), folder_bytes(mixed)
    assert theirs.keys() == ours.keys()
    assert all(theirs[name] != ours[name] for name in ours)


def test_parts_rotate_formats_and_split_rows(mixed):
    names = sorted(p.name for p in (mixed / "posts").iterdir())
    assert names == ["part-00000.csv", "part-00001.jsonl", "part-00002.parquet", "part-00003.csv"]
    assert len(read_posts(mixed)) == 6_000


def test_content_does_not_depend_on_rows_per_file(tmp_path, mixed):
    one = tmp_path / "one"
    generate(one, posts=6_000, orgs=40, seed=11, formats=("csv",), rows_per_file=10_000)
    assert [p.name for p in (one / "posts").iterdir()] == ["part-00000.csv"]
    assert read_posts(one) == read_posts(mixed)


def test_rerun_removes_stale_parts(tmp_path):
    generate(tmp_path, posts=900, orgs=12, seed=1, rows_per_file=100)
    generate(tmp_path, posts=300, orgs=12, seed=1, rows_per_file=100, formats=("parquet",))
    assert sorted(p.name for p in (tmp_path / "posts").iterdir()) == [f"part-0000{i}.parquet" for i in range(3)]


def test_contract_values(mixed):
    rows = read_posts(mixed)
    forms = Counter()
    for r in rows:
        assert all(isinstance(r[c], int) and r[c] >= 0 for c in COUNTS if c != "views" or r[c] is not None)
        assert r["lang"] in ("en", "es") and r["org_id"].startswith("org-") and r["text"]
        forms.update(k for k, rx in POSTED_AT.items() if rx.match(r["posted_at"]))
        assert FIRST <= utc(r["posted_at"]) < AFTER_LAST
    assert sum(forms.values()) == len(rows) and all(forms[k] > 0 for k in POSTED_AT)
    with (mixed / "organizations.csv").open(newline="", encoding="utf-8") as f:
        orgs = list(csv.DictReader(f))
    assert list(orgs[0]) == ["org_id", "org_name", "org_type", "country", "region"]
    assert {r["org_id"] for r in rows} <= {o["org_id"] for o in orgs}


def test_ids_and_texts_unique_and_capacity_covers_ten_million(tmp_path):
    generate(tmp_path, posts=120_000, orgs=30, seed=5, rows_per_file=120_000)
    rows = read_posts(tmp_path)
    assert len({r["post_id"] for r in rows}) == len(rows)
    assert len({r["text"] for r in rows}) == len(rows)
    templates, _ = compile_templates()
    assert min(t.capacity for t in templates) >= MIN_TEMPLATE_CAPACITY >= 10_000_000


def test_every_org_type_and_platform_in_the_sample(sample_posts):
    with (SAMPLE_DIR / "organizations.csv").open(newline="", encoding="utf-8") as f:
        orgs = {o["org_id"]: o for o in csv.DictReader(f)}
    assert len(orgs) == SAMPLE_ARGS["orgs"] and len(sample_posts) == SAMPLE_ARGS["posts"]
    assert {orgs[r["org_id"]]["org_type"] for r in sample_posts} == set(ORG_TYPES)
    assert {CANONICAL.get(r["platform"].lower(), r["platform"].lower()) for r in sample_posts} == set(PLATFORMS)
    assert {r["platform"] for r in sample_posts} >= {"facebook", "LinkedIn", "Youtube", "Twitter", "X"}
    assert {r["lang"] for r in sample_posts} == {"en", "es"}
    assert Counter(r["lang"] for r in sample_posts)["en"] > 0.8 * len(sample_posts)


def test_platform_history(sample_posts):
    rename = datetime(2023, 8, 1, tzinfo=timezone.utc)
    for r in sample_posts:
        name, when = r["platform"].lower(), utc(r["posted_at"])
        if name == "twitter":
            assert when < rename
        if name in ("x", "twitter/x"):
            assert when >= rename
        if name == "tiktok":
            assert when.year >= 2019
        if name == "threads":
            assert (when.year, when.month) >= (2023, 7)
        if name in ("facebook", "linkedin", "threads"):
            assert r["views"] is None
        if name in ("youtube", "tiktok"):
            assert r["views"] is not None


def test_seasonality_weekends_and_growth(mixed):
    rows = read_posts(mixed)
    local_dates = [datetime.fromisoformat(r["posted_at"]) for r in rows]
    flu = Counter(d.month for r, d in zip(rows, local_dates) if "flu" in r["text"].lower())
    assert flu[12] + flu[1] + flu[2] > 3 * (flu[6] + flu[7] + flu[8])
    weekday = Counter(d.weekday() for d in local_dates)
    assert weekday[5] + weekday[6] < 0.6 * (weekday[0] + weekday[1])
    years = Counter(utc(r["posted_at"]).year for r in rows)
    assert years[2024] > 1.5 * years[2016]


def test_engagement_is_heavy_tailed(mixed):
    likes = sorted(r["likes"] for r in read_posts(mixed))
    median, top = likes[len(likes) // 2], likes[int(len(likes) * 0.999)]
    assert top > 30 * max(median, 1)


def test_sentiment_traps_and_negative_posts_present(sample_posts):
    texts = [r["text"] for r in sample_posts]
    for phrase in ("tested positive", "negative results", "cancer center", "Positive cases", "tested negative"):
        assert any(phrase in t for t in texts), phrase
    negative = sum(bool(re.search(r"closed|saddened|apologize|are down since|Sad news", t)) for t in texts)
    assert 0.02 * len(texts) < negative < 0.3 * len(texts)


# Identifiers of the kinds the risk posts carry; each may appear only in posts labelled with a kind that allows it.
IDENTIFIERS = {
    "phone": re.compile(r"(?:\(\d{3}\) )?\b\d{3}-\d{4}\b"),
    "email": re.compile(r"[\w.+-]+@[\w-]+\.\w+"),
    "record": re.compile(r"\bMRN\b|\bexpediente\b", re.I),
    "dob": re.compile(r"\bDOB\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b"),
    "address": re.compile(r"\b\d+ [A-Z][a-z]+(?: [A-Z][a-z]+)? (?:Street|Rd|Avenue|Lane|Drive|Ct)\b"),
    "ssn": re.compile(r"\b\d{3}-\d{2}-\d{4}\b"),
}
ALLOWED = {
    "phone": {"phi_phone", "org_contact"},
    "email": {"phi_email", "org_contact"},
    "record": {"phi_record"},
    "dob": {"phi_dob"},
    "address": {"phi_address"},
    "ssn": set(),
}


@pytest.fixture(scope="module")
def labelled_50k() -> list[dict]:
    return [r for block in labelled_posts(50_000, orgs=40, seed=7) for r in block.to_pylist()]


def test_labelled_posts_are_the_generated_posts(mixed):
    rows = [r for block in labelled_posts(6_000, orgs=40, seed=11) for r in block.to_pylist()]
    assert [{k: r[k] for k in POST_COLUMNS} for r in rows] == read_posts(mixed)
    assert {r["true_theme"] for r in rows} == set(THEMES) and {r["true_mood"] for r in rows} == {"pos", "neu", "neg"}
    assert {r["true_risk"] for r in rows} <= set(RISKS) and "none" in {r["true_risk"] for r in rows}


def test_identifiers_only_in_risk_posts_and_all_fictional(labelled_50k):
    seen = Counter()
    for r in labelled_50k:
        for kind, rx in IDENTIFIERS.items():
            if rx.search(r["text"]):
                assert r["true_risk"] in ALLOWED[kind], (kind, r["text"])
                seen[kind] += 1
        for phone in re.findall(r"\b\d{3}-\d{4}\b", r["text"]):
            assert re.fullmatch(r"555-01\d\d", phone), r["text"]  # the range reserved for fiction
        for email in IDENTIFIERS["email"].findall(r["text"]):
            assert email.rsplit("@", 1)[1] in ("example.com", "example.net", "example.org"), r["text"]
        assert all(u.startswith("https://example.org/") for u in re.findall(r"https?://\S+", r["text"]))
    assert all(seen[kind] > 0 for kind in ("phone", "email", "record", "dob", "address"))
    with (SAMPLE_DIR / "organizations.csv").open(newline="", encoding="utf-8") as f:
        assert all(o["org_name"].endswith("(synthetic)") for o in csv.DictReader(f))


def test_risk_rates_at_50k_posts(labelled_50k):
    kinds = Counter(r["true_risk"] for r in labelled_50k)
    n = len(labelled_50k)
    phi = sum(v for k, v in kinds.items() if k.startswith("phi_"))
    assert 0.002 * n <= phi <= 0.0045 * n, phi
    assert all(kinds[k] >= 0.0002 * n for k in RISK_KINDS if k.startswith("phi_")), kinds
    assert 0.004 * n <= kinds["unsourced_claim"] <= 0.007 * n, kinds
    assert 0.002 * n <= kinds["sourced_claim"] <= 0.0045 * n, kinds
    assert 0.0015 * n <= kinds["unprofessional"] <= 0.004 * n, kinds
    assert 0.006 * n <= kinds["org_contact"] <= 0.02 * n, kinds


def test_claims_sourced_only_when_labelled_so(labelled_50k):
    link = re.compile(r"https?://")
    for r in labelled_50k:
        if r["true_risk"] == "unsourced_claim":
            assert not link.search(r["text"]) and "according to" not in r["text"].lower(), r["text"]
        if r["true_risk"] == "sourced_claim":
            assert link.search(r["text"]) and re.search(r"according to|según", r["text"], re.I), r["text"]


def test_risk_concentrates_in_a_recent_burst(labelled_50k):
    def risky(r):
        return r["true_risk"] not in ("none", "org_contact", "sourced_claim")
    by_org = Counter(r["org_id"] for r in labelled_50k if risky(r))
    assert sum(v for _, v in by_org.most_common(4)) > 0.3 * sum(by_org.values())  # 10% of orgs, 30%+ of risk
    months = Counter((r["org_id"], utc(r["posted_at"]).strftime("%Y-%m")) for r in labelled_50k)
    flagged = Counter((r["org_id"], utc(r["posted_at"]).strftime("%Y-%m")) for r in labelled_50k if risky(r))
    (org, month), top = flagged.most_common(1)[0]
    assert month == "2025-11" and top >= 0.3 * months[(org, month)]  # the month before the last one


def test_committed_sample_has_risk_posts_and_an_alertable_burst():
    rows = [r for block in labelled_posts(SAMPLE_ARGS["posts"], SAMPLE_ARGS["orgs"], SAMPLE_ARGS["seed"],
                                          SAMPLE_ARGS["start"], SAMPLE_ARGS["end"]) for r in block.to_pylist()]
    kinds = Counter(r["true_risk"] for r in rows)
    assert sum(v for k, v in kinds.items() if k.startswith("phi_")) >= 5
    assert kinds["unsourced_claim"] >= 10 and kinds["sourced_claim"] >= 3 and kinds["unprofessional"] >= 3
    flagged = ("unprofessional", "unsourced_claim", *(k for k in RISK_KINDS if k.startswith("phi_")))
    last_quarter = Counter(r["org_id"] for r in rows if r["posted_at"][:7] >= "2025-10" and r["true_risk"] in flagged)
    assert last_quarter.most_common(1)[0][1] >= 5  # enough for the alerts mart's spike test (at least 5 flagged)


def test_committed_posts_and_orgs_equal_a_fresh_generation(tmp_path):
    generate(tmp_path, **SAMPLE_ARGS)
    write_native(tmp_path / "posts")
    add_accounts(tmp_path / "organizations.csv")
    committed = folder_bytes(SAMPLE_DIR)
    assert {k: v for k, v in committed.items() if k.startswith("posts/") or k == "organizations.csv"} \
        == folder_bytes(tmp_path)
    assert sum(len(v) for v in committed.values()) < 2 * 1024 * 1024


def test_committed_sample_equals_a_fresh_build(tmp_path):
    if not DEFAULT_REFERENCE.is_dir():
        pytest.skip(f"reference data not found at {DEFAULT_REFERENCE}")
    build_sample(tmp_path, DEFAULT_REFERENCE)
    # the two hand-written notes are kept as they are; every data file must be what the builders write
    hand_written = {"SYNTHETIC.md", "reference/SOURCE.md"}
    assert {k: v for k, v in folder_bytes(SAMPLE_DIR).items() if k not in hand_written} == folder_bytes(tmp_path)


def test_user_growth_rows_cite_their_source(tmp_path):
    if not DEFAULT_REFERENCE.is_dir():
        pytest.skip(f"reference data not found at {DEFAULT_REFERENCE}")
    written = build_user_growth(tmp_path, DEFAULT_REFERENCE)
    assert written == {"owid_users_by_platform.csv": 142, "world_total_users.csv": 2}
    with (tmp_path / "world_total_users.csv").open(newline="", encoding="utf-8") as f:
        totals = list(csv.DictReader(f))
    assert [(r["platform"], r["period"], int(r["users"])) for r in totals] == [
        ("all", "2017", 2_420_000_000), ("all", "2018", 2_620_000_000)]
    with (tmp_path / "owid_users_by_platform.csv").open(newline="", encoding="utf-8") as f:
        owid = list(csv.DictReader(f))
    assert {r["license"] for r in owid} == {"CC BY 4.0"} and {r["region"] for r in owid} == {"World"}
    assert ("Whatsapp", "2017") in {(r["platform"], r["period"]) for r in owid}  # spelled as the source spells it


# The default shape's bytes for these arguments, computed before the social shape was added (commit 29c580a): the
# benchmark results and the committed sample depend on the default shape staying byte for byte what it was.
DEFAULT_SHAPE_SHA256 = "9861f6b60c5bdacb48847f987be59f067af17f9126cd7c485ac8a940d27c866a"


def folder_sha256(folder: Path) -> str:
    import hashlib
    digest = hashlib.sha256()
    for name, data in folder_bytes(folder).items():
        digest.update(name.encode() + b"\0" + data)
    return digest.hexdigest()


def test_default_shape_is_byte_for_byte_unchanged(tmp_path):
    # two blocks of 50,000 rows, three parts, CSV and JSON lines (Parquet's bytes carry the pyarrow version)
    generate(tmp_path, posts=60_000, orgs=60, seed=3, formats=("csv", "jsonl"), rows_per_file=20_000)
    assert folder_sha256(tmp_path) == DEFAULT_SHAPE_SHA256
    generate(tmp_path / "again", posts=60_000, orgs=60, seed=3, formats=("csv", "jsonl"), rows_per_file=20_000,
             shape="default")
    assert folder_sha256(tmp_path / "again") == DEFAULT_SHAPE_SHA256


EMOJI = re.compile("[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\u2139\u2190-\u21FF]")
LINK = re.compile(r"https://\S+")


@pytest.fixture(scope="module")
def social_and_default() -> tuple[list[dict], list[dict]]:
    social = [r for b in labelled_posts(60_000, orgs=40, seed=7, shape="social") for r in b.to_pylist()]
    default = [r for b in labelled_posts(60_000, orgs=40, seed=7) for r in b.to_pylist()]
    return social, default


def test_social_shape_replies_longer_texts_more_emoji_and_links(social_and_default):
    social, default = social_and_default
    n = len(social)
    replies = [r for r in social if r["in_reply_to"] is not None]
    assert abs(len(replies) / n - 0.30) < 0.01, len(replies) / n  # 30% +- 1 point (about 5 standard errors)
    # a reply opens with the handle answered and names a numeric post id; other posts never open with "@"
    assert all(re.match(r"@\w+ ", r["text"]) and r["in_reply_to"].isdigit() for r in replies)
    assert not any(r["text"].startswith("@") for r in social if r["in_reply_to"] is None)

    def mean(rows, f):
        return sum(f(r) for r in rows) / len(rows)
    assert mean(social, lambda r: len(r["text"])) > 1.4 * mean(default, lambda r: len(r["text"]))
    assert mean(social, lambda r: bool(EMOJI.search(r["text"]))) > 2 * mean(default, lambda r: bool(EMOJI.search(r["text"])))
    assert mean(social, lambda r: len(EMOJI.findall(r["text"]))) > 3 * mean(default, lambda r: len(EMOJI.findall(r["text"])))
    assert mean(social, lambda r: len(LINK.findall(r["text"]))) > 1.8 * mean(default, lambda r: len(LINK.findall(r["text"])))
    # the same posts otherwise: ids, platforms, organizations, times, counts and ground truth
    keep = [c for c in POST_COLUMNS if c != "text"] + ["true_theme", "true_mood", "true_risk"]
    assert [{c: r[c] for c in keep} for r in social] == [{c: r[c] for c in keep} for r in default]


def test_social_shape_unique_texts_every_platform_and_org_type_and_claims_unsourced(social_and_default):
    social, _ = social_and_default
    assert len({r["text"] for r in social}) == len(social)
    assert {CANONICAL.get(r["platform"].lower(), r["platform"].lower()) for r in social} == set(PLATFORMS)
    for r in social:
        if r["true_risk"] == "unsourced_claim":
            assert not LINK.search(r["text"]), r["text"]


def test_social_shape_written_in_parts_seeded_with_the_reply_column(tmp_path):
    generate(tmp_path / "a", posts=3_000, orgs=20, seed=4, formats=("csv", "jsonl", "parquet"), rows_per_file=1_000,
             shape="social")
    generate(tmp_path / "b", posts=3_000, orgs=20, seed=4, formats=("csv", "jsonl", "parquet"), rows_per_file=1_000,
             shape="social")
    assert folder_bytes(tmp_path / "a") == folder_bytes(tmp_path / "b")
    names = sorted(p.name for p in (tmp_path / "a" / "posts").iterdir())
    assert names == ["part-00000.csv", "part-00001.jsonl", "part-00002.parquet"]
    with (tmp_path / "a" / "posts" / "part-00000.csv").open(newline="", encoding="utf-8") as f:
        header = next(csv.reader(f))
    assert header == [*POST_COLUMNS, "in_reply_to"]
    first = json.loads((tmp_path / "a" / "posts" / "part-00001.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert list(first) == [*POST_COLUMNS, "in_reply_to"]
    assert pq.read_table(tmp_path / "a" / "posts" / "part-00002.parquet").schema.names == [*POST_COLUMNS, "in_reply_to"]
    with (tmp_path / "a" / "organizations.csv").open(newline="", encoding="utf-8") as f:
        assert {o["org_type"] for o in csv.DictReader(f)} == set(ORG_TYPES)
    with pytest.raises(ValueError, match="shape"):
        generate(tmp_path / "c", posts=10, orgs=10, seed=4, shape="tiktok")
