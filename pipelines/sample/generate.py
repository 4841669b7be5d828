"""Synthetic posts by synthetic healthcare organizations, written in chunks in the input contract.

Pure numpy/pyarrow, no Dagster: `python -m pipelines.sample.generate --posts N --orgs K --seed S --out DIR`.
Everything is drawn from seeded generators, so the same arguments give the same bytes. The vocabulary and templates
live in pipelines/sample/texts.py; labelled_posts() gives the same posts with each one's true theme and risk kind.
`--shape social` writes the same posts reshaped as social feeds look: longer texts, more emoji and links, and 30%
replies (an `in_reply_to` column and text opening with the @handle answered); the default shape is unchanged.
"""

from __future__ import annotations

import argparse
import calendar
import json
import math
import re
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from pipelines.sample.texts import (
    CLOSERS, DERIVED_SLOTS, EMOJIS, HANDLE_FIRST, HANDLE_SECOND, HASHTAGS, LINK_SECTION, LINK_WORDS, MONTHS, MONTHS_ES,
    NUMBERS, OPENERS, POOLS_EN, POOLS_ES, POOLS_RISK, REPLY_LEADS, RISK_KINDS, RISK_TEMPLATES, SOCIAL_EMOJIS,
    SOCIAL_HASHTAGS, SOCIAL_LINKS, SOCIAL_SENTENCES, TEMPLATES, WEEKDAYS, WEEKDAYS_ES,
)

PLATFORMS = ("facebook", "twitter", "instagram", "linkedin", "youtube", "tiktok", "threads")
FACEBOOK, TWITTER, INSTAGRAM, LINKEDIN, YOUTUBE, TIKTOK, THREADS = range(len(PLATFORMS))
ORG_TYPES = (
    "hospital", "health_system", "clinic", "pharma", "insurer", "public_health_agency",
    "professional_association", "health_media", "other",
)
THEMES = (
    "networking", "education_research", "promotion_events", "patient_communication", "public_health", "recruitment",
)
MOODS = ("pos", "neu", "neg")
SEASONS = ("none", "winter", "summer", "covid")
FORMATS = ("csv", "jsonl", "parquet")
POST_COLUMNS = (
    "post_id", "platform", "org_id", "posted_at", "text", "likes", "shares", "comments", "views", "url", "lang",
)
POST_SCHEMA = pa.schema([
    (c, pa.int64() if c in ("likes", "shares", "comments", "views") else pa.string()) for c in POST_COLUMNS
])
SHAPES = ("default", "social")
REPLY_COLUMN = "in_reply_to"  # the social shape's extra column: the id of the post replied to, empty if none
SOCIAL_SCHEMA = POST_SCHEMA.append(pa.field(REPLY_COLUMN, pa.string()))
ORG_SCHEMA = pa.schema([(c, pa.string()) for c in ("org_id", "org_name", "org_type", "country", "region")])
# Rows are drawn in fixed blocks so the content does not depend on rows_per_file; memory is bounded by a block.
BLOCK_ROWS = 50_000
MIN_TEMPLATE_CAPACITY = 10_000_000  # every template has this many distinct fillings: texts stay unique at 10M
_STRIDE = 2_147_483_647  # prime above every slot size, so k -> STRIDE*k + b is a bijection modulo any capacity
X_RENAME = date(2023, 8, 1)  # exports say "Twitter" before this day and "X" from it
X_VIEWS_FROM = date(2022, 12, 22)  # view counts appeared on tweets that day
PLATFORM_SPELLINGS = {
    "facebook": (("Facebook", 0.86), ("facebook", 0.10), ("FACEBOOK", 0.04)),
    "twitter": (("Twitter", 0.90), ("twitter", 0.10)),
    "x": (("X", 0.92), ("x", 0.04), ("Twitter/X", 0.04)),
    "instagram": (("Instagram", 0.90), ("instagram", 0.10)),
    "linkedin": (("LinkedIn", 0.85), ("Linkedin", 0.10), ("linkedin", 0.05)),
    "youtube": (("YouTube", 0.80), ("Youtube", 0.15), ("youtube", 0.05)),
    "tiktok": (("TikTok", 0.85), ("Tiktok", 0.10), ("tiktok", 0.05)),
    "threads": (("Threads", 0.90), ("threads", 0.10)),
}

# ---------------------------------------------------------------------------------------------------------------
# Organizations
# ---------------------------------------------------------------------------------------------------------------
PLACES = (
    "Riverside", "Maple Valley", "Cedar Hill", "Lakeshore", "North Harbor", "Pine Ridge", "Silver Creek",
    "Oak Meadow", "Willow Bend", "Stonebridge", "Clearwater Bay", "Highland Park", "Eastbrook", "Westfield Plains",
    "Sunnyvale Heights", "Granite Falls", "Bluewater", "Fox Hollow", "Aspen Grove", "Red Rock Valley",
    "Harborview", "Meadowbrook", "Summit Ridge", "Brookhaven", "Golden Prairie", "Misty Pines", "Copper Canyon",
    "Elmwood", "Birch Lake", "Seaside", "Ironwood", "Prairie View", "Kingsbridge", "Twin Rivers", "Hawthorne",
    "Juniper Springs", "Larkspur", "Marble Hill", "Northgate", "Quail Run",
)
PLACES_ES = (
    "Valle Verde", "Río Claro", "Monte Alto", "Villa Serena", "Puerto Azul", "Sierra Blanca", "Campo Florido",
    "Arroyo Seco", "Loma Bonita", "Costa Dorada", "Santa Brisa", "Llano Grande",
)
NAME_PATTERNS = {
    "hospital": ("{} Community Hospital", "{} General Hospital", "{} Children's Hospital",
                 "{} Regional Medical Center"),
    "health_system": ("{} Health", "{} Health System", "{} Healthcare Network", "{} Medical Alliance"),
    "clinic": ("{} Family Clinic", "{} Medical Group", "{} Urgent Care", "{} Community Health Center"),
    "pharma": ("{} Pharmaceuticals", "{} Biotherapeutics", "{} Life Sciences", "{} Vaccines"),
    "insurer": ("{} Health Plan", "{} Mutual Health Insurance", "{} Care Assurance", "{} Health Cooperative"),
    "public_health_agency": ("{} County Public Health", "{} Department of Health", "{} Public Health Authority"),
    "professional_association": ("{} Medical Society", "{} Nurses Association", "{} Academy of Family Physicians",
                                 "{} Pharmacists Association"),
    "health_media": ("{} Health News", "Health Matters {}", "{} Medical Daily", "The {} Health Report"),
    "other": ("{} Wellness Foundation", "{} Health Tech Labs", "{} Patient Advocacy Network", "{} Caregivers Alliance"),
}
NAME_PATTERNS_ES = {
    "hospital": ("Hospital Comunitario {}", "Hospital General {}"),
    "health_system": ("Red de Salud {}", "Sistema de Salud {}"),
    "clinic": ("Clínica Familiar {}", "Centro Médico {}"),
    "pharma": ("Laboratorios {}",),
    "insurer": ("Seguros de Salud {}",),
    "public_health_agency": ("Salud Pública {}", "Secretaría de Salud {}"),
    "professional_association": ("Colegio Médico {}", "Asociación de Enfermería {}"),
    "health_media": ("Noticias de Salud {}",),
    "other": ("Fundación Bienestar {}",),
}
COUNTRIES = (  # country, region, share of orgs, possible UTC offsets (hours)
    ("US", "North America", 0.70, (-5, -6, -7, -8)),
    ("GB", "Europe", 0.11, (0,)),
    ("CA", "North America", 0.07, (-5, -8)),
    ("ES", "Europe", 0.04, (1,)),
    ("MX", "Latin America", 0.05, (-6,)),
    ("AU", "Oceania", 0.03, (10,)),
)
TYPE_SHARE = (0.24, 0.12, 0.15, 0.08, 0.07, 0.10, 0.08, 0.07, 0.09)
TYPE_RATE = (1.0, 1.4, 0.5, 0.8, 0.6, 1.2, 0.7, 1.5, 0.5)  # posting intensity before the heavy-tailed draw
TYPE_FOLLOWERS = (12_000, 60_000, 1_500, 90_000, 35_000, 25_000, 15_000, 80_000, 4_000)  # median audience
# Probability that an org of each type (rows) ever adopts each platform (columns, PLATFORMS order).
ADOPT_PROB = np.array([
    [0.97, 0.85, 0.75, 0.85, 0.60, 0.25, 0.25],
    [0.98, 0.90, 0.85, 0.95, 0.80, 0.35, 0.35],
    [0.90, 0.40, 0.60, 0.35, 0.25, 0.15, 0.10],
    [0.80, 0.85, 0.60, 0.95, 0.75, 0.20, 0.30],
    [0.90, 0.75, 0.55, 0.90, 0.55, 0.20, 0.25],
    [0.95, 0.90, 0.60, 0.45, 0.60, 0.40, 0.30],
    [0.85, 0.90, 0.50, 0.90, 0.50, 0.15, 0.30],
    [0.95, 0.95, 0.85, 0.70, 0.85, 0.55, 0.45],
    [0.80, 0.60, 0.55, 0.60, 0.40, 0.25, 0.20],
])
ADOPT_WINDOW = {  # first and last possible adoption day per platform: Facebook/Twitter early, TikTok and Threads late
    "facebook": ("2009-01-01", "2019-12-31"), "twitter": ("2010-01-01", "2020-12-31"),
    "instagram": ("2013-01-01", "2022-12-31"), "linkedin": ("2011-01-01", "2023-12-31"),
    "youtube": ("2009-01-01", "2024-06-30"), "tiktok": ("2019-01-01", "2025-06-30"),
    "threads": ("2023-07-06", "2025-06-30"),
}
LEAVE_X_PROB, LEAVE_X_WINDOW = 0.2, ("2023-08-01", "2025-09-30")  # some organizations stopped posting on X
RECRUITING_TYPES = ("hospital", "health_system", "pharma", "insurer", "professional_association")
PLATFORM_VOLUME = np.array([1.0, 1.3, 0.6, 0.5, 0.12, 0.3, 0.35])  # posts per active day, relative
PLATFORM_AUDIENCE = np.array([1.0, 0.6, 0.35, 0.5, 0.15, 0.4, 0.12])
LIKE_RATE = np.array([0.0025, 0.001, 0.012, 0.004, 0.006, 0.03, 0.004])  # likes per follower per post
SHARE_RATIO = np.array([0.15, 0.25, 0.03, 0.08, 0.05, 0.08, 0.05])
COMMENT_RATIO = np.array([0.06, 0.05, 0.04, 0.05, 0.06, 0.03, 0.08])
VIEW_RATIO = np.array([0.0, 60.0, 35.0, 0.0, 40.0, 80.0, 0.0])
INSTAGRAM_VIDEO_SHARE = 0.35  # only video posts report views on Instagram
# How often each type posts on each theme (rows ORG_TYPES, columns THEMES).
THEME_BY_TYPE = np.array([
    [1.0, 1.0, 1.5, 1.6, 1.0, 1.2],
    [1.2, 1.2, 1.5, 1.4, 1.0, 1.5],
    [0.5, 0.6, 1.4, 2.0, 1.0, 0.8],
    [1.0, 2.0, 1.0, 0.6, 0.8, 1.3],
    [0.8, 0.8, 1.2, 1.5, 1.2, 1.0],
    [0.5, 1.0, 0.6, 0.8, 3.5, 0.5],
    [2.5, 1.8, 1.2, 0.3, 0.8, 0.8],
    [0.5, 2.5, 0.6, 0.4, 2.0, 0.2],
    [1.0, 1.0, 1.2, 0.8, 1.0, 0.8],
])
THEME_BY_PLATFORM = np.ones((len(PLATFORMS), len(THEMES)))
THEME_BY_PLATFORM[LINKEDIN] = (2.0, 1.0, 0.8, 0.3, 0.6, 3.0)  # LinkedIn: networking and recruitment
THEME_BY_PLATFORM[YOUTUBE] = (0.6, 2.0, 1.0, 1.0, 1.2, 0.5)  # YouTube: education
THEME_BY_PLATFORM[TIKTOK] = (0.5, 1.2, 1.0, 0.8, 1.3, 0.6)  # TikTok
THEME_BY_PLATFORM[INSTAGRAM] = (1.0, 0.8, 1.3, 1.0, 1.0, 0.8)  # Instagram: promotion
THEME_LIKES = np.array([1.1, 0.8, 1.0, 0.9, 1.2, 0.5])
THEME_SHARES = np.array([1.0, 1.0, 1.2, 1.0, 2.0, 1.5])
MOOD_LIKES = np.array([1.4, 1.0, 0.7])
MOOD_COMMENTS = np.array([1.0, 0.8, 3.0])  # bad news draws replies
# Risky posts (pipelines/sample/texts.py RISK_TEMPLATES): "none" and "org_contact" posts are drawn by theme.
RISKS = ("none", "org_contact", *RISK_KINDS)
# Share of an average organization's posts of each risk kind outside bursts, in RISK_KINDS order. With the bursts
# (about 0.7% of posts at 40 orgs) the totals come to about 0.3% patient information in six kinds, 0.5% unsourced
# claims, 0.3% sourced claims and 0.2% unprofessional posts.
RISK_RATE = np.array([0.00035] * 6 + [0.004, 0.003, 0.0008])
RISK_ORG_SIGMA = 0.8  # lognormal spread of risk between organizations: a few careless accounts post most of it
RISK_MONTH_SHAPE = 0.7  # gamma shape of month-to-month variation (mean 1): risky posts cluster in some months
RISK_CAP = 0.5  # no org-month posts more than half of its posts as risky
# Bursts: one organization in one month posts BURST_EXTRA times its usual volume on top, mostly bad news and risk.
BURST_EXTRA = 6.0
BURST_RISKY, BURST_NEGATIVE = 0.5, 0.4  # shares of burst posts; the rest are ordinary
BURST_RISK_RATE = np.array([0.05] * 6 + [0.3, 0.0, 0.4])  # kinds of the burst's risky posts, RISK_KINDS order
BURST_TYPES = ("hospital", "health_system", "clinic")  # the recent burst hits a care provider
N_PHI_KINDS = sum(k.startswith("phi_") for k in RISK_KINDS)  # the patient-information kinds come first
# Templates are filled slot by slot; a template that opens with its own label takes no opener.
SLOT = re.compile(r"\{(\w+)\}")
LABELLED = re.compile(r"^[^.!?:]{1,45}: ")


@dataclass
class _Compiled:
    """A template split into literals and slot pools, with its capacity (distinct fillings)."""
    theme: int
    mood: int
    lang: str
    weight: float
    season: int
    risk: int                  # index into RISKS
    literals: list[str]
    slots: list[str]           # one per gap between literals: pool name or derived-slot name
    radices: list[int]         # pool sizes of the counted slots, in slot order (derived slots excluded)
    capacity: int


def _pool(name: str, lang: str, mood: str) -> tuple[str, ...]:
    if name == "opener":
        return OPENERS[(lang, mood)]
    if name == "closer":
        return CLOSERS[(lang, mood)]
    return tuple(NUMBERS.get(name) or POOLS_EN.get(name) or POOLS_ES.get(name) or POOLS_RISK[name])


def compile_templates() -> tuple[list[_Compiled], dict[tuple[str, str, str], pa.Array]]:
    """Split every template into literals and slots; return them with the pyarrow pools they draw from."""
    compiled, pools = [], {}
    for t in TEMPLATES + RISK_TEMPLATES:
        # A template that opens with its own label ("Study update: ...") takes no opener in front of it; risky posts
        # are written in one voice, without the account's usual openers and closers.
        if t.risk in RISK_KINDS:
            text = t.text
        else:
            text = ("" if LABELLED.match(t.text) else "{opener}") + t.text + "{closer}"
        parts = SLOT.split(text)  # literal, slot, literal, slot, ..., literal
        literals, slots, radices = parts[0::2], parts[1::2], []
        for name in slots:
            if name in DERIVED_SLOTS:
                continue
            key = (name, t.lang, t.mood) if name in ("opener", "closer") else (name, "", "")
            if key not in pools:
                values = _pool(name, t.lang, t.mood)
                if len(set(values)) != len(values):
                    raise ValueError(f"pool {name!r} has repeated values: texts would stop being unique")
                pools[key] = pa.array(values, pa.string())
            radices.append(len(pools[key]))
        capacity = math.prod(radices)
        if capacity < MIN_TEMPLATE_CAPACITY or capacity >= 2**62:
            raise ValueError(f"template capacity {capacity:,} out of range: {t.text!r}")
        compiled.append(_Compiled(THEMES.index(t.theme), MOODS.index(t.mood), t.lang, t.weight,
                                  SEASONS.index(t.season), RISKS.index(t.risk), literals, slots, radices, capacity))
    return compiled, pools


# ---------------------------------------------------------------------------------------------------------------
# The model: organizations, platform adoption and the day grid, all drawn once from the seed
# ---------------------------------------------------------------------------------------------------------------
def _day(s: str | date) -> np.datetime64:
    return np.datetime64(s if isinstance(s, str) else s.isoformat(), "D")


def _year_fraction(days: np.ndarray) -> np.ndarray:
    return 1970 + days.astype("int64") / 365.2425


def _season_curves(days: np.ndarray) -> np.ndarray:
    """Multipliers per season kind (SEASONS order) for each day: flu peaks in winter, heat in summer."""
    doy = (days - days.astype("datetime64[Y]")).astype("int64")
    winter = np.exp(1.2 * np.cos(2 * np.pi * (doy - 340) / 365.25))
    summer = np.exp(1.2 * np.cos(2 * np.pi * (doy - 196) / 365.25))
    covid = np.select(
        [days < _day("2020-03-01"), days < _day("2022-01-01"), days < _day("2023-06-01")], [0.0, 3.0, 1.0], 0.4)
    return np.stack([np.ones(len(days)), winter, summer, covid])


def _day_weights(days: np.ndarray) -> np.ndarray:
    """Posting intensity per platform and day: weekends, holidays, summer lull, growth, platform trends."""
    weekday = (days.astype("int64") + 3) % 7  # 1970-01-01 was a Thursday; Monday is 0
    month = days.astype("datetime64[M]").astype("int64") % 12 + 1
    dom = (days - days.astype("datetime64[M]")).astype("int64") + 1
    year = _year_fraction(days)
    base = np.where(weekday >= 5, 0.42, 1.0)
    base *= np.where(((month == 12) & (dom >= 24)) | ((month == 1) & (dom == 1)), 0.55, 1.0)
    base *= np.where((month == 7) | (month == 8), 0.9, 1.0)
    base *= 1.0 + 0.07 * np.clip(year - 2016, 0, None)
    base *= np.where((days >= _day("2020-03-01")) & (days < _day("2021-01-01")), 1.3, 1.0)  # pandemic surge
    after = lambda y0: np.clip(year - y0, 0, None)  # noqa: E731 - years since y0, floored at zero
    trend = np.stack([
        1.0 - 0.05 * after(2020),                                   # facebook: slow decline
        np.where(days >= _day("2022-11-01"), 0.6, 1.0),             # twitter/X: drop after the takeover
        np.minimum(0.6 + 0.1 * after(2016), 1.4),                   # instagram
        np.minimum(0.6 + 0.1 * after(2016), 1.5),                   # linkedin
        np.ones(len(days)),                                         # youtube
        0.5 + 0.25 * after(2019),                                   # tiktok
        np.ones(len(days)),                                         # threads
    ])
    return base[None, :] * trend


def _theme_time(days: np.ndarray, seasons: np.ndarray) -> np.ndarray:
    """Theme multipliers per day (days x THEMES): public health in winter and in the pandemic, fewer events in 2020."""
    out = np.ones((len(days), len(THEMES)))
    out[:, 4] = 0.6 + 0.25 * seasons[1] + 0.8 * seasons[3]
    out[:, 2] = np.where((days >= _day("2020-03-15")) & (days < _day("2021-04-01")), 0.5, 1.0)
    out[:, 5] = np.where((days >= _day("2021-06-01")) & (days < _day("2023-06-01")), 1.4, 1.0)  # staffing shortage
    return out


@dataclass
class Orgs:
    table: pa.Table            # organizations.csv
    type_idx: np.ndarray       # index into ORG_TYPES
    recruiting: np.ndarray     # recruitment-heavy employers: more likely on LinkedIn and posting more there
    tz_hours: np.ndarray       # fixed UTC offset used for posting hours and local-time exports
    es_share: np.ndarray       # share of posts in Spanish
    rate: np.ndarray           # posting intensity
    followers: np.ndarray      # audience per platform (orgs x platforms)
    adopt: np.ndarray          # first day on each platform (datetime64[D]), NaT if never
    leave: np.ndarray          # last day + 1 on each platform, NaT if still active


def _org_names(rng: np.random.Generator, types: np.ndarray, spanish: np.ndarray) -> list[str]:
    """Names from invented places, each place used once while they last; a number keeps later names distinct."""
    places = {False: list(rng.permutation(PLACES)), True: list(rng.permutation(PLACES_ES))}
    names: list[str] = []
    for t, es in zip(types, spanish.tolist()):
        patterns = (NAME_PATTERNS_ES if es else NAME_PATTERNS)[ORG_TYPES[t]]
        pool = places[es]
        place = pool.pop(0) if pool else str(rng.choice(PLACES_ES if es else PLACES))
        name = str(rng.choice(patterns)).format(place)
        names.append(name if name not in names else f"{name} {len(names) + 1}")
    return names


def make_orgs(k: int, seed: int) -> Orgs:
    """K synthetic organizations: every org type once (when K >= 9), heavy-tailed posting rates, adoption dates."""
    if k < 1:
        raise ValueError("need at least one organization")
    rng = np.random.default_rng([seed, 1])
    types = np.concatenate([rng.permutation(len(ORG_TYPES)), rng.choice(len(ORG_TYPES), max(0, k - 9), p=TYPE_SHARE)])
    types = rng.permutation(types[:k]) if k > 9 else types[:k]
    country_idx = rng.choice(len(COUNTRIES), k, p=[c[2] for c in COUNTRIES])
    tz = np.array([rng.choice(COUNTRIES[c][3]) for c in country_idx])
    spanish = np.isin([COUNTRIES[c][0] for c in country_idx], ["ES", "MX"])
    us, health_dept = country_idx == 0, types == ORG_TYPES.index("public_health_agency")
    es_share = np.where(spanish, 0.92, np.where(us, np.where(health_dept, 0.18, 0.04), 0.0))
    rate = np.array(TYPE_RATE)[types] * np.minimum(1 + rng.pareto(2.0, k), 8)
    followers = (np.array(TYPE_FOLLOWERS)[types] * rng.lognormal(0, 0.9, k))[:, None] * PLATFORM_AUDIENCE[None, :]
    followers *= rng.lognormal(0, 0.5, followers.shape)

    prob = ADOPT_PROB[types].copy()
    recruiting = np.isin(types, [ORG_TYPES.index(t) for t in RECRUITING_TYPES])
    prob[:, LINKEDIN] = np.where(recruiting, prob[:, LINKEDIN], prob[:, LINKEDIN] * 0.6)
    adopted = rng.random(prob.shape) < prob
    adopted[~adopted.any(axis=1), FACEBOOK] = True  # every org is on at least Facebook
    for p in range(len(PLATFORMS)):
        if not adopted[:, p].any():  # every platform has at least one organization on it
            adopted[int(np.argmax(rate)), p] = True
    adopt = np.full(adopted.shape, np.datetime64("NaT"), "datetime64[D]")
    for p, name in enumerate(PLATFORMS):
        lo, hi = (_day(d) for d in ADOPT_WINDOW[name])
        draw = lo + rng.integers(0, int((hi - lo).astype(int)) + 1, k)
        adopt[:, p] = np.where(adopted[:, p], draw, np.datetime64("NaT"))
    leave = np.full(adopted.shape, np.datetime64("NaT"), "datetime64[D]")
    lo, hi = (_day(d) for d in LEAVE_X_WINDOW)
    leaves = adopted[:, TWITTER] & (rng.random(k) < LEAVE_X_PROB)
    leave[:, TWITTER] = np.where(leaves, lo + rng.integers(0, int((hi - lo).astype(int)) + 1, k), np.datetime64("NaT"))

    names = _org_names(rng, types, spanish)
    width = max(4, len(str(k)))
    table = pa.table({
        "org_id": [f"org-{i + 1:0{width}d}" for i in range(k)],
        "org_name": [f"{n} (synthetic)" for n in names],
        "org_type": [ORG_TYPES[t] for t in types],
        "country": [COUNTRIES[c][0] for c in country_idx],
        "region": [COUNTRIES[c][1] for c in country_idx],
    }, schema=ORG_SCHEMA)
    return Orgs(table, types, recruiting, tz, es_share, rate, followers, adopt, leave)


class PostModel:
    """Everything fixed for a run: orgs, the day grid, sampling tables and compiled templates."""

    def __init__(self, orgs: Orgs, start: date, end: date, seed: int, shape: str = "default"):
        if end < start:
            raise ValueError("end is before start")
        if shape not in SHAPES:
            raise ValueError(f"shape must be one of {SHAPES}, not {shape!r}")
        self.orgs, self.start, self.seed, self.shape = orgs, _day(start), seed, shape
        self.schema = SOCIAL_SCHEMA if shape == "social" else POST_SCHEMA
        self.days = np.arange(self.start, _day(end) + 1)
        n_days, n_plat = len(self.days), len(PLATFORMS)
        self.seasons = _season_curves(self.days)
        self.theme_time = _theme_time(self.days, self.seasons)
        weights = _day_weights(self.days)
        cum = np.concatenate([np.zeros((n_plat, 1)), np.cumsum(weights, axis=1)], axis=1)  # platforms x (days+1)
        offsets = np.concatenate([[0.0], np.cumsum(cum[:, -1])[:-1]])
        self.flat_cum = (cum[:, 1:] + offsets[:, None]).ravel()  # one increasing array over (platform, day)

        # Each (org, platform) pair's active window [a, b) in day indices, and the posting mass inside it.
        to_idx = lambda d, default: np.where(np.isnat(d), default, (d - self.start).astype("int64"))  # noqa: E731
        a = np.clip(to_idx(orgs.adopt, n_days), 0, n_days)
        b = np.clip(to_idx(orgs.leave, n_days), 0, n_days)
        b = np.maximum(a, b)
        plat = np.broadcast_to(np.arange(n_plat), a.shape)
        self.lo = cum[plat, a] + offsets[plat]
        self.hi = cum[plat, b] + offsets[plat]
        volume = np.tile(PLATFORM_VOLUME, (len(orgs.rate), 1))
        volume[orgs.recruiting, LINKEDIN] *= 2.0
        volume[orgs.type_idx == ORG_TYPES.index("health_media"), YOUTUBE] *= 2.0
        pair_w = (orgs.rate[:, None] * volume * (self.hi - self.lo)).ravel()
        if pair_w.sum() <= 0:
            raise ValueError("no organization is active on any platform in the date range")
        self.pair_cum = np.cumsum(pair_w) / pair_w.sum()
        self.adopt_idx = to_idx(orgs.adopt, 0)

        # Risk: per (org, month) multipliers of RISK_RATE with a volume-weighted mean of 1, and the bursts.
        months = self.days.astype("datetime64[M]")
        self.month_of_day = (months - months[0]).astype(np.int64)
        month_starts = np.searchsorted(self.month_of_day, np.arange(self.month_of_day[-1] + 2))  # day index per month
        rrng = np.random.default_rng([seed, 4])
        org_mass = pair_w.reshape(a.shape).sum(axis=1)
        org_risk = rrng.lognormal(0, RISK_ORG_SIGMA, len(org_mass))
        org_risk /= (org_risk * org_mass).sum() / org_mass.sum()
        month_risk = rrng.gamma(RISK_MONTH_SHAPE, 1 / RISK_MONTH_SHAPE, (len(org_mass), len(month_starts) - 1))
        self.risk_mult = org_risk[:, None] * month_risk
        rate_w = orgs.rate[:, None] * volume
        self.bursts = _bursts(rrng, orgs, rate_w, a, b, cum, offsets, month_starts)
        extra = np.array([burst.mass for burst in self.bursts])
        self.burst_cum = np.cumsum(extra) / (pair_w.sum() + extra.sum())  # share of rows moved into each burst

        self.templates, self.pools = compile_templates()
        trng = np.random.default_rng([seed, 3])
        # The offset makes the texts depend on the seed; the stride scatters consecutive fillings.
        self.text_offsets = [int(trng.integers(0, t.capacity)) for t in self.templates]
        self.counters = np.zeros(len(self.templates), dtype=np.int64)  # fillings used so far, per template
        self.phi_posts = 0  # patient-information posts drawn so far: their kinds rotate
        for column in ("theme", "mood", "risk"):
            setattr(self, f"template_{column}", np.array([getattr(t, column) for t in self.templates]))
        self.template_es = np.array([t.lang == "es" for t in self.templates])
        self.groups, self.risk_groups, self.negative = {}, {}, {}
        for i, t in enumerate(self.templates):
            if RISKS[t.risk] in RISK_KINDS:
                self.risk_groups.setdefault((RISK_KINDS.index(RISKS[t.risk]), t.lang), []).append(i)
                continue
            self.groups.setdefault((t.theme, t.lang), []).append(i)
            if MOODS[t.mood] == "neg":
                self.negative.setdefault(t.lang, []).append(i)
        self.event_days = _event_day_pools()
        self.extras = _extra_pools()
        self.social = _social_pools() if shape == "social" else None


@dataclass
class _Burst:
    org: int
    month: int                 # month index from the start month
    platforms: np.ndarray      # the org's platforms active that month
    platform_cum: np.ndarray   # cumulative posting mass over those platforms
    lo: np.ndarray             # the month's span in flat_cum, per platform
    hi: np.ndarray
    mass: float                # extra posting mass (BURST_EXTRA times the org's usual mass that month)


def _bursts(rng, orgs: Orgs, rate_w, a, b, cum, offsets, month_starts) -> list[_Burst]:
    """A recent burst (the month before the last, so it is among the last three months the alerts look at) at the
    busiest care provider, and an earlier one at an org drawn by volume in a month drawn from the middle third."""
    n_months = len(month_starts) - 1
    if n_months < 3:
        return []
    plat = np.broadcast_to(np.arange(len(PLATFORMS)), a.shape)

    def mass_in(month: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        m0, m1 = month_starts[month], month_starts[month + 1]
        lo_i, hi_i = np.clip(a, m0, m1), np.clip(b, m0, m1)
        hi_i = np.maximum(lo_i, hi_i)
        lo_flat, hi_flat = cum[plat, lo_i] + offsets[plat], cum[plat, hi_i] + offsets[plat]
        return rate_w * (cum[plat, hi_i] - cum[plat, lo_i]), lo_flat, hi_flat

    out = []
    for month, pick_org in ((n_months - 2, "busiest"), (int(rng.integers(n_months // 3, 2 * n_months // 3)), "drawn")):
        mass, lo, hi = mass_in(month)
        per_org = mass.sum(axis=1)
        if per_org.sum() <= 0:
            continue
        if pick_org == "busiest":
            care = np.isin(orgs.type_idx, [ORG_TYPES.index(t) for t in BURST_TYPES]) & (per_org > 0)
            org = int(np.argmax(np.where(care, per_org, -1.0))) if care.any() else int(np.argmax(per_org))
        else:
            org = int(np.searchsorted(np.cumsum(per_org) / per_org.sum(), rng.random(), side="right"))
        active = np.flatnonzero(mass[org] > 0)
        out.append(_Burst(org, month, active, np.cumsum(mass[org, active]), lo[org, active], hi[org, active],
                          BURST_EXTRA * float(per_org[org])))
    return out


def _event_day_pools() -> dict[str, pa.Array]:
    """'Saturday, March 14' for every weekday x month x day, indexed (weekday * 12 + month - 1) * 31 + day - 1."""
    en, es = [], []
    for wd in range(7):
        for m in range(12):
            for d in range(1, 32):
                en.append(f"{WEEKDAYS[wd]}, {MONTHS[m]} {d}")
                es.append(f"{WEEKDAYS_ES[wd]} {d} de {MONTHS_ES[m]}")
    return {"event_day": pa.array(en), "event_day_es": pa.array(es)}


def _extra_pools() -> dict:
    """Hashtags per (lang, theme), emoji per mood: one flat pool each with '' at 0 and offsets per group."""
    tags, tag_off, tag_len = [""], np.zeros((2, len(THEMES)), np.int64), np.zeros((2, len(THEMES)), np.int64)
    for li, lang in enumerate(("en", "es")):
        for ti, theme in enumerate(THEMES):
            values = HASHTAGS[(lang, theme)]
            tag_off[li, ti], tag_len[li, ti] = len(tags), len(values)
            tags.extend(" " + v for v in values)
    emo, emo_off, emo_len = [""], [], []
    for mood in MOODS:
        emo_off.append(len(emo))
        emo_len.append(len(EMOJIS[mood]))
        emo.extend(" " + v for v in EMOJIS[mood])
    return {"tags": pa.array(tags), "tag_off": tag_off, "tag_len": tag_len, "emoji": pa.array(emo),
            "emo_off": np.array(emo_off), "emo_len": np.array(emo_len),
            "section": pa.array(LINK_SECTION), "word": pa.array(LINK_WORDS)}


# ---------------------------------------------------------------------------------------------------------------
# One block of posts
# ---------------------------------------------------------------------------------------------------------------
def _pick(cum_weights: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Row-wise categorical draw: cum_weights is rows x k (cumulative, unnormalised), u uniform per row."""
    return (cum_weights < (u * cum_weights[:, -1])[:, None]).sum(axis=1)


def _pacific_offset_hours(ts: np.ndarray, years: range) -> np.ndarray:
    """US Pacific UTC offset (-7 in daylight time, -8 otherwise) for epoch seconds: Meta exports in Pacific time."""
    starts, ends = [], []
    for y in years:
        march = date(y, 3, 8) + timedelta(days=(6 - date(y, 3, 8).weekday()) % 7)  # second Sunday of March
        nov = date(y, 11, 1) + timedelta(days=(6 - date(y, 11, 1).weekday()) % 7)  # first Sunday of November
        starts.append(calendar.timegm((y, march.month, march.day, 10, 0, 0)))  # 2 a.m. PST is 10:00 UTC
        ends.append(calendar.timegm((y, nov.month, nov.day, 9, 0, 0)))  # 2 a.m. PDT is 09:00 UTC
    starts, ends = np.array(starts), np.array(ends)
    i = np.searchsorted(starts, ts, side="right") - 1
    dst = (i >= 0) & (ts < ends[np.clip(i, 0, None)])
    return np.where(dst, -7, -8)


def _fill_texts(model: PostModel, rng: np.random.Generator, tmpl: np.ndarray, day_idx: np.ndarray) -> pa.Array:
    """Each row's text: template slots filled from the row's counter, so no two rows get the same filling."""
    n = len(tmpl)
    counts = np.bincount(tmpl, minlength=len(model.templates))
    order = np.argsort(tmpl, kind="stable")
    starts = np.cumsum(counts) - counts
    k = np.empty(n, np.int64)
    k[order] = model.counters[tmpl[order]] + (np.arange(n) - starts[tmpl[order]])
    model.counters += counts
    event = model.start + day_idx + rng.integers(3, 31, n)  # events fall 3-30 days after the post
    ev_idx = ((event.astype("int64") + 3) % 7 * 12 + event.astype("datetime64[M]").astype("int64") % 12) * 31 \
        + (event - event.astype("datetime64[M]")).astype("int64")
    pieces = []
    for ti in np.flatnonzero(counts):
        t = model.templates[ti]
        rows = order[starts[ti]:starts[ti] + counts[ti]]
        kk = k[rows].astype(np.uint64)
        if kk.max() >= min(t.capacity, 2**31):
            raise ValueError(f"template {ti} used more than {t.capacity:,} times: texts would repeat")
        code = (kk * np.uint64(_STRIDE) + np.uint64(model.text_offsets[ti])) % np.uint64(t.capacity)
        parts: list = [t.literals[0]]
        radix_i = 0
        for name, literal in zip(t.slots, t.literals[1:]):
            if name in DERIVED_SLOTS:
                parts.append(model.event_days[name].take(pa.array(ev_idx[rows])))
            else:
                radix = np.uint64(t.radices[radix_i])
                digit, code = code % radix, code // radix
                key = (name, t.lang, MOODS[t.mood]) if name in ("opener", "closer") else (name, "", "")
                parts.append(model.pools[key].take(pa.array(digit.astype(np.int64))))
                radix_i += 1
            parts.append(literal)
        pieces.append(pc.binary_join_element_wise(*[p for p in parts if not isinstance(p, str) or p], ""))
    inverse = np.empty(n, np.int64)
    inverse[order] = np.arange(n)
    return pa.concat_arrays(pieces).take(pa.array(inverse))


def _decorate(model: PostModel, rng: np.random.Generator, text: pa.Array, theme, lang_es, mood, n,
              no_link: np.ndarray) -> pa.Array:
    """Hashtags, emoji and links, sometimes (never a link where no_link); a link sometimes goes on its own line."""
    ex = model.extras
    li = lang_es.astype(np.int64)
    has_tag = rng.random(n) < 0.35
    tag = np.where(has_tag, ex["tag_off"][li, theme] + (rng.random(n) * ex["tag_len"][li, theme]).astype(np.int64), 0)
    has_emoji = rng.random(n) < np.array([0.3, 0.12, 0.05])[mood]
    emoji = np.where(has_emoji, ex["emo_off"][mood] + (rng.random(n) * ex["emo_len"][mood]).astype(np.int64), 0)
    has_link = (rng.random(n) < 0.3) & ~no_link
    sep = np.where(rng.random(n) < 0.3, "\n\n", " ")
    link = pc.binary_join_element_wise(
        pa.array(sep), "https://example.org/", ex["section"].take(pa.array(theme)), "/",
        ex["word"].take(pa.array(rng.integers(0, len(LINK_WORDS), n))), "-",
        pa.array(rng.integers(1000, 1_000_000, n)).cast(pa.string()), "")
    link = pc.if_else(pa.array(has_link), link, "")
    tags, emojis = ex["tags"].take(pa.array(tag)), ex["emoji"].take(pa.array(emoji))
    return pc.binary_join_element_wise(text, tags, emojis, link, "")


# ---------------------------------------------------------------------------------------------------------------
# The social shape: the default block's posts, reshaped from a generator stream of their own
# ---------------------------------------------------------------------------------------------------------------
REPLY_SHARE = 0.30
SECOND_HANDLE_SHARE = 0.2  # replies that answer two accounts
EXTENSION_SENTENCES = np.array([(1, 3), (0, 1), (1, 3), (2, 4), (2, 4), (1, 2), (0, 2)])  # per platform, lo..hi
SOCIAL_LINK_SHARE = 0.5  # an extra link on top of the default 30% (never on an unsourced claim)
_CODE_CHARS = np.array(list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"))


def _grouped(pools: dict, keys: list) -> tuple[pa.Array, np.ndarray, np.ndarray]:
    """One flat pool for several groups of values: (values, offset per key, length per key)."""
    values, off, length = [], [], []
    for key in keys:
        off.append(len(values))
        length.append(len(pools[key]))
        values.extend(pools[key])
    return pa.array(values, pa.string()), np.array(off), np.array(length)


def _social_pools() -> dict:
    """The social vocabulary as flat pyarrow pools, indexed by (lang * 3 + mood) or by mood."""
    keys = [(lang, mood) for lang in ("en", "es") for mood in MOODS]
    return {"lead": _grouped(REPLY_LEADS, keys), "sentence": _grouped(SOCIAL_SENTENCES, keys),
            "emoji": _grouped(SOCIAL_EMOJIS, list(MOODS)), "tags": pa.array(SOCIAL_HASHTAGS),
            "first": pa.array(HANDLE_FIRST), "second": pa.array(HANDLE_SECOND), "links": pa.array(SOCIAL_LINKS)}


def _from_group(pool: tuple[pa.Array, np.ndarray, np.ndarray], group: np.ndarray, u: np.ndarray, shift=0) -> pa.Array:
    """A value per row from the row's group; `shift` steps to the next values of the same group (distinct picks)."""
    values, off, length = pool
    within = ((u * length[group]).astype(np.int64) + shift) % length[group]
    return values.take(pa.array(off[group] + within))


def _blank_unless(mask: np.ndarray, *parts) -> pa.Array:
    """The parts joined where mask holds, '' elsewhere."""
    return pc.if_else(pa.array(mask), pc.binary_join_element_wise(*parts, ""), "")


def _socialize(model: PostModel, block_index: int, table: pa.Table, plat, mood, lang_es, no_link) -> pa.Table:
    """The block's posts as social feeds carry them: 30% replies (an @handle first and `in_reply_to` set), one to
    four more sentences by platform, more emoji, hashtags and links. Drawn from the block's own stream [seed, 5,
    block], so the default shape's draws and bytes are untouched; each text keeps its unique default text inside."""
    rng = np.random.default_rng([model.seed, 5, block_index])
    so, n = model.social, table.num_rows
    group = lang_es.astype(np.int64) * len(MOODS) + mood

    reply = rng.random(n) < REPLY_SHARE
    def handle() -> pa.Array:
        digits = np.where(rng.random(n) < 0.5, "", pa.array(rng.integers(1, 2000, n)).cast(pa.string()).to_numpy(
            zero_copy_only=False))
        return pc.binary_join_element_wise(
            "@", so["first"].take(pa.array(rng.integers(0, len(HANDLE_FIRST), n))),
            so["second"].take(pa.array(rng.integers(0, len(HANDLE_SECOND), n))), pa.array(digits, pa.string()), "")
    first, second = handle(), handle()
    two = reply & (rng.random(n) < SECOND_HANDLE_SHARE)
    lead = _from_group(so["lead"], group, rng.random(n))
    has_lead = reply & (rng.random(n) < 0.7)
    prefix = pc.binary_join_element_wise(
        _blank_unless(reply, first, " "), _blank_unless(two, second, " "), _blank_unless(has_lead, lead, " "), "")
    parent = pa.array(rng.integers(10**17, 2 * 10**18, n)).cast(pa.string())  # a platform-style numeric post id
    in_reply_to = pc.if_else(pa.array(reply), parent, pa.scalar(None, pa.string()))

    emoji = lambda: _from_group(so["emoji"], mood, rng.random(n))  # noqa: E731 - one emoji per row, by mood
    lead_emoji = _blank_unless(rng.random(n) < 0.25, emoji(), " ")
    lo, hi = EXTENSION_SENTENCES[plat, 0], EXTENSION_SENTENCES[plat, 1]
    count = lo + (rng.random(n) * (hi - lo + 1)).astype(np.int64)
    u, sep = rng.random(n), np.where(rng.random(n) < 0.35, "\n\n", " ")
    body = []
    for i in range(int(EXTENSION_SENTENCES[:, 1].max())):
        space = pa.array(sep) if i == 0 else " "
        sentence = _from_group(so["sentence"], group, u, shift=i)
        body.append(_blank_unless(count > i, space, sentence))
        body.append(_blank_unless((count > i) & (rng.random(n) < 0.4), " ", emoji()))
    n_tags = rng.integers(0, 4, n)
    t0 = rng.integers(0, len(SOCIAL_HASHTAGS), n)
    tags = [_blank_unless(n_tags > i, " ", so["tags"].take(pa.array((t0 + i) % len(SOCIAL_HASHTAGS))))
            for i in range(3)]
    cluster_size = np.where(rng.random(n) < 0.45, rng.integers(1, 4, n), 0)
    cluster = [_blank_unless(cluster_size > 0, " ")] + [_blank_unless(cluster_size > i, emoji()) for i in range(3)]
    code = np.ascontiguousarray(_CODE_CHARS[rng.integers(0, len(_CODE_CHARS), (n, 7))]).view("<U7").ravel()
    link = _blank_unless((rng.random(n) < SOCIAL_LINK_SHARE) & ~no_link, pa.array(np.where(
        rng.random(n) < 0.3, "\n", " ")), so["links"].take(pa.array(rng.integers(0, len(SOCIAL_LINKS), n))),
        pa.array(code))
    text = pc.binary_join_element_wise(prefix, lead_emoji, table["text"].combine_chunks(), *body, *tags, *cluster,
                                       link, "")
    table = table.set_column(table.schema.get_field_index("text"), "text", text)
    return table.append_column(REPLY_COLUMN, in_reply_to)


def _timestamps(model: PostModel, rng, org, plat, day_idx) -> pa.Array:
    """Posting times on the drawn UTC days, written as each platform's export writes them."""
    n = len(org)
    tz = model.orgs.tz_hours[org]
    local = np.where(rng.random(n) < 0.85, rng.normal(11.5 * 3600, 2.8 * 3600, n), rng.random(n) * 86400)
    # The UTC date stays the drawn day (adoption dates and range hold); the hour follows the org's local clock.
    seconds = (np.clip(local, 0, 86399).astype(np.int64) - tz * 3600) % 86400
    ts = model.start.astype("datetime64[s]").astype(np.int64) + day_idx * 86400 + seconds
    # Meta: Pacific time with offset; YouTube: the org's own offset; X and TikTok: Z; LinkedIn: naive UTC.
    years = range(int(_year_fraction(model.days[:1])[0]) - 1, int(_year_fraction(model.days[-1:])[0]) + 2)
    meta = np.isin(plat, [FACEBOOK, INSTAGRAM, THREADS])
    offset = np.where(meta, _pacific_offset_hours(ts, years), np.where(plat == YOUTUBE, tz, 0))
    kind = np.where(meta | (plat == YOUTUBE), 1, np.where(plat == LINKEDIN, 2, 0))  # 0 Z, 1 offset, 2 naive
    s = pa.array(np.datetime_as_string((ts + offset * 3600).astype("datetime64[s]"), unit="s"))
    suffixes = pa.array(["Z", ""] + [f"{'-' if h < 0 else '+'}{abs(h):02d}:00" for h in range(-12, 15)])
    suffix = np.where(kind == 0, 0, np.where(kind == 2, 1, offset + 14))
    sep = pa.array(["T", " "]).take(pa.array((kind == 2).astype(np.int64)))
    text = pc.binary_join_element_wise(pc.utf8_slice_codeunits(s, 0, 10), sep, pc.utf8_slice_codeunits(s, 11, 19),
                                       suffixes.take(pa.array(suffix)), "")
    return text


def _spellings() -> tuple[pa.Array, np.ndarray, np.ndarray]:
    names, cum, off = [], [], []
    for key in (*PLATFORMS, "x"):
        off.append(len(names))
        names.extend(v for v, _ in PLATFORM_SPELLINGS[key])
        c = np.cumsum([p for _, p in PLATFORM_SPELLINGS[key]])
        cum.append(np.pad(c / c[-1], (0, 3 - len(c)), constant_values=1.0))
    return pa.array(names), np.array(cum), np.array(off)


_SPELL_NAMES, _SPELL_CUM, _SPELL_OFF = _spellings()


def _choose(model: PostModel, members: list[int], rows: np.ndarray, day_idx: np.ndarray, u: np.ndarray) -> np.ndarray:
    """A template for each row among members, by template weight and season on the row's day."""
    group = [model.templates[i] for i in members]
    season = model.seasons[[t.season for t in group]][:, day_idx[rows]].T
    w = np.array([t.weight for t in group])[None, :] * season
    return np.array(members)[_pick(np.cumsum(w, axis=1), u[rows])]


def _move_into_bursts(model: PostModel, rng, org, plat, day_idx) -> np.ndarray:
    """Move a share of rows into each burst's org and month (in place); return the burst index per row, -1 if none."""
    burst = np.searchsorted(model.burst_cum, rng.random(len(org)), side="right")
    burst[burst >= len(model.bursts)] = -1
    for i, b in enumerate(model.bursts):
        rows = np.flatnonzero(burst == i)
        if not len(rows):
            continue
        k = np.searchsorted(b.platform_cum, rng.random(len(rows)) * b.platform_cum[-1], side="right")
        k = np.minimum(k, len(b.platforms) - 1)
        org[rows], plat[rows] = b.org, b.platforms[k]
        flat = np.searchsorted(model.flat_cum, b.lo[k] + rng.random(len(rows)) * (b.hi[k] - b.lo[k]), side="right")
        day_idx[rows] = np.clip(flat - plat[rows] * len(model.days), 0, len(model.days) - 1)
    return burst


def _risk_templates(model: PostModel, rng, tmpl, lang_es, org, day_idx, burst) -> None:
    """Replace some rows' templates (in place) by risky ones at the org-month's rates, and most of a burst's posts by
    risky or negative ones. A kind without a Spanish template falls back to English."""
    n = len(tmpl)
    p_total = np.minimum(RISK_RATE.sum() * model.risk_mult[org, model.month_of_day[day_idx]], RISK_CAP)
    u = rng.random(n)
    kind = np.where(u < p_total, np.searchsorted(np.cumsum(RISK_RATE) / RISK_RATE.sum(), u / p_total, side="right"), -1)
    v = rng.random(n)
    in_burst = burst >= 0
    burst_kind = np.searchsorted(np.cumsum(BURST_RISK_RATE) / BURST_RISK_RATE.sum(), v / BURST_RISKY, side="right")
    kind = np.where(in_burst & (v < BURST_RISKY), burst_kind, kind)
    kind = np.minimum(kind, len(RISK_KINDS) - 1)
    # Patient-information posts take the six kinds in turn, so even a small sample shows each kind.
    phi = np.flatnonzero((kind >= 0) & (kind < N_PHI_KINDS))
    kind[phi] = (model.phi_posts + np.arange(len(phi))) % N_PHI_KINDS
    model.phi_posts += len(phi)
    negative = in_burst & (v >= BURST_RISKY) & (v < BURST_RISKY + BURST_NEGATIVE)
    w = rng.random(n)
    for lang, members in model.negative.items():
        rows = np.flatnonzero(negative & (lang_es == (lang == "es")))
        if len(rows):
            tmpl[rows] = _choose(model, members, rows, day_idx, w)
    for k in range(len(RISK_KINDS)):
        for lang in ("en", "es"):
            rows = np.flatnonzero((kind == k) & (lang_es == (lang == "es")))
            if len(rows):
                members = model.risk_groups.get((k, lang)) or model.risk_groups[(k, "en")]
                tmpl[rows] = _choose(model, members, rows, day_idx, w)


def _draw_block(model: PostModel, first_row: int, n: int, block_index: int) -> tuple[pa.Table, np.ndarray]:
    """n posts starting at global row first_row and the template index of each, from the block's own generator."""
    rng = np.random.default_rng([model.seed, 2, block_index])
    n_plat = len(PLATFORMS)
    pair = np.minimum(np.searchsorted(model.pair_cum, rng.random(n), side="right"), len(model.pair_cum) - 1)
    org, plat = pair // n_plat, pair % n_plat
    lo, hi = model.lo[org, plat], model.hi[org, plat]
    flat = np.searchsorted(model.flat_cum, lo + rng.random(n) * (hi - lo), side="right")
    day_idx = np.clip(flat - plat * len(model.days), 0, len(model.days) - 1)
    burst = _move_into_bursts(model, rng, org, plat, day_idx)
    posted_at = _timestamps(model, rng, org, plat, day_idx)
    days = model.days[day_idx]  # UTC dates

    otype = model.orgs.type_idx[org]
    theme_w = THEME_BY_TYPE[otype] * THEME_BY_PLATFORM[plat] * model.theme_time[day_idx]
    theme = _pick(np.cumsum(theme_w, axis=1), rng.random(n))
    lang_es = rng.random(n) < model.orgs.es_share[org]
    tmpl = np.empty(n, np.int64)
    u = rng.random(n)
    for (th, lang), members in model.groups.items():
        rows = np.flatnonzero((theme == th) & (lang_es == (lang == "es")))
        if len(rows):
            tmpl[rows] = _choose(model, members, rows, day_idx, u)
    _risk_templates(model, rng, tmpl, lang_es, org, day_idx, burst)
    # A risky or burst post carries its template's theme, mood and language.
    theme = model.template_theme[tmpl]
    mood = model.template_mood[tmpl]
    lang_es = model.template_es[tmpl]
    no_link = model.template_risk[tmpl] == RISKS.index("unsourced_claim")
    text = _decorate(model, rng, _fill_texts(model, rng, tmpl, day_idx), theme, lang_es, mood, n, no_link)

    # Engagement: audience grows after adoption; lognormal noise with a Pareto tail of viral posts.
    years_on = np.clip((day_idx - model.adopt_idx[org, plat]) / 365.25, 0, None)
    followers = model.orgs.followers[org, plat] * (0.35 + 0.65 * np.minimum(1, years_on / 4)) \
        * (1 + 0.05 * np.clip(_year_fraction(days) - 2016, 0, None))
    viral = np.where(rng.random(n) < 0.02, 1 + 3 * rng.pareto(1.2, n), 1.0)
    lam = followers * LIKE_RATE[plat] * THEME_LIKES[theme] * MOOD_LIKES[mood] * rng.lognormal(0, 0.9, n) * viral
    likes = rng.poisson(np.minimum(lam, 5e7))
    shares = rng.poisson(likes * SHARE_RATIO[plat] * THEME_SHARES[theme] * rng.lognormal(0, 0.5, n))
    comments = rng.poisson(likes * COMMENT_RATIO[plat] * MOOD_COMMENTS[mood] * rng.lognormal(0, 0.5, n))
    view_draw = np.round((likes + 1) * VIEW_RATIO[plat] * rng.lognormal(0, 0.6, n)).astype(np.int64)
    reports_views = np.isin(plat, [YOUTUBE, TIKTOK]) | ((plat == TWITTER) & (days >= _day(X_VIEWS_FROM))) \
        | ((plat == INSTAGRAM) & (rng.random(n) < INSTAGRAM_VIDEO_SHARE))

    spell_key = np.where((plat == TWITTER) & (days >= _day(X_RENAME)), n_plat, plat)  # n_plat: the "x" spellings
    spelling = _SPELL_OFF[spell_key] + _pick(_SPELL_CUM[spell_key], rng.random(n))
    number = pc.utf8_lpad(pa.array(first_row + np.arange(n)).cast(pa.string()), width=9, padding="0")
    key = pa.array(PLATFORMS).take(pa.array(plat))
    org_id = model.orgs.table["org_id"].combine_chunks().take(pa.array(org))
    table = pa.table({
        "post_id": pc.binary_join_element_wise("syn-", key, "-", number, ""),
        "platform": _SPELL_NAMES.take(pa.array(spelling)),
        "org_id": org_id,
        "posted_at": posted_at,
        "text": text,
        "likes": pa.array(likes, pa.int64()),
        "shares": pa.array(shares, pa.int64()),
        "comments": pa.array(comments, pa.int64()),
        "views": pa.array(view_draw, pa.int64(), mask=~reports_views),
        "url": pc.binary_join_element_wise("https://example.org/", key, "/", org_id, "/posts/", number, ""),
        "lang": pa.array(np.where(lang_es, "es", "en")),
    }, schema=POST_SCHEMA)
    if model.shape == "social":
        table = _socialize(model, block_index, table, plat, mood, lang_es, no_link)
    return table, tmpl


def make_block(model: PostModel, first_row: int, n: int, block_index: int) -> pa.Table:
    """n posts starting at global row first_row, from the block's own generator; blocks must come in order."""
    return _draw_block(model, first_row, n, block_index)[0]


def labelled_posts(posts: int, orgs: int = 40, seed: int = 0, start: date | str = "2016-01-01",
                   end: date | str = "2025-12-31", shape: str = "default") -> Iterator[pa.Table]:
    """The posts generate() writes for these arguments, block by block, each row with its ground truth: the
    template's theme, mood and risk kind (RISKS) and whether it was moved into a burst. For evaluating analyzers."""
    start = date.fromisoformat(start) if isinstance(start, str) else start
    end = date.fromisoformat(end) if isinstance(end, str) else end
    model = PostModel(make_orgs(orgs, seed), start, end, seed, shape)
    names = {"theme": THEMES, "mood": MOODS, "risk": RISKS}
    for block, first in enumerate(range(0, posts, BLOCK_ROWS)):
        table, tmpl = _draw_block(model, first, min(BLOCK_ROWS, posts - first), block)
        for column, values in names.items():
            index = getattr(model, f"template_{column}")[tmpl]
            table = table.append_column(f"true_{column}", pa.array(values).take(pa.array(index)))
        yield table


# ---------------------------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------------------------
def write_csv(table: pa.Table, path: Path) -> None:
    """The project's CSV: comma, header, UTF-8, strings quoted (RFC 4180), nulls as empty fields."""
    pacsv.write_csv(table, path)


class _PartWriter:
    """Splits a stream of blocks into part files of at most rows_per_file rows, rotating through formats."""

    def __init__(self, folder: Path, formats: list[str], rows_per_file: int, schema: pa.Schema = POST_SCHEMA):
        self.folder, self.formats, self.limit, self.schema = folder, formats, rows_per_file, schema
        self.files: dict[str, int] = {}
        self._writer = self._path = self._fmt = None
        self._rows = 0

    def write(self, table: pa.Table) -> None:
        at = 0
        while at < table.num_rows:
            if self._writer is None:
                self._open()
            take = min(self.limit - self._rows, table.num_rows - at)
            self._write(table.slice(at, take))
            at += take
            self._rows += take
            if self._rows == self.limit:
                self.close()

    def _open(self) -> None:
        fmt = self.formats[len(self.files) % len(self.formats)]
        self._path = self.folder / f"part-{len(self.files):05d}.{fmt}"
        self._fmt = fmt
        if fmt == "csv":
            self._writer = pacsv.CSVWriter(self._path, self.schema)
        elif fmt == "parquet":
            self._writer = pq.ParquetWriter(self._path, self.schema)
        else:
            self._writer = self._path.open("w", encoding="utf-8", newline="\n")
        self.files[f"posts/{self._path.name}"] = 0

    def _write(self, table: pa.Table) -> None:
        if self._fmt == "jsonl":
            names = self.schema.names
            cols = [table[c].to_pylist() for c in names]
            self._writer.writelines(json.dumps(dict(zip(names, row)), ensure_ascii=False) + "\n"
                                    for row in zip(*cols))
        else:
            self._writer.write_table(table)
        self.files[f"posts/{self._path.name}"] += table.num_rows

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
        self._writer, self._rows = None, 0


def generate(out_dir: Path | str, posts: int, orgs: int, seed: int, formats=("csv",),
             start: date | str = "2016-01-01", end: date | str = "2025-12-31",
             rows_per_file: int = 1_000_000, shape: str = "default") -> dict:
    """Write <out>/organizations.csv and <out>/posts/part-NNNNN.<fmt>; formats may repeat and rotate per part.
    shape: "default" or "social" (SHAPES)."""
    formats = [f.strip().lower() for f in formats]
    if not formats or any(f not in FORMATS for f in formats):
        raise ValueError(f"formats must be a non-empty list from {FORMATS}")
    if posts < 0 or rows_per_file < 1:
        raise ValueError("posts must be >= 0 and rows_per_file >= 1")
    start = date.fromisoformat(start) if isinstance(start, str) else start
    end = date.fromisoformat(end) if isinstance(end, str) else end
    out = Path(out_dir)
    folder = out / "posts"
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("part-*"):  # parts of an earlier run would otherwise mix into this one
        if stale.suffix.lstrip(".") in FORMATS:
            stale.unlink()
    org_data = make_orgs(orgs, seed)
    write_csv(org_data.table, out / "organizations.csv")
    model = PostModel(org_data, start, end, seed, shape)
    writer = _PartWriter(folder, formats, rows_per_file, model.schema)
    for block, first in enumerate(range(0, posts, BLOCK_ROWS)):
        writer.write(make_block(model, first, min(BLOCK_ROWS, posts - first), block))
    writer.close()
    return {"out_dir": str(out), "posts": posts, "orgs": orgs, "seed": seed, "shape": shape,
            "organizations": "organizations.csv", "files": writer.files}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, required=True)
    parser.add_argument("--orgs", type=int, default=40)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--formats", default="csv", help="comma-separated, rotated across parts: csv,jsonl,parquet")
    parser.add_argument("--start", default="2016-01-01")
    parser.add_argument("--end", default="2025-12-31")
    parser.add_argument("--rows-per-file", type=int, default=1_000_000)
    parser.add_argument("--shape", choices=SHAPES, default="default",
                        help="social: longer texts, more emoji and links, 30%% replies (an in_reply_to column)")
    args = parser.parse_args(argv)
    began = time.perf_counter()
    summary = generate(args.out, args.posts, args.orgs, args.seed, args.formats.split(","), args.start, args.end,
                       args.rows_per_file, args.shape)
    seconds = time.perf_counter() - began
    print(json.dumps(summary, indent=2))
    print(f"{args.posts:,} posts in {seconds:.1f} s ({args.posts / max(seconds, 1e-9):,.0f} posts/s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
