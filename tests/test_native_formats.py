"""Native platform exports (pipelines/warehouse/formats.py) through the real loader and core step.

Each layout's fixture (pipelines/sample/native.py, written from the public field documentation) loads with the
values worked out by hand below: ids, UTC times, counts mapped by the written rules, text. Damaged variants land in
quarantine row by row with a reason; every load balances; the format is found from the content, never the name.
The last tests run the Dagster assets on a folder that mixes every layout with the contract.
"""

from __future__ import annotations

import csv
import json
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

import hostile_corpus as hc
from conftest import materialize_all, query
from pipelines.sample import native
from pipelines.warehouse import core, formats
from pipelines.warehouse.contracts import ORGANIZATIONS
from pipelines.warehouse.loader import land_new_files
from pipelines.warehouse.sql import setup_warehouse

ORG_HEADER = ["org_id", "org_name", "org_type", "country", "region", *native.ACCOUNT_FIELDS]


def write_orgs(data: Path, accounts: dict[str, dict] | None = None) -> None:
    accounts = native.ORG_ACCOUNTS if accounts is None else accounts
    with (data / "organizations.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(ORG_HEADER)
        for org, acc in accounts.items():
            w.writerow([org, f"Organization {org}", "hospital", "US", "", *(acc.get(c, "") for c in native.ACCOUNT_FIELDS)])


class Native:
    """A temporary data folder and warehouse; load() lands and types every new posts file, as the assets do."""

    def __init__(self, root: Path, accounts: dict[str, dict] | None = None):
        self.data = root / "data"
        (self.data / "posts").mkdir(parents=True)
        write_orgs(self.data, accounts)
        self.conn = duckdb.connect(str(root / "warehouse.duckdb"))
        setup_warehouse(self.conn)
        land_new_files(self.conn, ORGANIZATIONS, self.data)
        core.process(self.conn, ORGANIZATIONS, ["organizations.csv"])

    def load(self, **files: bytes) -> None:
        for name, data in files.items():
            path = self.data / "posts" / name.replace("__", "/")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        hc.load_posts(self.conn, self.data)
        assert hc.accounting_problems(self.conn) == []

    def q(self, sql: str, params: dict | None = None) -> list[tuple]:
        return self.conn.execute(sql, params or {}).fetchall()

    def posts(self, source: str) -> list[tuple]:
        return self.q("select post_id, platform, org_id, posted_at, likes, shares, comments, views, url, text "
                      "from core.posts where _source_file = $f order by _source_row", {"f": "posts/" + source})

    def recon(self, source: str) -> tuple:
        return self.q("select l.file_format, r.rows_read, r.rows_loaded, r.rows_quarantined, r.rows_duplicate "
                      "from audit.loads l join audit.load_reconciliation r using (load_id) where l.source_file = $f",
                      {"f": "posts/" + source})[0]

    def rejected(self, source: str) -> list[tuple]:
        return self.q("select source_row, column_name, reason from quarantine.rejected_rows where source_file = $f "
                      "order by source_row", {"f": "posts/" + source})

    def issues(self, source: str) -> list[str]:
        return [r[0] for r in self.q("select detail from audit.file_issues where source_file = $f order by all",
                                     {"f": "posts/" + source})]

    def extra(self, source: str, row: int) -> dict:
        value = self.q("select _extra from raw.posts where _source_file = $f and _source_row = $r",
                       {"f": "posts/" + source, "r": row})[0][0]
        return json.loads(value)


@pytest.fixture
def nat(tmp_path):
    n = Native(tmp_path)
    yield n
    n.conn.close()


def ts(text: str) -> datetime:
    return datetime.fromisoformat(text)


# file -> (format, rows read, loaded, quarantined, [first loaded post as worked out from the fixture by hand])
EXPECTED = {
    "x_v2_twarc_pages.jsonl": ("jsonl:x_api_v2", 4, 3, 1, [
        # shares = retweets 12 + quotes 2; comments = replies; views = impressions
        ("1861000000000000001", "x", "org-0001", ts("2025-10-04 14:05:00"), 48, 14, 3, 5210,
         "https://x.com/GoldenPrairieHosp/status/1861000000000000001",
         "Flu shots are free at all Golden Prairie clinics this Saturday, 9am-1pm. No appointment needed. "
         "https://t.co/abc123")]),
    "x_v1_timeline.json": ("json:x_api_v1", 3, 2, 1, [
        # 'Thu Mar 06 15:02:11 +0000 2025'; v1.1 has no reply count or impressions
        ("1300000000000000101", "x", "org-0003", ts("2025-03-06 15:02:11"), 210, 95, None, None,
         "https://x.com/NorthgatePH/status/1300000000000000101",
         "Measles cases are rising in the county. Check your family's vaccination records and talk to your doctor.")]),
    "twarc2_export.csv": ("csv:twarc2_csv", 2, 2, 0, [
        ("1862000000000000001", "x", "org-0003", ts("2025-09-16 13:00:00"), 25, 7, 2, 3100,
         "https://x.com/NorthgatePH/status/1862000000000000001",
         "Free blood pressure checks at the Northgate library, Tuesday 10-2.")]),
    "meta_facebook_posts.csv": ("csv:meta_facebook", 3, 3, 0, [
        # 10/14/2025 09:15 in America/Chicago (CDT, UTC-5) = 14:15 UTC; reactions -> likes
        ("1827720132094601", "facebook", "org-0001", ts("2025-10-14 14:15:00"), 320, 25, 41, 9800,
         "https://www.facebook.com/100000000000001/posts/pfbid0094601",
         "Our maternity ward turns 50!\nThank you to every nurse, midwife and family who made it a home, "
         "\"one baby at a time\".")]),
    "meta_instagram_posts.csv": ("csv:meta_instagram", 2, 2, 0, [
        ("18182686576415001", "instagram", "org-0001", ts("2025-09-05 17:00:00"), 260, 12, 18, 5400,
         "https://www.instagram.com/p/DAbCdEf0001/", "Meet Dr. Alvarez, our new pediatric surgeon. #MeetOurDoctors")]),
    "crowdtangle_export.csv": ("csv:crowdtangle", 2, 2, 0, [
        # '2021-07-06 16:45:20 EDT' = 20:45:20 UTC; likes = Like 850 + Love 210 + Care 90 (all reactions)
        ("100000000000009_3010000000000001", "facebook", "org-0009", ts("2021-07-06 20:45:20"), 1150, 300, 120, 0,
         "https://www.facebook.com/granitefallshealth/posts/3010000000000001",
         "COVID-19 vaccine clinics this week at all Granite Falls hospitals. Walk-ins welcome.")]),
    "northgate-public-health/linkedin_content.xlsx": ("xlsx:linkedin", 2, 2, 0, [
        # a day only: 12:00 in America/New_York (EDT) = 16:00 UTC; reposts -> shares, impressions -> views
        ("urn:li:activity:7250000000000000001", "linkedin", "org-0003", ts("2025-09-22 16:00:00"), 88, 14, 6, 4200,
         "https://www.linkedin.com/feed/update/urn:li:activity:7250000000000000001",
         "Northgate Public Health is hiring epidemiologists. Help us protect 1.2 million residents.")]),
    "youtube_videos.json": ("json:youtube_v3", 2, 2, 0, [
        ("nG7pH0aBc1D", "youtube", "org-0003", ts("2025-06-10 15:00:01"), 410, None, 37, 15400,
         "https://www.youtube.com/watch?v=nG7pH0aBc1D",
         "How to use a naloxone kit\n\nStep by step: recognise an overdose and use naloxone. Kits are free at every "
         "Northgate clinic.")]),
    "tiktok_research_videos.json": ("json:tiktok_research", 2, 2, 0, [
        # create_time 1751371200 = 2025-07-01 12:00:00 UTC
        ("7350000000000000001", "tiktok", "org-0005", ts("2025-07-01 12:00:00"), 6400, 210, 130, 88000,
         "https://www.tiktok.com/@highlandparkhospital/video/7350000000000000001",
         "A day in the life of our ER nurses #nursing #hospital")]),
    "reddit_submissions.ndjson": ("jsonl:reddit", 3, 2, 1, [
        # created_utc 1760000000 = 2025-10-09 08:53:20 UTC; score -> likes
        ("1h2abcd", "reddit", "org-0005", ts("2025-10-09 08:53:20"), 154, None, 88, None,
         "https://www.reddit.com/r/HighlandPark/comments/1h2abcd/ama/",
         "AMA: we are the Highland Park Hospital infection prevention team\n\n"
         "Ask us anything about flu season, masks and hand hygiene.")]),
    "bluesky_author_feed.json": ("json:bluesky", 3, 2, 1, [
        # shares = reposts 21 + quotes 1
        ("at://did:plc:northgate0000000000000001/app.bsky.feed.post/3kzz0000000a1", "bluesky", "org-0003",
         ts("2025-10-08 14:00:00"), 64, 22, 4, None,
         "https://bsky.app/profile/northgatehealth.bsky.social/post/3kzz0000000a1",
         "Free COVID and flu vaccines for uninsured adults at our Eastside clinic, every Wednesday.")]),
    "mastodon_statuses.json": ("json:mastodon", 2, 2, 0, [
        # HTML content to text: paragraphs become lines, entities decoded, the link's text kept
        ("https://mastodon.social/users/northgatehealth/statuses/113000000000000001", "mastodon", "org-0003",
         ts("2025-04-14 13:00:00"), 22, 9, 1, None, "https://mastodon.social/@northgatehealth/113000000000000001",
         "Lead testing for children under 6 is free this month.\n"
         "Book at northgate.example/lead & bring your child's records.")]),
}


def test_every_layout_has_a_fixture_and_an_expectation():
    assert set(EXPECTED) == set(native.FILES)
    assert {e[0].split(":")[1] for e in EXPECTED.values()} == set(formats.FORMATS)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_layout_loads_with_the_right_values(nat, name):
    fmt, read, loaded, quarantined, first = EXPECTED[name]
    nat.load(**{name.replace("/", "__"): native.FILES[name]()})
    assert nat.recon(name) == (fmt, read, loaded, quarantined, 0)
    assert nat.posts(name)[:1] == first


def test_reposts_and_unmapped_accounts_are_quarantined_with_reasons(nat):
    nat.load(**{n.replace("/", "__"): build() for n, build in native.FILES.items()})
    retweet = nat.rejected("x_v2_twarc_pages.jsonl")
    assert retweet == [(4, None, formats.REPOST.format(what="retweet"))]
    assert nat.rejected("bluesky_author_feed.json")[0][2].startswith("repost of another account's post (Bluesky repost)")
    assert nat.rejected("reddit_submissions.ndjson") == [
        (3, "account", "account 'a_local_resident' (reddit) maps to no organization: fill reddit_username of its "
                       "organization in organizations.csv")]
    # the file-level warning says what was read in which zone, and where the zone came from
    assert any("read in America/Chicago (the time_zone of org-0001 in organizations.csv)" in i
               for i in nat.issues("meta_facebook_posts.csv"))


def test_the_platforms_own_metrics_are_kept_in_extra(nat):
    nat.load(**{"x.jsonl": native.x_v2_pages(), "fb.csv": native.meta_facebook(), "ct.csv": native.crowdtangle()})
    x = nat.extra("x.jsonl", 1)
    assert x["format"] == "x_api_v2" and x["public_metrics.bookmark_count"] == "2"
    assert x["public_metrics.retweet_count"] == "12" and x["public_metrics.quote_count"] == "2"
    fb = nat.extra("fb.csv", 1)
    assert fb["Reach"] == "6860" and fb["Total clicks"] == "40" and fb["Post type"] == "Photos"
    ct = nat.extra("ct.csv", 1)
    assert ct["Followers at Posting"] == "61000" and ct["Total Interactions"] == "1,570"


def test_the_format_is_found_from_the_content_not_the_name(tmp_path):
    """Each fixture under a misleading name (the wrong platform's name, or a neutral one) is still read right."""
    decoys = {".json": "contract_posts.json", ".jsonl": "linkedin.jsonl", ".ndjson": "twitter.ndjson",
              ".csv": "youtube_export.csv", ".xlsx": "x_api_v2.xlsx"}
    for name, build in native.FILES.items():
        suffix = Path(name).suffix
        path = tmp_path / decoys[suffix]
        path.write_bytes(build())
        assert formats.detect(path, suffix) == EXPECTED[name][0].split(":")[1], name
    contract = tmp_path / "meta_facebook_posts.csv"
    contract.write_text("post_id,platform,org_id,posted_at,text\np1,Facebook,h1,2024-01-01T00:00:00Z,hi\n")
    assert formats.detect(contract, ".csv") is None  # the contract, whatever the name says
    unknown = tmp_path / "posts.json"
    unknown.write_text('[{"message": "hello", "when": "today"}]')
    with pytest.raises(formats.UnknownLayout, match=r"first record's keys: message, when"):
        formats.detect(unknown, ".json")


def _tweet(**changes) -> dict:
    tweet = native.x_v2_tweet("1870000000000000001", "A tweet.", "2025-01-02T03:04:05.000Z", "1200000000000000001",
                              1, 2, 3, 4, 5)
    tweet.update(changes)
    return tweet


def test_damaged_json_records_are_quarantined_one_by_one(nat):
    users = [{"id": "1200000000000000001", "username": "GoldenPrairieHosp"}]
    page = {"data": [
        _tweet(id="1870000000000000001"),                                       # 1 good
        {k: v for k, v in _tweet(id="1870000000000000002").items() if k != "created_at"},  # 2 no time
        _tweet(id="1870000000000000003", created_at="sometime last week"),   # 3 time unreadable
        _tweet(id="1870000000000000004", public_metrics={"like_count": "many"}),  # 4 a count that is not a number
        _tweet(id="1870000000000000005", author_id="999", text="someone else"),   # 5 unknown account
        {"id": "1870000000000000006", "text": "", "author_id": "1200000000000000001",
         "created_at": "2025-01-02T03:04:05Z"},                                 # 6 empty text
    ], "includes": {"users": users}}
    lines = json.dumps(page) + "\n" + "{not json\n" + json.dumps([1, 2]) + "\n"
    nat.load(**{"damaged.jsonl": lines.encode()})
    assert nat.recon("damaged.jsonl") == ("jsonl:x_api_v2", 9, 1, 8, 0)
    rejected = nat.rejected("damaged.jsonl")
    by_row = {row: (column, reason) for row, column, reason in rejected}
    assert by_row[2][0] == "posted_at" and "missing posted_at" in by_row[2][1]
    assert by_row[3][0] == "posted_at" and "sometime last week" in by_row[3][1]
    assert by_row[4] == ("likes", "likes 'many' is not a whole number; export counts as plain integers")
    assert by_row[5] == ("account", "account '999' (x) maps to no organization: fill x_handle or x_user_id of "
                                    "its organization in organizations.csv")
    assert by_row[6] == ("text", "missing text")
    assert by_row[7][1].startswith("line is not valid JSON")
    assert by_row[8] == by_row[9] == (None, "record is not a JSON object")  # [1, 2]: two records, neither a post


def test_damaged_meta_and_linkedin_tables(nat):
    rounded = native.meta_fb_row("1827720132094610", "Rounded id", "10/14/2025 09:15", 1, 1, 1, 1)
    rounded[0] = "1.82772E+15"
    unknown_page = native.meta_fb_row("1827720132094611", "Other page", "10/14/2025 09:15", 1, 1, 1, 1)
    unknown_page[1] = "555"
    bad_time = native.meta_fb_row("1827720132094612", "Bad time", "14.10.2025 9 Uhr", 1, 1, 1, 1)
    good = native.meta_fb_row("1827720132094613", "Fine", "12/31/2025 23:30", 1, 2, 3, 4)
    daily = native.meta_facebook([native.meta_fb_row("1827720132094620", "Daily", "10/14/2025 09:15", 1, 1, 1, 1,
                                                     date="10/14/2025")] * 2)
    no_folder = native.linkedin_xlsx()
    nat.load(**{"fb.csv": native.meta_facebook([rounded, unknown_page, bad_time, good]), "daily.csv": daily,
                "li.xlsx": no_folder})
    assert nat.recon("fb.csv") == ("csv:meta_facebook", 4, 1, 3, 0)
    reasons = {row: (col, why) for row, col, why in nat.rejected("fb.csv")}
    assert "scientific notation" in reasons[1][1]
    assert reasons[2] == ("account", "account 'Golden Prairie Community Hospital' (id 555) (facebook) maps to no "
                                     "organization: fill facebook_page or facebook_page_id of its organization in "
                                     "organizations.csv")
    assert reasons[3][0] == "posted_at"
    # 23:30 on New Year's Eve in Chicago (CST, UTC-6) is the next year in UTC
    assert nat.posts("fb.csv")[0][3] == ts("2026-01-01 05:30:00")
    assert nat.recon("daily.csv") == ("csv:meta_facebook", 2, 0, 2, 0)
    assert all("daily-breakdown export" in r[2] for r in nat.rejected("daily.csv"))
    assert nat.recon("li.xlsx") == ("xlsx:linkedin", 2, 0, 2, 0)
    assert all("folder named after the page" in r[2] for r in nat.rejected("li.xlsx"))


def test_the_export_time_zone_setting_is_used_when_the_organization_has_none(tmp_path, monkeypatch):
    accounts = {**native.ORG_ACCOUNTS, "org-0001": {k: v for k, v in native.ORG_ACCOUNTS["org-0001"].items()
                                                      if k != "time_zone"}}
    monkeypatch.setenv("HCSM_EXPORT_TIME_ZONE", "Europe/Stockholm")
    nat = Native(tmp_path, accounts)
    nat.load(**{"fb.csv": native.meta_facebook()})
    # 09:15 in Stockholm (CEST, UTC+2) on 14 October 2025
    assert nat.posts("fb.csv")[0][3] == ts("2025-10-14 07:15:00")
    assert any("Europe/Stockholm" in i and "HCSM_EXPORT_TIME_ZONE" in i for i in nat.issues("fb.csv")), nat.issues("fb.csv")
    nat.conn.close()


def test_a_mixed_folder_through_the_dagster_assets(tmp_path):
    """The contract and every native layout side by side: every row reconciled, the quality page lists the
    unmapped account, and the reconciliation table names the format found for each file."""
    from conftest import make_inputs

    data = make_inputs(tmp_path / "data")
    with (data / "organizations.csv").open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    with (data / "organizations.csv").open("a", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        for org, acc in native.ORG_ACCOUNTS.items():
            w.writerow([org, f"Organization {org}", "hospital", "US", ""])
    native.add_accounts(data / "organizations.csv")
    assert len(rows) == 6
    native.write_native(data / "posts")
    wh, reports = tmp_path / "wh" / "warehouse.duckdb", tmp_path / "reports"
    result = materialize_all(data, wh, reports)
    assert result.success
    recon = query(wh, "select file_format, rows_read, rows_loaded, rows_quarantined, rows_duplicate, balanced "
                      "from marts.quality_reconciliation where source_file like 'posts/%' order by source_file")
    assert all(r[5] for r in recon) and len(recon) == 14
    formats_seen = {r[0] for r in recon}
    assert {e[0] for e in EXPECTED.values()} | {"csv", "jsonl"} <= formats_seen | {"csv", "jsonl"}
    assert sum(r[1] for r in recon) == sum(r[2] + r[3] + r[4] for r in recon)
    assert query(wh, "select platform, account, posts from marts.quality_unmapped_accounts") == [
        ("reddit", "a_local_resident", 1)]
    native_posts = sum(e[2] for e in EXPECTED.values())
    assert query(wh, "select count(*) from core.posts where _source_file like 'posts/native/%'") == [(native_posts,)]
    # analysed like any other post
    assert query(wh, "select count(*) from core.posts_enriched e join core.posts p using (post_id) "
                     "where p._source_file like 'posts/native/%'") == [(native_posts,)]
    page = (reports / "quality.html").read_text(encoding="utf-8")
    assert "Accounts that map to no organization" in page and "a_local_resident" in page
    assert "xlsx:linkedin" in page


# per layout: the field holding the time and one count, as (path in the record | header)
DAMAGE = {
    "x_v2_twarc_pages.jsonl": (("created_at",), ("public_metrics", "like_count"), "likes"),
    "x_v1_timeline.json": (("created_at",), ("favorite_count",), "likes"),
    "youtube_videos.json": (("snippet", "publishedAt"), ("statistics", "commentCount"), "comments"),
    "tiktok_research_videos.json": (("create_time",), ("view_count",), "views"),
    "reddit_submissions.ndjson": (("created_utc",), ("num_comments",), "comments"),
    "bluesky_author_feed.json": (("post", "record", "createdAt"), ("post", "likeCount"), "likes"),
    "mastodon_statuses.json": (("created_at",), ("reblogs_count",), "shares"),
    "twarc2_export.csv": ("created_at", "public_metrics.like_count", "likes"),
    "meta_facebook_posts.csv": ("Publish time", "Comments", "comments"),
    "meta_instagram_posts.csv": ("Publish time", "Likes", "likes"),
    "crowdtangle_export.csv": ("Post Created", "Shares", "shares"),
    "northgate-public-health/linkedin_content.xlsx": ("Created date", "Impressions", "views"),
}


def _first_record(name: str, tmp: Path) -> dict:
    path = tmp / Path(name).name
    path.write_bytes(native.FILES[name]())
    return formats.first_json_record(path)


def _set(record: dict, path: tuple, value) -> None:
    for key in path[:-1]:
        record = record[key]
    if value is None:
        record.pop(path[-1])
        if path == ("post", "record", "createdAt"):
            record.pop("indexedAt", None)  # post.indexedAt is the fallback time; remove it too
    else:
        record[path[-1]] = value


def _damaged(name: str, tmp: Path) -> bytes:
    """The layout's first post three times: as exported, without its time, with a count that is not a number."""
    time_field, count_field, _ = DAMAGE[name]
    if name.endswith((".json", ".jsonl", ".ndjson")):
        good = _first_record(name, tmp)
        no_time, bad_count = json.loads(json.dumps(good)), json.loads(json.dumps(good))
        if name.startswith("bluesky"):
            no_time["post"].pop("indexedAt", None)
        _set(no_time, time_field, None)
        _set(bad_count, count_field, "lots")
        if name.startswith("x_v2"):  # in its page, so the username comes from includes.users as in the fixture
            users = json.loads(native.FILES[name]().splitlines()[0])["includes"]
            return json.dumps({"data": [good, no_time, bad_count], "includes": users}).encode()
        return json.dumps([good, no_time, bad_count]).encode()
    if name.endswith(".xlsx"):
        header, row = native.LINKEDIN, native.linkedin_rows()[0]
    else:
        rows = list(csv.reader(native.FILES[name]().decode("utf-8-sig").splitlines(keepends=True)))
        header, row = rows[0], rows[1]
    no_time, bad_count = list(row), list(row)
    no_time[header.index(time_field)] = ""
    bad_count[header.index(count_field)] = "lots"
    if name.endswith(".xlsx"):
        return native.linkedin_xlsx([row, no_time, bad_count])
    import io
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([header, row, no_time, bad_count])
    return buffer.getvalue().encode()


@pytest.mark.parametrize("name", sorted(DAMAGE))
def test_each_layout_quarantines_a_missing_time_and_a_count_that_is_no_number(nat, name, tmp_path):
    assert set(DAMAGE) == set(native.FILES)
    target = name if "/" in name else "damaged/" + Path(name).name
    nat.load(**{target.replace("/", "__"): _damaged(name, tmp_path)})
    fmt, _, _, _, first = EXPECTED[name]
    assert nat.recon(target) == (fmt, 3, 1, 2, 0)
    assert nat.posts(target) == first
    column = DAMAGE[name][2]
    assert nat.rejected(target) == [
        (2, "posted_at", "missing posted_at"),
        (3, column, f"{column} 'lots' is not a whole number; export counts as plain integers"),
    ]
