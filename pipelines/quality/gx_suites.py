"""Great Expectations 1.x suites for the core tables, run on pandas frames streamed from DuckDB.

Frames are validated one chunk at a time and the results are added up per expectation, so a table of
any size is checked in bounded memory. Uniqueness expectations (organizations.org_id, the user_growth
key) hold per chunk only: global uniqueness is enforced in SQL by the core models (posts are
deduplicated there), so pass small tables (organizations, user_growth) whole, as one chunk.

No Dagster here: `validate_frames` returns a `ValidationOutcome` that the asset checks turn into
a check result with `to_metadata()` and `summary_markdown()`.
"""

from __future__ import annotations

import hashlib
import os
import sys
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from pipelines.analytics.risk import redact

if TYPE_CHECKING:
    import great_expectations as gx
    import pandas as pd

SUITE_KINDS = ("posts", "organizations", "user_growth", "reference")

_preloading: threading.Thread | None = None


def _import_gx() -> None:
    try:
        import great_expectations  # noqa: F401
        import great_expectations.expectations  # noqa: F401
    except Exception:  # noqa: BLE001 - the validation imports it again and fails there, with the error in the run
        pass


def preload() -> None:
    """Start importing Great Expectations (about 2.4 s) in a background thread, once per process.

    Called when new input is about to land: the validation of those rows will need GX, and landing and typing
    spend their time inside DuckDB, which releases the GIL, so the import runs beside them. `validate_frames`
    and `build_suite` wait for the thread before they import GX themselves, so the two threads never import the
    same modules at once. The thread is not a daemon: a process that ends before validating (a failed load)
    waits for the import to finish rather than tearing it down halfway.

    pandas is imported here first, on the calling thread. Between the first landing and the first validation the
    run itself imports pandas (DuckDB's `.df()`), and with it about 340 modules GX imports too; two threads that
    initialise modules importing each other can trip Python's import-deadlock detection, which fails one of the
    imports. With pandas loaded first, the only module both threads still import in that window is a codec
    (measured on the sample build; benchmarks/RESULTS.md, round 4).
    """
    global _preloading
    if _preloading is None and "great_expectations.expectations" not in sys.modules:
        import pandas  # noqa: F401 - see above: imported by this thread, not raced by the GX import
        os.environ["GX_ANALYTICS_ENABLED"] = "false"  # as _ephemeral_context sets it, before GX is imported
        _preloading = threading.Thread(target=_import_gx, name="gx-preload")
        _preloading.start()


def _wait_for_preload() -> None:
    if _preloading is not None:
        _preloading.join()

# The exact column set of each core table; a difference is schema drift.
COLUMNS: dict[str, tuple[str, ...]] = {
    "posts": (
        "post_id", "platform", "org_id", "posted_at", "text", "likes", "shares", "comments",
        "views", "url", "lang", "_source_file", "_source_row", "_load_id",
    ),
    "organizations": ("org_id", "org_name", "org_type", "country", "region"),
    "user_growth": (
        "platform", "period", "period_start", "period_grain", "region", "users", "source", "license",
    ),
    "reference": (
        "subject", "platform", "period", "period_start", "period_grain", "region", "metric", "value", "unit",
        "denominator", "share", "source", "license",
    ),
}
ORG_TYPES = (
    "hospital", "health_system", "clinic", "pharma", "insurer", "public_health_agency",
    "professional_association", "health_media", "other",
)
PERIOD_GRAINS = ("year", "quarter", "month")
PLATFORM_SLUG = r"^[a-z0-9_]+$"
# Non-capturing groups: pandas warns about match groups in str.contains.
PERIOD_PATTERN = r"^\d{4}(?:-(?:0[1-9]|1[0-2])|-Q[1-4])?$"
EARLIEST_POST = datetime(2004, 1, 1)  # the project's lower bound for post dates
COUNT_COLUMNS = ("likes", "shares", "comments", "views")
MAX_EXAMPLES = 5
EXAMPLE_CHARS = 40
# BASIC gives counts and a few unexpected values; richer formats add value counts we never show.
_RESULT_FORMAT = {"result_format": "BASIC", "partial_unexpected_count": MAX_EXAMPLES}


@dataclass
class ExpectationOutcome:
    """One expectation's result added up over every chunk."""

    expectation_type: str
    columns: tuple[str, ...]
    success: bool = True
    unexpected_count: int | None = None
    element_count: int | None = None
    examples: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def label(self) -> str:
        short = self.expectation_type.removeprefix("expect_")
        return f"{short}({', '.join(self.columns)})" if self.columns else short

    def describe(self) -> str:
        """One line for an analyst: how many rows failed and a few of the values."""
        parts = []
        if self.error:
            parts.append(f"error: {self.error}")
        if self.unexpected_count is not None:
            total = f" of {self.element_count:,}" if self.element_count is not None else ""
            parts.append(f"{self.unexpected_count:,}{total} unexpected")
        if self.examples:
            parts.append("e.g. " + "; ".join(self.examples))
        return ", ".join(parts) or ("passed" if self.success else "failed")


@dataclass
class ValidationOutcome:
    kind: str
    success: bool
    rows: int
    results: list[ExpectationOutcome]
    chunks: int = 0

    def failures(self) -> list[ExpectationOutcome]:
        return [r for r in self.results if not r.success]

    def summary_markdown(self) -> str:
        failed = self.failures()
        head = (
            f"**{self.kind}**: {self.rows:,} rows in {self.chunks} chunk(s), "
            f"{len(self.results)} expectations, {len(failed)} failed\n\n"
        )
        lines = ["| Status | Expectation | Unexpected | Examples |", "|---|---|---|---|"]
        # Failures first: that is what the reader came for.
        for r in failed + [r for r in self.results if r.success]:
            unexpected = "" if r.unexpected_count is None else f"{r.unexpected_count:,}"
            examples = r.error or "; ".join(r.examples)
            lines.append(
                f"| {'ok' if r.success else '**FAIL**'} | {_md(r.label)} | {unexpected} | {_md(examples)} |"
            )
        return head + "\n".join(lines)

    def to_metadata(self) -> dict[str, Any]:
        meta: dict[str, Any] = {
            "rows": self.rows,
            "chunks": self.chunks,
            "expectations_evaluated": len(self.results),
            "expectations_failed": len(self.failures()),
        }
        for r in self.failures():
            meta[f"failed: {r.label}"] = r.describe()
        return meta


# Suites whose expectations each look at one row at a time: rows that passed stay valid, so a refresh validates
# only rows of new loads (audit.gx_validated_loads). Suites with uniqueness expectations validate the whole table.
ROW_WISE = frozenset({"posts"})


def suite_version(kind: str) -> str:
    """Changes whenever the suites' code or Great Expectations changes; earlier validations then no longer count."""
    from importlib.metadata import version

    digest = hashlib.sha256(Path(__file__).read_bytes())
    digest.update(f"{kind}|{version('great-expectations')}".encode())
    return digest.hexdigest()[:16]


def build_suite(kind: str) -> gx.ExpectationSuite:
    """The expectation suite for one core table; `kind` is one of SUITE_KINDS."""
    if kind not in SUITE_KINDS:
        raise ValueError(f"unknown suite kind {kind!r}; expected one of {SUITE_KINDS}")
    _wait_for_preload()
    import great_expectations as gx
    import great_expectations.expectations as gxe

    columns = gxe.ExpectTableColumnsToMatchSet(column_set=list(COLUMNS[kind]), exact_match=True)
    # Passed to the constructor: add_expectation() would need an active data context.
    return gx.ExpectationSuite(name=f"core_{kind}", expectations=[columns, *_EXPECTATIONS[kind](gxe)])


def _posts(gxe) -> list:
    # Naive UTC bounds: frames are normalised to naive UTC in _gx_friendly.
    latest = datetime.now(timezone.utc).replace(tzinfo=None) + timedelta(days=1)
    return [
        *(
            gxe.ExpectColumnValuesToNotBeNull(column=c)
            for c in ("post_id", "platform", "org_id", "posted_at", "text")
        ),
        gxe.ExpectColumnValuesToMatchRegex(column="platform", regex=PLATFORM_SLUG),
        gxe.ExpectColumnValuesToBeBetween(column="posted_at", min_value=EARLIEST_POST, max_value=latest),
        *(gxe.ExpectColumnValuesToBeBetween(column=c, min_value=0) for c in COUNT_COLUMNS),
    ]


def _organizations(gxe) -> list:
    return [
        gxe.ExpectColumnValuesToNotBeNull(column="org_id"),
        gxe.ExpectColumnValuesToBeUnique(column="org_id"),
        gxe.ExpectColumnValuesToNotBeNull(column="org_name"),
        gxe.ExpectColumnValuesToBeInSet(column="org_type", value_set=list(ORG_TYPES)),
    ]


def _user_growth(gxe) -> list:
    return [
        *(
            gxe.ExpectColumnValuesToNotBeNull(column=c)
            for c in ("platform", "period_start", "region", "source")
        ),
        gxe.ExpectColumnValuesToMatchRegex(column="period", regex=PERIOD_PATTERN),
        gxe.ExpectColumnValuesToBeInSet(column="period_grain", value_set=list(PERIOD_GRAINS)),
        gxe.ExpectColumnValuesToBeBetween(column="users", min_value=0, strict_min=True),
        gxe.ExpectCompoundColumnsToBeUnique(column_list=["platform", "period", "region", "source"]),
    ]


def _reference(gxe) -> list:
    from pipelines.warehouse.contracts import REFERENCE_UNITS

    return [
        *(
            gxe.ExpectColumnValuesToNotBeNull(column=c)
            for c in ("subject", "platform", "period_start", "region", "metric", "value", "unit", "source")
        ),
        gxe.ExpectColumnValuesToMatchRegex(column="subject", regex=PLATFORM_SLUG),
        gxe.ExpectColumnValuesToMatchRegex(column="period", regex=PERIOD_PATTERN),
        gxe.ExpectColumnValuesToBeInSet(column="unit", value_set=list(REFERENCE_UNITS)),
        gxe.ExpectColumnValuesToBeBetween(column="value", min_value=0),
        # a share is a fraction whatever unit the figure came in (percent, a count over its denominator)
        gxe.ExpectColumnValuesToBeBetween(column="share", min_value=0, max_value=1),
        gxe.ExpectCompoundColumnsToBeUnique(column_list=["subject", "platform", "period", "region", "metric", "source"]),
    ]


_EXPECTATIONS = {"posts": _posts, "organizations": _organizations, "user_growth": _user_growth,
                 "reference": _reference}


def validate_frames(kind: str, frames: Iterable[pd.DataFrame]) -> ValidationOutcome:
    """Validate `frames` (chunks of one table) against the `kind` suite and add up the results.

    Per expectation: success only if every chunk passed, unexpected and element counts summed,
    up to MAX_EXAMPLES unexpected values kept. Uniqueness expectations hold per chunk only; the
    core SQL enforces global uniqueness, so pass organizations and user_growth as a single chunk.
    The first chunk is always validated, so an empty table still has its column set checked;
    later empty chunks (the end of a `fetch_df_chunk` loop) are skipped.
    """
    _wait_for_preload()
    import great_expectations as gx

    context = _ephemeral_context()
    # One context, datasource and validation definition serve every chunk.
    batch_definition = (
        context.data_sources.add_pandas(name=f"{kind}_frames")
        .add_dataframe_asset(name=kind)
        .add_batch_definition_whole_dataframe(name=f"{kind}_chunk")
    )
    # A validation definition loads each chunk once; get_batch() + batch.validate() loads it twice,
    # and every load hashes the whole frame (GX's batch fingerprint).
    validation = gx.ValidationDefinition(
        name=f"core_{kind}", data=batch_definition, suite=context.suites.add(build_suite(kind))
    )
    merged: dict[tuple, ExpectationOutcome] = {}
    rows = chunks = 0
    for frame in frames:
        if chunks and frame.empty:
            continue
        chunk_result = validation.run(
            batch_parameters={"dataframe": _gx_friendly(frame)}, result_format=_RESULT_FORMAT
        )
        for result in chunk_result.results:
            _merge(merged, result)
        rows += len(frame)
        chunks += 1
    if not chunks:
        raise ValueError(f"no frames given for {kind}: at least one (possibly empty) chunk is needed")
    results = list(merged.values())
    return ValidationOutcome(kind, all(r.success for r in results), rows, results, chunks)


def _ephemeral_context():
    """An in-memory GX context with analytics and progress bars off."""
    os.environ["GX_ANALYTICS_ENABLED"] = "false"  # GX 1.24 sends nothing; earlier 1.x read this
    import great_expectations as gx
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        InMemoryStoreBackendDefaults,
        ProgressBarsConfig,
    )

    config = DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(),
        analytics_enabled=False,
        progress_bars=ProgressBarsConfig(globally=False, metric_calculations=False),
    )
    return gx.get_context(mode="ephemeral", project_config=config)


def _gx_friendly(frame: pd.DataFrame) -> pd.DataFrame:
    """Give GX's pandas engine the dtypes it compares vectorised, without touching the caller's frame.

    GX 1.24 vectorises `between` only for int64/float64 and datetime64[ns]; DuckDB gives pandas
    Int32/Int64 (nullable) and datetime64[us], which GX checks with one Python call per value
    (measured: 9 s per million posts instead of 1.1 s).
    """
    import pandas as pd

    def as_ns(column: pd.Series) -> pd.Series:
        # Out-of-range timestamps would overflow ns; clipped they still fail the range check.
        return column.clip(pd.Timestamp("1678-01-01"), pd.Timestamp("2262-01-01")).astype("datetime64[ns]")

    changed = {}
    for name, column in frame.items():
        dtype = column.dtype
        if isinstance(dtype, pd.DatetimeTZDtype):
            # Bounds are naive UTC, and a tz-aware column cannot be compared with them.
            changed[name] = as_ns(column.dt.tz_convert("UTC").dt.tz_localize(None))
        elif pd.api.types.is_datetime64_dtype(dtype) and dtype != "datetime64[ns]":
            changed[name] = as_ns(column)
        elif pd.api.types.is_integer_dtype(dtype) or pd.api.types.is_float_dtype(dtype):
            if dtype not in ("int64", "float64"):
                changed[name] = column.astype("float64")  # NA becomes NaN, which GX skips as null
    # Copy-on-write: untouched columns are shared, not copied.
    return frame.assign(**changed) if changed else frame


def _merge(merged: dict[tuple, ExpectationOutcome], result) -> None:
    config = result.expectation_config
    kwargs = config.kwargs
    columns = tuple(kwargs.get("column_list") or ([kwargs["column"]] if "column" in kwargs else []))
    key = (config.type, columns)
    outcome = merged.setdefault(key, ExpectationOutcome(config.type, columns))
    outcome.success = outcome.success and bool(result.success)
    if outcome.error is None:
        outcome.error = _exception_message(result.exception_info or {})
    details = result.result or {}
    for name in ("unexpected_count", "element_count"):
        if details.get(name) is not None:
            setattr(outcome, name, (getattr(outcome, name) or 0) + int(details[name]))
    values = details.get("partial_unexpected_list") or []
    mismatched = (details.get("details") or {}).get("mismatched") or {}
    values = [*values, *(f"{k}: {c}" for k, cols in mismatched.items() for c in cols)]
    for value in values:
        # an example value may be post text: redact identifiers before it reaches check metadata or the reports
        text = _short(redact(_as_text(value)), EXAMPLE_CHARS)
        if len(outcome.examples) < MAX_EXAMPLES and text not in outcome.examples:
            outcome.examples.append(text)


def _exception_message(info: dict) -> str | None:
    # GX nests exception info one level deep, keyed by the metric that failed.
    for entry in [info, *(v for v in info.values() if isinstance(v, dict))]:
        if entry.get("raised_exception"):
            return _short(str(entry.get("exception_message")), 120)
    return None


def _as_text(value: Any) -> str:
    import pandas as pd

    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and value != value):
        return "null"
    if isinstance(value, dict):  # compound-column uniqueness reports one dict per row
        return ", ".join(_as_text(v) for v in value.values())
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # counts were widened to float by _gx_friendly
    return str(value)


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
