"""Checks: blocking data-quality checks on core tables (dataset health in SQL, Great Expectations 1.x suites),
and one warning on marts.alerts for spikes in negative or risk-flagged posts.

A failed quality check has severity ERROR and is blocking, so marts and reports are not rebuilt on bad data;
an alert has severity WARN and never stops a run.
"""


from datetime import UTC, datetime

import dagster as dg

from pipelines.warehouse import health, versions
from pipelines.warehouse.contracts import CONTRACTS, Contract

from .resources import WAREHOUSE_POOL, Folders, Warehouse
from .stopping import announce_stop

# GX validates pandas chunks of this many rows taken from DuckDB (GX's SQL datasource fails on DuckDB).
CHUNK_ROWS = 250_000


def _record(conn, check_name: str, asset: str, passed: bool, message: str, severity: str = "ERROR") -> None:
    # first: a run killed in between leaves a new version, never a stale one
    versions.changed(conn, "audit.check_results")
    conn.execute(
        "insert into audit.check_results values ($c, $a, $p, $s, $m, $t)",
        {"c": check_name, "a": asset, "p": passed, "s": severity, "m": message, "t": datetime.now(UTC).replace(tzinfo=None)},
    )


def _stop_reason(conn) -> str:
    """Every blocking check failing now, for the stop banner (one run can fail several)."""
    from pipelines.reporting.status import stopping_reasons

    return "; ".join(stopping_reasons(conn)) or "a blocking check failed"


def _where(contract: Contract, folders: Folders) -> str:
    return str(folders.data_path / (contract.filename or contract.folder))


def _health_check(contract: Contract) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=dg.AssetKey(["core", contract.kind]),
        name="input_health",
        blocking=True,
        pool=WAREHOUSE_POOL,
        description="Stops the reports when an input file is unreadable or lacks required columns, when most of a "
        "file's rows are rejected, when the table is empty" + (", or when an established platform's users jump 10x in a year."
                                                               if contract.kind == "user_growth" else "."),
    )
    def _check(context: dg.AssetCheckExecutionContext, warehouse: Warehouse, folders: Folders) -> dg.AssetCheckResult:
        present = [p.relative_to(folders.data_path).as_posix() for p in contract.files(folders.data_path)]
        with warehouse.connect() as conn:
            problems = health.load_problems(conn, contract, present, _where(contract, folders))
            if contract.kind == "user_growth":
                problems += health.implausible_growth(conn)
            message = "; ".join(problems) if problems else "all current input files are healthy"
            _record(conn, "input_health", f"core/{contract.kind}", not problems, message)
            if problems:
                announce_stop(context.log, conn, folders, _stop_reason(conn))
        return dg.AssetCheckResult(
            passed=not problems,
            severity=dg.AssetCheckSeverity.ERROR,
            description=message[:2000],
            metadata={"problems": len(problems), "details": dg.MetadataValue.md("\n".join(f"- {p}" for p in problems) or "none")},
        )

    return _check


def _validate(conn, kind: str, query: str):
    """The GX suite of `kind` over the query's rows, streamed from DuckDB in pandas chunks of CHUNK_ROWS."""
    from pipelines.quality.gx_suites import validate_frames

    reader = conn.cursor()
    try:
        # the suite's columns by name (ours); the loader already reports drift in the input files
        batches = reader.sql(query).to_arrow_reader(CHUNK_ROWS)

        def chunks():
            empty = True
            for batch in batches:
                empty = False
                yield batch.to_pandas()
            if empty:  # one empty frame still checks the columns
                yield batches.schema.empty_table().to_pandas()

        return validate_frames(kind, chunks())
    finally:
        reader.close()


def _gx_check(contract: Contract) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=dg.AssetKey(["core", contract.kind]),
        name="gx_expectations",
        blocking=True,
        pool=WAREHOUSE_POOL,
        description=f"Great Expectations suite '{contract.kind}' over core.{contract.kind}, validated in pandas "
        f"chunks of {CHUNK_ROWS:,} rows streamed from DuckDB"
        + (" (only rows of loads this suite version has not passed before)." if contract.kind == "posts"
           else "; skipped when no row is new since the last validation."),
    )
    def _check(context: dg.AssetCheckExecutionContext, warehouse: Warehouse, folders: Folders) -> dg.AssetCheckResult:
        from pipelines.quality.gx_suites import COLUMNS, ROW_WISE, suite_version

        kind = contract.kind  # from our contracts, never from data
        with warehouse.connect() as conn:
            version = suite_version(kind)
            new_rows = (f" where _load_id not in (select load_id from audit.gx_validated_loads "
                        f"where kind = '{kind}' and suite_version = '{version}')")
            total = conn.execute(f"select count(*) from core.{kind}").fetchall()[0][0]
            unvalidated = conn.execute(f"select count(*) from core.{kind}{new_rows}").fetchall()[0][0]
            if unvalidated == 0:
                # every row comes from loads this suite version passed, or there is no row (an optional input
                # left out; an empty required table fails input_health): nothing to validate, and no GX import
                message = (f"all expectations passed on {total:,} rows in earlier runs; no new rows" if total
                           else f"core.{kind} has no rows: nothing to validate")
                _record(conn, "gx_expectations", f"core/{kind}", True, message)
                return dg.AssetCheckResult(
                    passed=True, severity=dg.AssetCheckSeverity.ERROR, description=message,
                    metadata={"rows_validated": 0, "rows_validated_before": total, "suite_version": version},
                )
            # row-wise suites (posts) validate only the new rows; the others, with table-wide expectations
            # (uniqueness), validate the whole table whenever any of its rows is new
            scope = new_rows if kind in ROW_WISE else ""
            outcome = _validate(conn, kind, f"select {', '.join(COLUMNS[kind])} from core.{kind}{scope}")
            earlier = total - outcome.rows
            failures = outcome.failures()
            rows = f"{outcome.rows:,} rows" + (f" (and {earlier:,} passed in earlier runs)" if earlier else "")
            message = (
                f"{len(failures)} expectation(s) failed on core.{kind}: "
                + "; ".join(f"{f.label}: {f.describe()}" for f in failures)
                if failures else f"all expectations passed on {rows}"
            )
            if outcome.success:
                conn.execute(
                    f"insert into audit.gx_validated_loads select distinct $k, $v, _load_id, now()::timestamp "
                    f"from core.{kind}{new_rows}", {"k": kind, "v": version})
            _record(conn, "gx_expectations", f"core/{kind}", outcome.success, message)
            if not outcome.success:
                announce_stop(context.log, conn, folders, _stop_reason(conn))
        return dg.AssetCheckResult(
            passed=outcome.success,
            severity=dg.AssetCheckSeverity.ERROR,
            description=message[:2000],
            metadata={**outcome.to_metadata(), "rows_validated_before": earlier, "suite_version": version,
                      "summary": dg.MetadataValue.md(outcome.summary_markdown())},
        )

    return _check


def _quarantine_check(contract: Contract) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=dg.AssetKey(["core", contract.kind]),
        name="quarantine_growth",
        # blocking with WARN severity: never stops the reports, but marts.quality_checks waits for this result
        blocking=True,
        pool=WAREHOUSE_POOL,
        description=f"Warns (without stopping the reports) when the {contract.kind} loads landed since the last run "
        f"quarantined more than {health.QUARANTINE_WARN_SHARE:.0%} of their rows, naming the most frequent reasons.",
    )
    def _check(warehouse: Warehouse) -> dg.AssetCheckResult:
        asset = f"core/{contract.kind}"
        with warehouse.connect() as conn:
            since = conn.execute(
                "select max(checked_at) from audit.check_results where check_name = 'quarantine_growth' and asset = $a",
                {"a": asset}).fetchone()[0]
            passed, message, read, quarantined = health.quarantine_growth(conn, contract.kind, since)
            _record(conn, "quarantine_growth", asset, passed, message, severity="WARN")
        return dg.AssetCheckResult(
            passed=passed, severity=dg.AssetCheckSeverity.WARN, description=message[:2000],
            metadata={"rows_read": read, "rows_quarantined": quarantined,
                      "threshold_share": health.QUARANTINE_WARN_SHARE},
        )

    return _check


health_checks = [_health_check(c) for c in CONTRACTS.values()]
quarantine_checks = [_quarantine_check(c) for c in CONTRACTS.values()]
gx_checks = [_gx_check(c) for c in CONTRACTS.values()]


@dg.asset_check(
    asset=dg.AssetKey(["marts", "alerts"]),
    name="no_spikes",
    # blocking, but a failure has WARN severity, which Dagster does not treat as a reason to skip downstream
    # assets: blocking only makes marts.quality_checks wait for this check, so it lists this run's result
    blocking=True,
    pool=WAREHOUSE_POOL,
    description="Warns (without stopping the reports) when an organization's share of negative or risk-flagged "
    "posts in one of the last three months is significantly above its previous 12 months, or when any post in "
    "those months exposes patient information. The alerts also head the index page.",
)
def alert_spikes(warehouse: Warehouse) -> dg.AssetCheckResult:
    with warehouse.connect() as conn:
        alerts = conn.execute("select metric, message from marts.alerts").fetchall()
        by_metric: dict[str, int] = {}
        for metric, _ in alerts:
            by_metric[metric] = by_metric.get(metric, 0) + 1
        message = (
            f"{len(alerts)} alert(s): " + "; ".join(m for _, m in alerts) if alerts else "no spikes or exposures"
        )
        _record(conn, "no_spikes", "marts/alerts", not alerts, message, severity="WARN")
    return dg.AssetCheckResult(
        passed=not alerts,
        severity=dg.AssetCheckSeverity.WARN,
        description=message[:2000],
        # messages name organizations and counts only; post text never reaches check metadata
        metadata={"alerts": len(alerts), **{f"alerts_{k}": v for k, v in sorted(by_metric.items())}},
    )
