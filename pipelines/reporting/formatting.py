"""Display formatting for report figures: one place so every page shows numbers and dates alike."""

from __future__ import annotations

import math
from datetime import date, datetime, timezone
from typing import Any

import pandas as pd

MISSING = "n/a"


def is_missing(value: Any) -> bool:
    """True for None, NaN, NaT and pandas NA (scalars only)."""
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def fmt_int(value: Any) -> str:
    """12345 -> '12,345'."""
    if is_missing(value):
        return MISSING
    return f"{int(round(float(value))):,}"


def fmt_float(value: Any, digits: int = 2) -> str:
    """1234.5 -> '1,234.50'."""
    if is_missing(value):
        return MISSING
    return f"{float(value):,.{digits}f}"


def fmt_score(value: Any) -> str:
    """Sentiment score with an explicit sign: 0.123 -> '+0.12'."""
    if is_missing(value):
        return MISSING
    return f"{float(value):+.2f}"


def fmt_pct(value: Any, digits: int = 1) -> str:
    """A share in 0..1 as a percentage: 0.1234 -> '12.3%'."""
    if is_missing(value):
        return MISSING
    return f"{float(value) * 100:.{digits}f}%"


def fmt_growth(value: Any) -> str:
    """Growth already in percent, signed: 12.34 -> '+12.3%'."""
    if is_missing(value):
        return MISSING
    return f"{float(value):+.1f}%"


def fmt_pct_interval(estimate: Any, low: Any, high: Any, digits: int = 0, *, label: bool = True) -> str:
    """A share with its 95% interval: '42% (95% CI 35–50%)'; label=False gives '42% (35–50%)' for a table
    whose header already says 95% CI."""
    if is_missing(estimate):
        return MISSING
    if is_missing(low) or is_missing(high):
        return fmt_pct(estimate, digits)
    ci = "95% CI " if label else ""
    return f"{fmt_pct(estimate, digits)} ({ci}{float(low) * 100:.{digits}f}–{fmt_pct(high, digits)})"


def fmt_points_interval(estimate: Any, low: Any, high: Any) -> str:
    """A change between two shares in percentage points: '+12 points (95% CI +3 to +21)'."""
    if is_missing(estimate):
        return MISSING
    text = f"{_points(estimate)} points"
    if not is_missing(low) and not is_missing(high):
        text += f" (95% CI {_points(low)} to {_points(high)})"
    return text


def _points(share_change: Any) -> str:
    """A change of shares in whole points with its sign; one that rounds to zero is '+0', never '-0'."""
    return f"{round(float(share_change) * 100):+d}"


def fmt_growth_interval(estimate: Any, low: Any, high: Any) -> str:
    """Growth in percent with its interval: '+12.3% (95% CI +4.0% to +21.1%)'."""
    if is_missing(estimate):
        return MISSING
    if is_missing(low) or is_missing(high):
        return fmt_growth(estimate)
    return f"{fmt_growth(estimate)} (95% CI {fmt_growth(low)} to {fmt_growth(high)})"


ORG_TYPE_NAMES = {
    "hospital": "Hospital", "health_system": "Health system", "clinic": "Clinic", "pharma": "Pharma",
    "insurer": "Insurer", "public_health_agency": "Public health agency",
    "professional_association": "Professional association", "health_media": "Health media", "other": "Other type",
}  # fmt: skip


def fmt_org_type(value: Any) -> str:
    """An organization type code as readers say it: 'public_health_agency' -> 'Public health agency'."""
    if is_missing(value):
        return MISSING
    return ORG_TYPE_NAMES.get(str(value), str(value).replace("_", " "))


SUBJECT_NAMES = {
    "tracked_organizations": "Tracked organizations", "hospitals": "Hospitals", "physicians": "Physicians",
    "local_health_departments": "Local health departments", "us_adults": "Adults", "all_users": "All users",
}  # fmt: skip


def fmt_subject(value: Any) -> str:
    """A reference figure's subject as readers say it: 'local_health_departments' -> 'Local health departments'."""
    if is_missing(value):
        return MISSING
    text = str(value)
    return SUBJECT_NAMES.get(text) or (text.replace("_", " ").capitalize())


def fmt_flag(value: Any, yes: str = "yes", no: str = "") -> str:
    if is_missing(value):
        return MISSING
    return yes if bool(value) else no


def fmt_compact(value: Any) -> str:
    """Large counts for headline cards: 2_460_000_000 -> '2.46 bn'."""
    if is_missing(value):
        return MISSING
    number = float(value)
    for size, suffix in ((1e9, "bn"), (1e6, "m")):
        if abs(number) >= size:
            return f"{number / size:,.2f} {suffix}"
    return fmt_int(number)


def _as_datetime(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    return pd.Timestamp(value).to_pydatetime()


def fmt_month(value: Any) -> str:
    """Any date-like value -> 'YYYY-MM'."""
    if is_missing(value):
        return MISSING
    return _as_datetime(value).strftime("%Y-%m")


def fmt_timestamp(value: Any) -> str:
    """A timestamp in UTC -> 'YYYY-MM-DD HH:MM UTC' (naive values are taken as UTC, as stored)."""
    if is_missing(value):
        return MISSING
    moment = _as_datetime(value)
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc)
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def fmt_day(value: Any) -> str:
    """A timestamp -> 'YYYY-MM-DD' (UTC)."""
    if is_missing(value):
        return MISSING
    return fmt_timestamp(value)[:10]


def fmt_text(value: Any) -> str:
    """Any value as plain text; escaping is left to the template."""
    if is_missing(value):
        return MISSING
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return fmt_int(value)
    return str(value)
