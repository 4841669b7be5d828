"""Small native platform exports for the embedded sample and the tests, one per layout formats.py reads.

Every file is written here, by us, from the public field documentation summarised in ../shared/EXPORTS.md (X API
v1.1/v2 data dictionaries, twarc-csv's column list, Meta Business Suite and CrowdTangle headers, LinkedIn's content
export, YouTube Data API v3, TikTok Research API, Arctic Shift's Reddit schema, the Bluesky lexicons, Mastodon's
Status entity). Organizations, accounts, texts and counts are invented. Output is deterministic: the same bytes on
every build (the xlsx workbook's zip and document dates are fixed).
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from pathlib import Path

# accounts of sample organizations (organizations.csv columns), and their pages' time zones
ORG_ACCOUNTS = {
    "org-0001": {"x_handle": "GoldenPrairieHosp", "x_user_id": "1200000000000000001",
                 "facebook_page_id": "100000000000001", "instagram_username": "goldenprairiehospital",
                 "time_zone": "America/Chicago"},
    "org-0003": {"x_handle": "@NorthgatePH", "linkedin_page": "https://www.linkedin.com/company/northgate-public-health/",
                 "youtube_channel_id": "UCnorthgatePublicHealth01", "bluesky_handle": "northgatehealth.bsky.social",
                 "mastodon_account": "@northgatehealth@mastodon.social", "time_zone": "America/New_York"},
    "org-0005": {"tiktok_username": "highlandparkhospital", "reddit_username": "HighlandParkHospital"},
    "org-0009": {"facebook_page_id": "100000000000009", "facebook_page": "granitefallshealth"},
}
ACCOUNT_FIELDS = ("time_zone", "x_handle", "x_user_id", "facebook_page", "facebook_page_id", "instagram_username",
                  "instagram_account_id", "linkedin_page", "youtube_channel_id", "tiktok_username", "reddit_username",
                  "bluesky_handle", "bluesky_did", "mastodon_account")
FOLDER = "native"
LINKEDIN_PAGE = "northgate-public-health"


def _json(value) -> bytes:
    return (json.dumps(value, indent=1, ensure_ascii=False) + "\n").encode()


def _jsonl(values) -> bytes:
    return "".join(json.dumps(v, ensure_ascii=False) + "\n" for v in values).encode()


def _csv(header: list[str], rows: list[list], bom: bool = False) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode()


# --- X ---------------------------------------------------------------------------------------------------------


def x_v2_tweet(ident, text, created, author_id, likes, retweets, replies, quotes, impressions, **more) -> dict:
    tweet = {
        "id": ident, "text": text, "created_at": created, "author_id": author_id, "lang": "en",
        "conversation_id": ident, "edit_history_tweet_ids": [ident],
        "public_metrics": {"retweet_count": retweets, "reply_count": replies, "like_count": likes,
                           "quote_count": quotes, "bookmark_count": 2, "impression_count": impressions},
        "entities": {"urls": [{"start": 0, "end": 23, "url": "https://t.co/abc123",
                               "expanded_url": "https://goldenprairie.example/flu"}]},
    }
    tweet.update(more)
    return tweet


def x_v2_pages() -> bytes:
    """twarc2 style: one API response page per line, users in includes."""
    users = [{"id": "1200000000000000001", "username": "GoldenPrairieHosp", "name": "Golden Prairie Hospital"}]
    page1 = [
        x_v2_tweet("1861000000000000001", "Flu shots are free at all Golden Prairie clinics this Saturday, 9am-1pm. "
                   "No appointment needed. https://t.co/abc123", "2025-10-04T14:05:00.000Z", "1200000000000000001",
                   48, 12, 3, 2, 5210),
        x_v2_tweet("1861000000000000002", "Welcome to our new cardiology fellows! We are proud to train the next "
                   "generation of heart doctors.", "2025-10-11T16:30:00.000Z", "1200000000000000001", 91, 7, 5, 1, 8800),
    ]
    page2 = [
        x_v2_tweet("1861000000000000003", "We're hiring nurses for our ICU and emergency department. Join a team "
                   "that cares. Apply today.", "2025-11-02T13:00:00.000Z", "1200000000000000001", 30, 22, 1, 0, 6100),
        x_v2_tweet("1861000000000000004", "RT @CDCgov: Get your updated COVID-19 vaccine.", "2025-11-03T09:12:44.000Z",
                   "1200000000000000001", 0, 150, 0, 0, 0,
                   referenced_tweets=[{"type": "retweeted", "id": "1860999999999999999"}]),
    ]
    meta = {"result_count": 2, "newest_id": "", "oldest_id": ""}
    return _jsonl([{"data": page1, "includes": {"users": users}, "meta": meta},
                   {"data": page2, "includes": {"users": users}, "meta": meta,
                    "__twarc": {"url": "https://api.x.com/2/users/1200000000000000001/tweets", "version": "2.14.0",
                                "retrieved_at": "2025-12-01T10:00:00+00:00"}}])


def x_v1_tweet(ident, text, created, likes, retweets, **more) -> dict:
    tweet = {"created_at": created, "id": int(ident), "id_str": ident, "full_text": text, "truncated": False,
             "user": {"id": 1300000000000000003, "id_str": "1300000000000000003", "screen_name": "NorthgatePH",
                      "name": "Northgate Public Health", "followers_count": 15000},
             "favorite_count": likes, "retweet_count": retweets, "lang": "en",
             "entities": {"hashtags": [], "urls": [], "user_mentions": []},
             "source": '<a href="https://mobile.twitter.com" rel="nofollow">Twitter Web App</a>'}
    tweet.update(more)
    return tweet


def x_v1_timeline() -> bytes:
    """A v1.1 user timeline (tweet_mode=extended), as Hydrator or twarc 1 wrote it: a JSON array."""
    return _json([
        x_v1_tweet("1300000000000000101", "Measles cases are rising in the county. Check your family's vaccination "
                   "records and talk to your doctor.", "Thu Mar 06 15:02:11 +0000 2025", 210, 95),
        x_v1_tweet("1300000000000000102", "Heat advisory today: drink water, check on older neighbours and never "
                   "leave children in a parked car.", "Tue Jul 08 12:45:00 +0000 2025", 130, 60),
        x_v1_tweet("1300000000000000103", "RT @WHO: Wash your hands.", "Wed Jul 09 08:00:00 +0000 2025", 0, 4000,
                   retweeted_status={"id_str": "1299999999999999999", "full_text": "Wash your hands.",
                                     "favorite_count": 9000, "retweet_count": 4000,
                                     "user": {"screen_name": "WHO", "id_str": "14499829"}}),
    ])


TWARC_COLUMNS = ["id", "conversation_id", "referenced_tweets.replied_to.id", "referenced_tweets.retweeted.id",
                 "referenced_tweets.quoted.id", "author_id", "created_at", "text", "lang",
                 "public_metrics.impression_count", "public_metrics.reply_count", "public_metrics.retweet_count",
                 "public_metrics.quote_count", "public_metrics.like_count", "public_metrics.bookmark_count",
                 "entities.urls", "author.id", "author.username", "author.name", "__twarc.retrieved_at"]


def twarc_row(ident, text, created, likes, retweets, replies, quotes, impressions, retweeted="") -> list:
    return [ident, ident, "", retweeted, "", "1300000000000000003", created, text, "en", impressions, replies,
            retweets, quotes, likes, 1, '["https://northgate.example/clinics"]', "1300000000000000003",
            "NorthgatePH", "Northgate Public Health", "2025-12-01T10:00:00+00:00"]


def twarc_csv() -> bytes:
    return _csv(TWARC_COLUMNS, [
        twarc_row("1862000000000000001", "Free blood pressure checks at the Northgate library, Tuesday 10-2.",
                  "2025-09-16T13:00:00.000Z", 25, 6, 2, 1, 3100),
        twarc_row("1862000000000000002", "Our new report on overdose deaths in the county is out. Read the data "
                  "and what we are doing: https://northgate.example/report", "2025-09-30T15:30:00.000Z",
                  40, 18, 9, 4, 7200),
    ])


# --- Meta and CrowdTangle ----------------------------------------------------------------------------------------

META_FB = ["Post ID", "Page ID", "Page name", "Title", "Description", "Duration (sec)", "Publish time",
           "Caption type", "Permalink", "Is crosspost", "Is share", "Post type", "Languages", "Custom labels",
           "Funded content status", "Data comment", "Date", "Views", "Reach", "Reactions, Comments and Shares",
           "Reactions", "Comments", "Shares", "Total clicks", "Other Clicks"]
META_IG = ["Post ID", "Account ID", "Account username", "Account name", "Description", "Duration (sec)",
           "Publish time", "Permalink", "Post type", "Data comment", "Date", "Views", "Reach", "Likes", "Shares",
           "Follows", "Comments", "Saves"]


def meta_fb_row(ident, caption, published, reactions, comments, shares, views, date="Lifetime") -> list:
    return [ident, "100000000000001", "Golden Prairie Community Hospital", caption, "", "0", published, "",
            f"https://www.facebook.com/100000000000001/posts/pfbid0{ident[-6:]}", "No", "No", "Photos", "en", "",
            "", "", date, views, int(views * 0.7), reactions + comments + shares, reactions, comments, shares, 40, 12]


def meta_facebook(rows=None) -> bytes:
    """UTF-8 with a BOM and multi-line captions, as Meta writes them; "Publish time" is the page's local time."""
    rows = rows if rows is not None else [
        meta_fb_row("1827720132094601", "Our maternity ward turns 50!\nThank you to every nurse, midwife and "
                    "family who made it a home, \"one baby at a time\".", "10/14/2025 09:15", 320, 41, 25, 9800),
        meta_fb_row("1827720132094602", "Walk-in flu clinics open today 8am-6pm at our Main Street campus.",
                    "10/20/2025 07:30", 85, 9, 14, 4100),
        meta_fb_row("1827720132094603", "Join us for the Golden Prairie 5K for cancer research on Nov 8. "
                    "Every dollar funds local care.", "11/01/2025 18:00", 150, 20, 33, 7300),
    ]
    return _csv(META_FB, rows, bom=True)


def meta_instagram() -> bytes:
    rows = [
        ["18182686576415001", "17841400000000001", "goldenprairiehospital", "Golden Prairie Hospital",
         "Meet Dr. Alvarez, our new pediatric surgeon. #MeetOurDoctors", "0", "09/05/2025 12:00",
         "https://www.instagram.com/p/DAbCdEf0001/", "IG image", "", "Lifetime", 5400, 4100, 260, 12, 3, 18, 30],
        ["18182686576415002", "17841400000000001", "goldenprairiehospital", "Golden Prairie Hospital",
         "Breast cancer screening saves lives. Book your mammogram today.", "0", "10/01/2025 08:00",
         "https://www.instagram.com/p/DAbCdEf0002/", "IG carousel", "", "Lifetime", 6100, 5000, 310, 40, 6, 25, 80],
    ]
    return _csv(META_IG, rows, bom=True)


CROWDTANGLE = ["Page Name", "User Name", "Facebook Id", "Page Category", "Page Admin Top Country",
               "Page Created", "Likes at Posting", "Followers at Posting", "Post Created", "Post Created Date",
               "Post Created Time", "Type", "Total Interactions", "Likes", "Comments", "Shares", "Love", "Wow",
               "Haha", "Sad", "Angry", "Care", "Post Views", "Total Views", "URL", "Message", "Link",
               "Final Link", "Image Text", "Link Text", "Description",
               "Overperforming Score (weighted  \u2014  Likes 1x Shares 1x Comments 1x Love 1x Wow 1x Haha 1x "
               "Sad 1x Angry 1x Care 1x )"]


def crowdtangle_row(post, created, message, likes, comments, shares, love, care) -> list:
    return ["Granite Falls Health System", "granitefallshealth", "100000000000009", "HOSPITAL", "US",
            "2010-03-01 10:00:00", 52000, 61000, created, created[:10], created[11:19], "Photo",
            f"{likes + comments + shares + love + care:,}", likes, comments, shares, love, 0, 0, 0, 0, care, 0, 0,
            f"https://www.facebook.com/granitefallshealth/posts/{post}", message, "", "", "", "", "", "1.20"]


def crowdtangle() -> bytes:
    return _csv(CROWDTANGLE, [
        crowdtangle_row("3010000000000001", "2021-07-06 16:45:20 EDT", "COVID-19 vaccine clinics this week at all "
                        "Granite Falls hospitals. Walk-ins welcome.", 850, 120, 300, 210, 90),
        crowdtangle_row("3010000000000002", "2021-12-14 09:00:00 EST", "Thank you to our frontline staff for "
                        "another year of care.", 1200, 95, 60, 400, 150),
    ])


# --- LinkedIn (xlsx) ---------------------------------------------------------------------------------------------

LINKEDIN = ["Post title", "Post link", "Post type", "Campaign name", "Posted by", "Created date",
            "Campaign start date", "Campaign end date", "Audience", "Impressions",
            "Views (excluding off-site video views)", "Off-site views", "Clicks", "Click through rate (CTR)",
            "Likes", "Comments", "Reposts", "Follows", "Engagement rate", "Content Type"]


def linkedin_rows() -> list[list]:
    return [
        ["Northgate Public Health is hiring epidemiologists. Help us protect 1.2 million residents.",
         "https://www.linkedin.com/feed/update/urn:li:activity:7250000000000000001", "Organic", "", "J. Rivera",
         "09/22/2025", "", "", "All followers", 4200, 0, 0, 150, 0.0357, 88, 6, 14, 5, 0.061, "Text"],
        ["Our annual community health assessment is published: chronic disease, access to care and what "
         "residents told us.", "https://www.linkedin.com/feed/update/urn:li:activity:7250000000000000002",
         "Organic", "", "J. Rivera", "10/15/2025", "", "", "All followers", 5100, 0, 0, 240, 0.047, 120, 11, 22,
         3, 0.077, "Article"],
    ]


def _fixed_zip(data: bytes) -> bytes:
    """The same workbook bytes on every build: fixed zip entry dates and document created/modified times."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in sorted(src.infolist(), key=lambda i: i.filename):
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*", rb"\g<1>2025-12-01T00:00:00Z", content)
            entry = zipfile.ZipInfo(info.filename, date_time=(2025, 12, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(entry, content)
    return out.getvalue()


def linkedin_xlsx(rows: list[list] | None = None, note: bool = True) -> bytes:
    """LinkedIn's layout: a daily "Metrics" sheet, then "All posts" with a note on row 1 and the header on row 2."""
    from openpyxl import Workbook

    workbook = Workbook()
    metrics = workbook.active
    metrics.title = "Metrics"
    metrics.append(["Aggregated metrics for all posts by date"])
    metrics.append(["Date", "Impressions (organic)", "Impressions (sponsored)", "Impressions (total)"])
    metrics.append(["09/22/2025", 4200, 0, 4200])
    posts = workbook.create_sheet("All posts")
    if note:
        posts.append(["Engagement metrics for individual posts. Learn more about these metrics."])
    posts.append(LINKEDIN)
    for row in rows if rows is not None else linkedin_rows():
        posts.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _fixed_zip(buffer.getvalue())


# --- YouTube, TikTok, Reddit, Bluesky, Mastodon -------------------------------------------------------------------


def youtube_video(ident, title, description, published, views, likes, comments) -> dict:
    return {"kind": "youtube#video", "etag": f"etag-{ident}", "id": ident,
            "snippet": {"publishedAt": published, "channelId": "UCnorthgatePublicHealth01",
                        "title": title, "description": description, "channelTitle": "Northgate Public Health",
                        "tags": ["health"], "categoryId": "27", "liveBroadcastContent": "none",
                        "defaultAudioLanguage": "en"},
            "contentDetails": {"duration": "PT3M20S"},
            "statistics": {"viewCount": str(views), "likeCount": str(likes), "favoriteCount": "0",
                           "commentCount": str(comments)}}


def youtube() -> bytes:
    return _json({"kind": "youtube#videoListResponse", "etag": "list-etag", "items": [
        youtube_video("nG7pH0aBc1D", "How to use a naloxone kit", "Step by step: recognise an overdose and use "
                      "naloxone. Kits are free at every Northgate clinic.", "2025-06-10T15:00:01Z", 15400, 410, 37),
        youtube_video("nG7pH0aBc2E", "Is your home ready for a heat wave?", "Five ways to keep cool and safe.",
                      "2025-07-01T12:30:00Z", 3900, 88, 5),
    ], "pageInfo": {"totalResults": 2, "resultsPerPage": 50}})


def tiktok() -> bytes:
    """A Research API query response: data.videos, create_time in UTC epoch seconds, ids as int64."""
    return _json({"data": {"videos": [
        {"id": 7350000000000000001, "video_description": "A day in the life of our ER nurses #nursing #hospital",
         "create_time": 1751371200, "region_code": "US", "share_count": 210, "view_count": 88000,
         "like_count": 6400, "comment_count": 130, "username": "highlandparkhospital",
         "hashtag_names": ["nursing", "hospital"], "video_duration": 45},
        {"id": 7350000000000000002, "video_description": "Sunscreen myths, busted by our dermatologist",
         "create_time": 1753963200, "region_code": "US", "share_count": 95, "view_count": 41000,
         "like_count": 2900, "comment_count": 75, "username": "highlandparkhospital",
         "hashtag_names": ["skincare"], "video_duration": 60},
    ], "cursor": 2, "has_more": False, "search_id": "7350000000000000000"},
        "error": {"code": "ok", "message": "", "log_id": "20251201000000"}})


def reddit() -> bytes:
    """Arctic Shift style NDJSON: one submission per line, created_utc as a number or a string."""
    return _jsonl([
        {"id": "1h2abcd", "name": "t3_1h2abcd", "subreddit": "HighlandPark", "author": "HighlandParkHospital",
         "created_utc": 1760000000, "title": "AMA: we are the Highland Park Hospital infection prevention team",
         "selftext": "Ask us anything about flu season, masks and hand hygiene.", "score": 154,
         "upvote_ratio": 0.97, "num_comments": 88, "permalink": "/r/HighlandPark/comments/1h2abcd/ama/",
         "url": "https://www.reddit.com/r/HighlandPark/comments/1h2abcd/ama/", "is_self": True,
         "over_18": False, "retrieved_on": 1760100000},
        {"id": "1h2efgh", "name": "t3_1h2efgh", "subreddit": "HighlandPark", "author": "HighlandParkHospital",
         "created_utc": "1761000000", "title": "New urgent care hours from November", "selftext": "",
         "score": 41, "num_comments": 12, "permalink": "/r/HighlandPark/comments/1h2efgh/hours/", "is_self": True},
        {"id": "1h2ijkl", "name": "t3_1h2ijkl", "subreddit": "HighlandPark", "author": "a_local_resident",
         "created_utc": 1761500000, "title": "Anyone else waiting hours at the ER?", "selftext": "",
         "score": 12, "num_comments": 30, "permalink": "/r/HighlandPark/comments/1h2ijkl/er/", "is_self": True},
    ])


def bluesky_post(rkey, text, created, likes, reposts, replies, quotes) -> dict:
    return {"uri": f"at://did:plc:northgate0000000000000001/app.bsky.feed.post/{rkey}", "cid": f"bafyrei{rkey}",
            "author": {"did": "did:plc:northgate0000000000000001", "handle": "northgatehealth.bsky.social",
                       "displayName": "Northgate Public Health"},
            "record": {"$type": "app.bsky.feed.post", "text": text, "createdAt": created, "langs": ["en"]},
            "replyCount": replies, "repostCount": reposts, "likeCount": likes, "quoteCount": quotes,
            "indexedAt": created}


def bluesky() -> bytes:
    """getAuthorFeed output: feedViewPost items, one of them the account's repost of someone else's post."""
    repost = bluesky_post("3kzz0000000r1", "Tick season is here.", "2025-05-02T10:00:00.000Z", 500, 90, 10, 2)
    repost["author"] = {"did": "did:plc:someoneelse00000000000001", "handle": "cdc.example.social"}
    return _json({"feed": [
        {"post": bluesky_post("3kzz0000000a1", "Free COVID and flu vaccines for uninsured adults at our "
                              "Eastside clinic, every Wednesday.", "2025-10-08T14:00:00.000Z", 64, 21, 4, 1)},
        {"post": bluesky_post("3kzz0000000a2", "Our air quality alert is lifted. Thank you for checking on your "
                              "neighbours.", "2025-08-20T18:30:00.123456Z", 30, 5, 2, 0)},
        {"post": repost, "reason": {"$type": "app.bsky.feed.defs#reasonRepost",
                                    "by": {"did": "did:plc:northgate0000000000000001",
                                           "handle": "northgatehealth.bsky.social"},
                                    "indexedAt": "2025-05-02T11:00:00.000Z"}},
    ], "cursor": "3kzz0000000a0"})


def mastodon_status(ident, html, created, favourites, reblogs, replies, **more) -> dict:
    status = {"id": ident, "created_at": created, "in_reply_to_id": None, "sensitive": False, "spoiler_text": "",
              "visibility": "public", "language": "en",
              "uri": f"https://mastodon.social/users/northgatehealth/statuses/{ident}",
              "url": f"https://mastodon.social/@northgatehealth/{ident}", "replies_count": replies,
              "reblogs_count": reblogs, "favourites_count": favourites, "content": html, "reblog": None,
              "account": {"id": "109000000000000003", "username": "northgatehealth", "acct": "northgatehealth",
                          "display_name": "Northgate Public Health",
                          "url": "https://mastodon.social/@northgatehealth", "followers_count": 2300},
              "media_attachments": [], "mentions": [], "tags": [{"name": "publichealth"}]}
    status.update(more)
    return status


def mastodon() -> bytes:
    return _json([
        mastodon_status("113000000000000001", "<p>Lead testing for children under 6 is free this month.</p>"
                        "<p>Book at <a href=\"https://northgate.example/lead\">northgate.example/lead</a> "
                        "&amp; bring your child&#39;s records.</p>", "2025-04-14T13:00:00.000Z", 22, 9, 1),
        mastodon_status("113000000000000002", "<p>Water main repairs are done: tap water is safe to drink again."
                        "<br>Thanks for your patience.</p>", "2025-06-03T20:15:00.000Z", 40, 31, 6),
    ])


FILES = {
    "x_v2_twarc_pages.jsonl": x_v2_pages,
    "x_v1_timeline.json": x_v1_timeline,
    "twarc2_export.csv": twarc_csv,
    "meta_facebook_posts.csv": meta_facebook,
    "meta_instagram_posts.csv": meta_instagram,
    "crowdtangle_export.csv": crowdtangle,
    f"{LINKEDIN_PAGE}/linkedin_content.xlsx": linkedin_xlsx,
    "youtube_videos.json": youtube,
    "tiktok_research_videos.json": tiktok,
    "reddit_submissions.ndjson": reddit,
    "bluesky_author_feed.json": bluesky,
    "mastodon_statuses.json": mastodon,
}


def write_native(posts_dir: Path) -> dict[str, int]:
    """Write FILES under posts_dir/native; returns file -> bytes."""
    written = {}
    for name, build in FILES.items():
        path = posts_dir / FOLDER / name
        path.parent.mkdir(parents=True, exist_ok=True)
        data = build()
        path.write_bytes(data)
        written[f"{FOLDER}/{name}"] = len(data)
    return written


def add_accounts(organizations_csv: Path) -> None:
    """Add the account and time-zone columns to a generated organizations.csv, filled for ORG_ACCOUNTS."""
    with organizations_csv.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    header = list(rows[0]) + [c for c in ACCOUNT_FIELDS if c not in rows[0]]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, quoting=csv.QUOTE_ALL, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({**{c: "" for c in header}, **row, **ORG_ACCOUNTS.get(row["org_id"], {})})
    organizations_csv.write_text(buffer.getvalue(), encoding="utf-8")
