"""Native platform exports: recognise a posts file's layout from its content and turn its records into contract rows.

A file is recognised from its header row (CSV, xlsx) or the keys of its first record (JSON, JSON lines), never from
its name. Each native record becomes one contract-shaped row (strings, typed later by sql/core/posts.sql like any
other row) with the fields the mapping did not use kept in `_extra` under their native names; a record that cannot
be a post of the organization (a repost, a row of a daily-breakdown export, an id a spreadsheet rounded) is returned
as a bad row with its reason and goes to quarantine. The field mappings are the README's "Native exports" tables.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from html.parser import HTMLParser
from pathlib import Path

from .contracts import normalize_header

# the columns a converter may fill; org_id stays empty (the account is mapped to an organization in core)
COLUMNS = ("post_id", "platform", "account", "account_id", "posted_at", "time_zone", "text",
           "likes", "shares", "comments", "views", "url", "lang")
LOCAL = "local"  # time_zone of a time written in the page's own zone: resolved from organizations.csv or the setting
MAX_EXTRA_VALUE = 2000
REPOST = ("repost of another account's post ({what}): not this organization's own post, and its engagement "
          "belongs to the original; export without reposts or ignore these rows")


@dataclass
class Converted:
    format: str
    label: str
    rows: list[dict] = field(default_factory=list)  # COLUMNS + _row + _extra (a JSON string)
    bad: list[tuple[int, str, str]] = field(default_factory=list)  # (row, reason, raw record as JSON)
    notes: list[tuple[str, str]] = field(default_factory=list)  # file-level (issue, detail)
    keys: list[str] = field(default_factory=list)  # the native fields or headers seen


@dataclass(frozen=True)
class Format:
    name: str
    label: str
    platform: str
    kind: str  # 'json' (records) or 'table' (header + rows)


FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("x_api_v2", "X API v2 tweets (JSON)", "x", "json"),
    Format("x_api_v1", "X API v1.1 tweets (JSON)", "x", "json"),
    Format("twarc2_csv", "twarc2 csv (X API v2, flattened)", "x", "table"),
    Format("meta_facebook", "Meta Business Suite, Facebook page posts (CSV)", "facebook", "table"),
    Format("meta_instagram", "Meta Business Suite, Instagram posts (CSV)", "instagram", "table"),
    Format("crowdtangle", "CrowdTangle historical export (CSV)", "facebook", "table"),
    Format("linkedin", "LinkedIn page content export (xlsx/CSV)", "linkedin", "table"),
    Format("youtube_v3", "YouTube Data API v3 videos (JSON)", "youtube", "json"),
    Format("tiktok_research", "TikTok Research API videos (JSON)", "tiktok", "json"),
    Format("reddit", "Reddit dump records (JSON)", "reddit", "json"),
    Format("bluesky", "Bluesky post views (JSON)", "bluesky", "json"),
    Format("mastodon", "Mastodon statuses (JSON)", "mastodon", "json"),
)}


class UnknownLayout(ValueError):
    """The file is neither the contract nor a layout we read; the message lists what was found."""


# --- values ---------------------------------------------------------------------------------------------------------


def _s(value) -> str | None:
    """A JSON or cell value as contract text: None stays None, numbers keep their digits (no 1e+17), bools as words."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    return text if text.strip() else None


def _int(value) -> int | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value
    text = str(value).strip().replace(",", "")
    return int(text) if re.fullmatch(r"\d+", text) else None


def _sum(*values) -> str | None:
    """The sum of counts; a value that is not a count is passed on as written so the row is quarantined for it."""
    present = [v for v in values if _s(v) is not None]
    if not present:
        return None
    ints = [_int(v) for v in present]
    if all(i is not None for i in ints):
        return str(sum(ints))
    return " + ".join(_s(v) for v in present)


def _get(record, path: str):
    """record['a']['b'] for 'a.b'; None where any step is missing or not an object."""
    value = record
    for part in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def _utc_iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def _epoch(value) -> str | None:
    """Epoch seconds (int, float or string) -> ISO UTC; anything else as written (quarantined by core)."""
    if value is None:
        return None
    try:
        return _utc_iso(datetime.fromtimestamp(float(str(value).strip()), UTC))
    except (ValueError, OverflowError, OSError):
        return _s(value)


def _v1_time(value) -> str | None:
    """'Thu Mar 04 10:02:11 +0000 2021' -> ISO UTC; anything else as written."""
    text = _s(value)
    if text is None:
        return None
    try:
        return _utc_iso(datetime.strptime(text.strip(), "%a %b %d %H:%M:%S %z %Y"))
    except ValueError:
        return text


def _us_local(value) -> str | None:
    """Meta's and LinkedIn's MM/DD/YYYY[ HH:MM] -> 'YYYY-MM-DD HH:MM:SS' (no zone); a date alone gets 12:00, the
    middle of the day, so the zone shift cannot move it to another day. Other values pass as written."""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return f"{value.isoformat()} 12:00:00"
    text = _s(value)
    if text is None:
        return None
    for pattern, out in (("%m/%d/%Y %H:%M", "%Y-%m-%d %H:%M:00"), ("%m/%d/%Y %H:%M:%S", "%Y-%m-%d %H:%M:%S"),
                         ("%m/%d/%Y", "%Y-%m-%d 12:00:00"), ("%Y-%m-%d", "%Y-%m-%d 12:00:00"),
                         ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M:%S")):
        try:
            return datetime.strptime(text.strip(), pattern).strftime(out)
        except ValueError:
            continue
    return text


# CrowdTangle writes the dashboard user's zone as an abbreviation. Only abbreviations with one common meaning are
# read; CST (US Central or China), IST (India, Ireland, Israel) and the like are quarantined rather than guessed.
ZONE_ABBREVIATIONS = {
    "UTC": 0, "GMT": 0, "Z": 0, "WET": 0, "BST": 60, "WEST": 60, "CET": 60, "CEST": 120, "EET": 120, "EEST": 180,
    "MSK": 180, "EST": -300, "EDT": -240, "CDT": -300, "MST": -420, "MDT": -360, "PST": -480, "PDT": -420,
    "AKST": -540, "AKDT": -480, "HST": -600, "SGT": 480, "HKT": 480, "JST": 540, "KST": 540, "AEST": 600,
    "AEDT": 660, "ACST": 570, "ACDT": 630, "AWST": 480, "NZST": 720, "NZDT": 780,
}


def _crowdtangle_time(value) -> tuple[str | None, str | None]:
    """('2021-07-06T16:45:20-04:00', None) for '2021-07-06 16:45:20 EDT', or (None, reason)."""
    text = _s(value)
    if text is None:
        return None, None
    m = re.fullmatch(r"(\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(?::\d{2})?)\s*([A-Za-z]{1,5})?", text.strip())
    if not m:
        return text, None
    stamp, abbreviation = m.group(1), (m.group(2) or "").upper()
    if not abbreviation:
        return stamp, None
    if abbreviation not in ZONE_ABBREVIATIONS:
        return None, (f"Post Created '{text[:40]}': the time zone abbreviation {abbreviation} is ambiguous or unknown "
                      f"(read: {', '.join(sorted(ZONE_ABBREVIATIONS))}); export with one of these or in UTC")
    moment = datetime.fromisoformat(stamp.replace(" ", "T")).replace(
        tzinfo=timezone(timedelta(minutes=ZONE_ABBREVIATIONS[abbreviation])))
    return _utc_iso(moment), None


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        if tag in ("br", "p") and self.parts:
            self.parts.append("\n")

    def handle_data(self, data) -> None:
        self.parts.append(data)


def html_to_text(value) -> str | None:
    """Mastodon's HTML `content` as plain text: paragraphs and <br> become line ends, entities are decoded."""
    text = _s(value)
    if text is None:
        return None
    parser = _Text()
    parser.feed(text)
    parser.close()
    out = re.sub(r"\n{3,}", "\n\n", "".join(parser.parts)).strip()
    return html.unescape(out) or None


def _flatten(record, prefix: str = "", skip: frozenset = frozenset()) -> dict[str, str]:
    """Nested fields as dotted names with text values (lists as JSON), for raw._extra."""
    out: dict[str, str] = {}
    if not isinstance(record, dict):
        return out
    for key, value in record.items():
        name = f"{prefix}{key}"
        if name in skip:
            continue
        if isinstance(value, dict):
            out.update(_flatten(value, name + ".", skip))
        elif value is not None:
            text = _s(value)
            if text is not None:
                out[name] = text[:MAX_EXTRA_VALUE]
    return out


def _row(n: int, fmt: Format, extra: dict[str, str], **values) -> dict:
    row = {c: _s(values.get(c)) for c in COLUMNS}
    row["platform"] = fmt.platform
    row["_row"] = n
    row["_extra"] = json.dumps({"format": fmt.name, **extra}, ensure_ascii=False)
    return row


def _raw(record) -> str:
    return json.dumps(record, ensure_ascii=False, default=str)[:10_000]


# --- JSON record formats --------------------------------------------------------------------------------------------


def json_format(record: dict) -> str | None:
    """The native JSON format of one record, or None (the contract, or not a post)."""
    if not isinstance(record, dict):
        return None
    if "post_id" in record and "posted_at" in record:
        return None
    if record.get("kind") == "youtube#video" or ("snippet" in record and isinstance(record["snippet"], dict)
                                                 and "channelId" in record["snippet"]):
        return "youtube_v3"
    if "id_str" in record and ("full_text" in record or "text" in record) and "user" in record:
        return "x_api_v1"
    if "id" in record and "text" in record and ("author_id" in record or "public_metrics" in record
                                                or "edit_history_tweet_ids" in record):
        return "x_api_v2"
    if "create_time" in record and ("video_description" in record or "username" in record):
        return "tiktok_research"
    if "created_utc" in record and ("subreddit" in record or "selftext" in record or "body" in record):
        return "reddit"
    post = record.get("post") if isinstance(record.get("post"), dict) else record
    if isinstance(post.get("record"), dict) and str(post.get("uri", "")).startswith("at://"):
        return "bluesky"
    if "content" in record and isinstance(record.get("account"), dict) and "created_at" in record:
        return "mastodon"
    return None


def _unwrap(document) -> Iterator[tuple[dict, dict]]:
    """(record, users by id) for every post record in a parsed JSON document: a bare record, a list, or an envelope
    (X's {"data", "includes"}, YouTube's {"items"}, TikTok's {"data": {"videos"}}, Bluesky's {"feed"}, ...)."""
    if isinstance(document, list):
        for item in document:
            yield from _unwrap(item)
        return
    if not isinstance(document, dict):
        yield document, {}
        return
    if json_format(document) is not None:
        yield document, {}
        return
    users = {}
    includes = document.get("includes")
    if isinstance(includes, dict) and isinstance(includes.get("users"), list):
        users = {u.get("id"): u for u in includes["users"] if isinstance(u, dict)}
    for key in ("data", "items", "statuses", "feed", "posts", "videos", "results"):
        value = document.get(key)
        if isinstance(value, dict) and isinstance(value.get("videos"), list):
            value = value["videos"]
        if isinstance(value, list):
            for item in value:
                yield item, users
            return
    yield document, {}


def _json_records(path: Path) -> Iterator[tuple[int, object, dict, str | None]]:
    """(n, record, users, parse error) in file order: a JSON document, or JSON lines (one record or page a line)."""
    with path.open("r", encoding="utf-8-sig", errors="replace") as f:
        text = f.read()
    stripped = text.lstrip()
    n = 0
    try:
        document = json.loads(stripped) if stripped else []
    except json.JSONDecodeError:
        document = None
    if document is not None:
        for record, users in _unwrap(document):
            n += 1
            yield n, record, users, None
        return
    for line in text.split("\n"):
        if not line.strip():
            continue
        try:
            parsed = json.loads(line)
        except json.JSONDecodeError as e:
            n += 1
            yield n, line, {}, f"line is not valid JSON ({e.msg} at character {e.pos + 1})"
            continue
        for record, users in _unwrap(parsed):
            n += 1
            yield n, record, users, None


def first_json_record(path: Path) -> object:
    for _, record, _, error in _json_records(path):
        if error is None:
            return record
    return None


def _x_v2(n, r, users, fmt):
    metrics = r.get("public_metrics") if isinstance(r.get("public_metrics"), dict) else {}
    refs = r.get("referenced_tweets") if isinstance(r.get("referenced_tweets"), list) else []
    if any(isinstance(t, dict) and t.get("type") == "retweeted" for t in refs):
        return REPOST.format(what="retweet")
    author = r.get("author") if isinstance(r.get("author"), dict) else users.get(r.get("author_id"), {})
    username = author.get("username") if isinstance(author, dict) else None
    text = _get(r, "note_tweet.text") or r.get("text")
    ident = _s(r.get("id"))
    return _row(n, fmt, _flatten(r, skip=frozenset({"text", "note_tweet.text"})),
                post_id=ident, account=username, account_id=r.get("author_id"),
                posted_at=r.get("created_at"), text=text,
                likes=metrics.get("like_count"), shares=_sum(metrics.get("retweet_count"), metrics.get("quote_count")),
                comments=metrics.get("reply_count"), views=metrics.get("impression_count"),
                url=f"https://x.com/{username or 'i/web'}/status/{ident}" if ident else None, lang=r.get("lang"))


def _x_v1(n, r, users, fmt):
    if isinstance(r.get("retweeted_status"), dict):
        return REPOST.format(what="retweet")
    user = r.get("user") if isinstance(r.get("user"), dict) else {}
    text = _get(r, "extended_tweet.full_text") or r.get("full_text") or r.get("text")
    ident = _s(r.get("id_str"))
    handle = user.get("screen_name")
    return _row(n, fmt, _flatten(r, skip=frozenset({"text", "full_text", "extended_tweet.full_text"})),
                post_id=ident, account=handle, account_id=user.get("id_str"), posted_at=_v1_time(r.get("created_at")),
                text=text, likes=r.get("favorite_count"), shares=_sum(r.get("retweet_count"), r.get("quote_count")),
                comments=r.get("reply_count"), url=f"https://x.com/{handle or 'i/web'}/status/{ident}" if ident else None,
                lang=r.get("lang"))


def _youtube(n, r, users, fmt):
    snippet = r.get("snippet") if isinstance(r.get("snippet"), dict) else {}
    stats = r.get("statistics") if isinstance(r.get("statistics"), dict) else {}
    ident = r.get("id") if isinstance(r.get("id"), str) else _get(r, "id.videoId")
    parts = [p for p in (snippet.get("title"), snippet.get("description")) if _s(p)]
    return _row(n, fmt, _flatten(r, skip=frozenset({"snippet.description", "snippet.thumbnails", "snippet.localized"})),
                post_id=ident, account=snippet.get("channelTitle"), account_id=snippet.get("channelId"),
                posted_at=snippet.get("publishedAt"), text="\n\n".join(parts) if parts else None,
                likes=stats.get("likeCount"), comments=stats.get("commentCount"), views=stats.get("viewCount"),
                url=f"https://www.youtube.com/watch?v={ident}" if ident else None,
                lang=snippet.get("defaultLanguage") or snippet.get("defaultAudioLanguage"))


def _tiktok(n, r, users, fmt):
    ident, user = _s(r.get("id")), r.get("username")
    return _row(n, fmt, _flatten(r, skip=frozenset({"video_description"})),
                post_id=ident, account=user, posted_at=_epoch(r.get("create_time")), text=r.get("video_description"),
                likes=r.get("like_count"), shares=r.get("share_count"), comments=r.get("comment_count"),
                views=r.get("view_count"),
                url=f"https://www.tiktok.com/@{user}/video/{ident}" if ident and user else None)


def _reddit(n, r, users, fmt):
    if "body" in r and "title" not in r:
        text = r.get("body")
    else:
        parts = [p for p in (r.get("title"), r.get("selftext")) if _s(p) and p not in ("[removed]", "[deleted]")]
        text = "\n\n".join(parts) if parts else None
    permalink = _s(r.get("permalink"))
    return _row(n, fmt, _flatten(r, skip=frozenset({"selftext", "body", "title"})),
                post_id=r.get("id"), account=r.get("author"), account_id=r.get("author_fullname"),
                posted_at=_epoch(r.get("created_utc")), text=text, likes=r.get("score"),
                comments=r.get("num_comments"),
                url=("https://www.reddit.com" + permalink) if permalink and permalink.startswith("/") else permalink)


def _bluesky(n, r, users, fmt):
    reason = r.get("reason") if isinstance(r.get("reason"), dict) else {}
    if "reasonRepost" in str(reason.get("$type", "")):
        return REPOST.format(what="Bluesky repost")
    post = r.get("post") if isinstance(r.get("post"), dict) else r
    record = post.get("record") if isinstance(post.get("record"), dict) else {}
    author = post.get("author") if isinstance(post.get("author"), dict) else {}
    uri = _s(post.get("uri")) or ""
    rkey = uri.rsplit("/", 1)[-1] if uri else None
    langs = record.get("langs") if isinstance(record.get("langs"), list) else []
    handle = author.get("handle")
    return _row(n, fmt, _flatten(post, skip=frozenset({"record.text", "author.avatar"})),
                post_id=uri or None, account=handle, account_id=author.get("did"),
                posted_at=record.get("createdAt") or post.get("indexedAt"), text=record.get("text"),
                likes=post.get("likeCount"), shares=_sum(post.get("repostCount"), post.get("quoteCount")),
                comments=post.get("replyCount"),
                url=f"https://bsky.app/profile/{handle or author.get('did')}/post/{rkey}" if rkey else None,
                lang=langs[0] if langs else None)


def _mastodon(n, r, users, fmt):
    if isinstance(r.get("reblog"), dict):
        return REPOST.format(what="Mastodon boost")
    account = r.get("account") if isinstance(r.get("account"), dict) else {}
    acct = _s(account.get("acct")) or ""
    if acct and "@" not in acct:
        host = re.match(r"https?://([^/]+)/", _s(account.get("url")) or _s(r.get("uri")) or "")
        acct = f"{acct}@{host.group(1)}" if host else acct
    text = html_to_text(r.get("content"))
    if _s(r.get("spoiler_text")) and text:
        text = f"{r['spoiler_text']}\n\n{text}"
    return _row(n, fmt, _flatten(r, skip=frozenset({"content", "account.note", "account.avatar", "account.header"})),
                post_id=r.get("uri") or r.get("id"), account=acct or None, account_id=account.get("id"),
                posted_at=r.get("created_at"), text=text, likes=r.get("favourites_count"),
                shares=_sum(r.get("reblogs_count"), r.get("quotes_count")), comments=r.get("replies_count"),
                url=r.get("url") or r.get("uri"), lang=r.get("language"))


_JSON_CONVERTERS: dict[str, Callable] = {
    "x_api_v2": _x_v2, "x_api_v1": _x_v1, "youtube_v3": _youtube, "tiktok_research": _tiktok,
    "reddit": _reddit, "bluesky": _bluesky, "mastodon": _mastodon,
}


def convert_json(path: Path, name: str) -> Converted:
    fmt = FORMATS[name]
    out = Converted(fmt.name, fmt.label)
    keys: dict[str, None] = {}
    layout_keys: set[str] = set()  # the top-level keys of the file's records of its own layout
    for n, record, users, error in _json_records(path):
        if error:
            out.bad.append((n, error, json.dumps({"record": str(record)[:10_000]})))
            continue
        if not isinstance(record, dict):
            out.bad.append((n, "record is not a JSON object", json.dumps({"record": _raw(record)})))
            continue
        keys.update(dict.fromkeys(record))
        seen = json_format(record)
        if seen is None and layout_keys and len(set(record) & layout_keys) >= max(2, len(record) // 2):
            # a record of this file's layout with a field missing (no created_utc, say): read it as such, so the
            # core step quarantines it for the field it lacks rather than as a stranger
            seen = name
        elif seen == name:
            layout_keys.update(record)
        if seen != name:
            what = FORMATS[seen].label if seen else "a record of no known layout"
            out.bad.append((n, f"record is {what}, not {fmt.label} like the rest of the file; "
                               "keep one layout per file", _raw(record)))
            continue
        try:
            result = _JSON_CONVERTERS[name](n, record, users, fmt)
        except (TypeError, AttributeError, ValueError) as e:  # a field of an unexpected type deep in the record
            result = f"record could not be read as {fmt.label} ({type(e).__name__}: {str(e)[:120]})"
        if isinstance(result, str):
            out.bad.append((n, result, _raw(record)))
        else:
            out.rows.append(result)
    out.keys = list(keys)
    return out


# --- table formats (CSV, xlsx) ----------------------------------------------------------------------------------

# native header -> our column, per format; names are compared by normalize_header (case, spaces, BOM)
ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "twarc2_csv": {
        "post_id": ("id",), "account": ("author.username",), "account_id": ("author_id",), "posted_at": ("created_at",),
        "text": ("text",), "lang": ("lang",), "likes": ("public_metrics.like_count",),
        "comments": ("public_metrics.reply_count",), "views": ("public_metrics.impression_count",),
        "retweets": ("public_metrics.retweet_count",), "quotes": ("public_metrics.quote_count",),
        "retweeted": ("referenced_tweets.retweeted.id",),
    },
    "meta_facebook": {
        "post_id": ("Post ID", "Publicerings-id"), "account_id": ("Page ID", "Sid-id"),
        "account": ("Page name", "Sidnamn"), "title": ("Title", "Titel"), "description": ("Description", "Beskrivning"),
        "posted_at": ("Publish time", "Publiceringstid"), "url": ("Permalink", "Permalänk"),
        "likes": ("Reactions", "Reaktioner"), "comments": ("Comments", "Kommentarer"), "shares": ("Shares", "Delningar"),
        "views": ("Views", "Impressions", "Visningar"), "date": ("Date", "Datum"),
    },
    "meta_instagram": {
        "post_id": ("Post ID", "Publicerings-id"), "account_id": ("Account ID", "Konto-id"),
        "account": ("Account username", "Kontots användarnamn"), "description": ("Description", "Beskrivning"),
        "posted_at": ("Publish time", "Publiceringstid"), "url": ("Permalink", "Permalänk"),
        "likes": ("Likes", "Gilla-markeringar"), "comments": ("Comments", "Kommentarer"),
        "shares": ("Shares", "Delningar"), "views": ("Views", "Visningar"), "date": ("Date", "Datum"),
    },
    "crowdtangle": {
        "account": ("User Name",), "account_id": ("Facebook Id",), "page": ("Page Name", "Group Name", "Account"),
        "posted_at": ("Post Created",), "message": ("Message",), "description": ("Description",),
        "title": ("Title",), "url": ("URL",), "comments": ("Comments",), "shares": ("Shares",),
        "views": ("Post Views", "Views"), "likes": ("Likes",), "love": ("Love",), "wow": ("Wow",), "haha": ("Haha",),
        "sad": ("Sad",), "angry": ("Angry",), "care": ("Care",),
    },
    "linkedin": {
        "title": ("Post title", "Update title"), "url": ("Post link", "Update link"),
        "posted_at": ("Created date", "Date"), "views": ("Impressions",), "likes": ("Likes", "Reactions"),
        "comments": ("Comments",), "shares": ("Reposts", "Shares"),
    },
}
# the headers that, all present, identify a format (normalized)
SIGNATURES = {
    "twarc2_csv": ("id", "text", "created_at", "author_id", "public_metrics.like_count"),
    "meta_facebook": ("post_id", "page_id", "publish_time"),
    "meta_instagram": ("post_id", "account_id", "publish_time"),
    "crowdtangle": ("post_created", "facebook_id"),
    "linkedin": ("post_link", "created_date"),
}
ALT_SIGNATURES = {
    "meta_facebook": ("publicerings_id", "sid_id", "publiceringstid"),
    "meta_instagram": ("publicerings_id", "konto_id", "publiceringstid"),
    "crowdtangle": ("post_created", "user_name", "url"),
    "linkedin": ("update_link", "created_date"),
}


def table_format(headers: list[str]) -> str | None:
    names = {normalize_header(h) for h in headers if h is not None}
    for name in SIGNATURES:
        if all(n in names for n in SIGNATURES[name]) or all(n in names for n in ALT_SIGNATURES.get(name, ("-",))):
            return name
    return None


def _header_row(rows: list[list]) -> int | None:
    """Index of the header among a table's first rows (LinkedIn puts a note above it)."""
    for i, row in enumerate(rows[:6]):
        if table_format([_s(c) or "" for c in row]) is not None:
            return i
    return None


# a post may be one very long field (the loader takes 1 MB posts whole); csv's default limit is 128 KiB
csv.field_size_limit(2**31 - 1)


def _csv_rows(path: Path) -> Iterator[list[str]]:
    with path.open("r", encoding="utf-8-sig", errors="replace", newline="") as f:
        sample = f.read(1 << 16)
        f.seek(0)
        first = sample.split("\n", 1)[0]
        delim = max((",", "\t", ";"), key=first.count)
        yield from csv.reader(f, delimiter=delim)


def _xlsx_rows(path: Path) -> Iterator[list]:
    from zipfile import BadZipFile

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (BadZipFile, KeyError, OSError, ValueError) as e:
        raise UnknownLayout(f"is not a readable xlsx workbook ({type(e).__name__}: {str(e)[:160]})") from None
    try:
        # the sheet of posts ("All posts"), not the daily "Metrics" sheet: the first whose header we recognise
        for sheet in workbook.worksheets:
            rows = sheet.iter_rows(values_only=True)
            head = [list(r) for _, r in zip(range(6), rows)]
            if _header_row(head) is not None:
                yield from head
                for r in rows:
                    yield list(r)
                return
        sheet = workbook.worksheets[0]
        for r in sheet.iter_rows(values_only=True):
            yield list(r)
    finally:
        workbook.close()


def table_rows(path: Path, suffix: str) -> Iterator[list]:
    return _xlsx_rows(path) if suffix == ".xlsx" else _csv_rows(path)


def first_table_rows(path: Path, suffix: str, n: int = 6) -> list[list]:
    return [row for _, row in zip(range(n), table_rows(path, suffix))]


def convert_table(path: Path, suffix: str, name: str, source_file: str) -> Converted:
    fmt = FORMATS[name]
    out = Converted(fmt.name, fmt.label)
    rows = table_rows(path, suffix)
    head: list[list] = []
    for row in rows:
        head.append(row)
        if len(head) >= 6 or _header_row(head) is not None:
            break
    at = _header_row(head)
    if at is None:
        raise UnknownLayout(f"{source_file}: no {fmt.label} header row found")
    headers = [_s(h) or "" for h in head[at]]
    out.keys = headers
    data = iter(head[at + 1:])
    positions = {normalize_header(h): i for i, h in reversed(list(enumerate(headers)))}
    column: dict[str, int] = {}
    for ours, natives in ALIASES[name].items():
        for native in natives:
            if normalize_header(native) in positions:
                column[ours] = positions[normalize_header(native)]
                break
    used = set(column.values())

    def get(row: list, ours: str):
        i = column.get(ours)
        return row[i] if i is not None and i < len(row) else None

    folder = Path(source_file).parent.name
    account_from_folder = folder if name == "linkedin" and Path(source_file).parent.as_posix() not in ("posts", ".") else None
    if name == "linkedin":
        out.notes.append(("day only", f"LinkedIn gives the day of a post, not the time: posts are placed at 12:00 "
                                      f"of that day in the page's time zone"))
    daily = False
    n = 0
    for row in _chain(data, rows):
        if all(_s(v) is None for v in row):
            continue
        n += 1
        record = {(headers[i] if i < len(headers) and headers[i] else f"(column {i + 1})"): _s(v)
                  for i, v in enumerate(row)}
        if len(row) > len(headers) and any(_s(v) is not None for v in row[len(headers):]):
            out.bad.append((n, f"row has {len(row)} fields, the header has {len(headers)}", _raw(record)))
            continue
        extra = {k: v for i, (k, v) in enumerate(record.items()) if i not in used and v is not None}
        extra = {k: v[:MAX_EXTRA_VALUE] for k, v in extra.items()}
        try:
            result = _TABLE_CONVERTERS[name](n, row, get, fmt, extra, account_from_folder)
        except (TypeError, AttributeError, ValueError) as e:
            result = f"row could not be read as {fmt.label} ({type(e).__name__}: {str(e)[:120]})"
        if name.startswith("meta_") and not daily:
            window = _s(get(row, "date"))
            daily = window is not None and window.strip().lower() not in ("lifetime", "livstid", "total")
        if isinstance(result, str):
            out.bad.append((n, result, _raw(record)))
        else:
            out.rows.append(result)
    if daily:
        reason = ("daily-breakdown export (one row per post per day, Date is a day, not Lifetime): its rows are not "
                  "post totals; export the per-post Lifetime file from Meta Business Suite instead")
        out.bad = sorted(out.bad + [(r["_row"], reason, json.dumps({"row": r["_row"]})) for r in out.rows])
        out.rows = []
    return out


def _chain(*iterators):
    for it in iterators:
        yield from it


_SCIENTIFIC = re.compile(r"\d(\.\d+)?[eE]\+?\d+")


def _id_problem(value, column: str) -> str | None:
    text = _s(value)
    if text and _SCIENTIFIC.fullmatch(text.strip()):
        return (f"{column} '{text[:30]}' was rounded by a spreadsheet (scientific notation), so it names no post; "
                "export the file again and do not open and save it in Excel")
    return None


def _twarc(n, row, get, fmt, extra, folder):
    if _s(get(row, "retweeted")):
        return REPOST.format(what="retweet")
    ident, user = _s(get(row, "post_id")), _s(get(row, "account"))
    return _row(n, fmt, extra, post_id=ident, account=user, account_id=get(row, "account_id"),
                posted_at=get(row, "posted_at"), text=get(row, "text"), likes=get(row, "likes"),
                shares=_sum(get(row, "retweets"), get(row, "quotes")), comments=get(row, "comments"),
                views=get(row, "views"), url=f"https://x.com/{user or 'i/web'}/status/{ident}" if ident else None,
                lang=get(row, "lang"))


def _meta(n, row, get, fmt, extra, folder):
    problem = _id_problem(get(row, "post_id"), "Post ID")
    if problem:
        return problem
    text = _s(get(row, "title")) or _s(get(row, "description"))
    if _s(get(row, "title")) and _s(get(row, "description")):
        extra = {**extra, "Description": _s(get(row, "description"))}
    return _row(n, fmt, extra, post_id=get(row, "post_id"), account=get(row, "account"),
                account_id=get(row, "account_id"), posted_at=_us_local(get(row, "posted_at")), time_zone=LOCAL,
                text=text, likes=get(row, "likes"), shares=get(row, "shares"), comments=get(row, "comments"),
                views=get(row, "views"), url=get(row, "url"))


def _crowdtangle(n, row, get, fmt, extra, folder):
    posted_at, problem = _crowdtangle_time(get(row, "posted_at"))
    if problem:
        return problem
    url = _s(get(row, "url"))
    # the post id is the last number of the post's URL (…/posts/<id>), as CrowdTangle exports carry no post id column
    ident = None
    if url:
        m = re.search(r"/(?:posts|videos|photos|permalink)/(?:[^/]+/)?(\d+)", url) or re.search(r"(\d{6,})/?$", url)
        ident = f"{_s(get(row, 'account_id')) or ''}_{m.group(1)}" if m else url
    text = _s(get(row, "message")) or _s(get(row, "description")) or _s(get(row, "title"))
    return _row(n, fmt, extra, post_id=ident, account=get(row, "account") or get(row, "page"),
                account_id=get(row, "account_id"), posted_at=posted_at, text=text,
                likes=_sum(*(get(row, k) for k in ("likes", "love", "wow", "haha", "sad", "angry", "care"))),
                shares=get(row, "shares"), comments=get(row, "comments"), views=get(row, "views"), url=url)


def _linkedin(n, row, get, fmt, extra, folder):
    url = _s(get(row, "url"))
    m = re.search(r"urn:li:(?:activity|share|ugcPost):(\d+)", url or "")
    if folder is None:
        return ("LinkedIn exports do not name the page: put the file in a folder named after the page "
                "(posts/<page>/file.xlsx) and fill linkedin_page in organizations.csv with that name")
    return _row(n, fmt, extra, post_id=m.group(0) if m else url, account=folder,
                posted_at=_us_local(get(row, "posted_at")), time_zone=LOCAL, text=get(row, "title"),
                likes=get(row, "likes"), shares=get(row, "shares"), comments=get(row, "comments"),
                views=get(row, "views"), url=url)


_TABLE_CONVERTERS = {"twarc2_csv": _twarc, "meta_facebook": _meta, "meta_instagram": _meta,
                     "crowdtangle": _crowdtangle, "linkedin": _linkedin}


# --- detection --------------------------------------------------------------------------------------------------


def detect(path: Path, suffix: str) -> str | None:
    """The native format of a (UTF-8) posts file, or None when it is in the contract layout. Raises UnknownLayout for
    a .json or .xlsx file that is neither."""
    suffix = suffix.lower()
    if suffix in (".json", ".jsonl", ".ndjson"):
        record = first_json_record(path)
        name = json_format(record) if isinstance(record, dict) else None
        if name is None and suffix == ".json":
            keys = ", ".join(list(record)[:20]) if isinstance(record, dict) else type(record).__name__
            raise UnknownLayout(f"is JSON of no layout we read (first record's keys: {keys or 'none'}); "
                                f"read are the contract and {', '.join(f.label for f in FORMATS.values())}")
        return name
    try:
        rows = first_table_rows(path, suffix)
    except csv.Error:
        return None  # not a table csv can split: the contract loader reads it and names the problem
    at = _header_row(rows)
    if at is not None:
        name = table_format([_s(c) or "" for c in rows[at]])
        return name
    if suffix == ".xlsx":
        found = ", ".join(_s(c) or "" for c in (rows[0] if rows else []))[:300]
        raise UnknownLayout(f"is a workbook of no layout we read (first row: {found or 'empty'}); "
                            "read are LinkedIn page content exports")
    return None


def convert(path: Path, suffix: str, name: str, source_file: str) -> Converted:
    if FORMATS[name].kind == "json":
        return convert_json(path, name)
    return convert_table(path, suffix.lower(), name, source_file)


def describe(converted: Converted) -> str:
    return f"{converted.label}: {len(converted.rows):,} rows, {len(converted.bad):,} quarantined"


def as_csv(rows: list[dict]) -> str:
    """Converted rows as contract CSV (for check-inputs and debugging)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(COLUMNS), extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()
