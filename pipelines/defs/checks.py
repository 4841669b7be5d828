"""Blocking data-quality checks on core tables: dataset health (SQL) and Great Expectations suites (GX 1.x).

A failed check has severity ERROR and is blocking, so marts and reports are not rebuilt on bad data.
"""


from datetime import UTC, datetime

import dagster as dg

from pipelines.warehouse import health
from pipelines.warehouse.contracts import CONTRACTS, Contract

from .resources import WAREHOUSE_POOL, Folders, Warehouse

# GX validates pandas chunks of this many rows taken from DuckDB (GX's SQL datasource fails on DuckDB).
CHUNK_ROWS = 250_000


def _record(conn, check_name: str, asset: str, passed: bool, message: str) -> None:
    conn.execute(
        "insert into audit.check_results values ($c, $a, $p, 'ERROR', $m, $t)",
        {"c": check_name, "a": asset, "p": passed, "m": message, "t": datetime.now(UTC).replace(tzinfo=None)},
    )


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
    def _check(warehouse: Warehouse, folders: Folders) -> dg.AssetCheckResult:
        present = [p.relative_to(folders.data_path).as_posix() for p in contract.files(folders.data_path)]
        with warehouse.connect() as conn:
            problems = health.load_problems(conn, contract, present, _where(contract, folders))
            if contract.kind == "user_growth":
                problems += health.implausible_growth(conn)
            message = "; ".join(problems) if problems else "all current input files are healthy"
            _record(conn, "input_health", f"core/{contract.kind}", not problems, message)
        return dg.AssetCheckResult(
            passed=not problems,
            severity=dg.AssetCheckSeverity.ERROR,
            description=message[:2000],
            metadata={"problems": len(problems), "details": dg.MetadataValue.md("\n".join(f"- {p}" for p in problems) or "none")},
        )

    return _check


def _gx_check(contract: Contract) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=dg.AssetKey(["core", contract.kind]),
        name="gx_expectations",
        blocking=True,
        pool=WAREHOUSE_POOL,
        description=f"Great Expectations suite '{contract.kind}' over core.{contract.kind}, validated in pandas "
        f"chunks of {CHUNK_ROWS:,} rows read from DuckDB.",
    )
    def _check(warehouse: Warehouse) -> dg.AssetCheckResult:
        from pipelines.quality.gx_suites import COLUMNS, validate_frames

        with warehouse.connect() as conn:
            reader = conn.cursor()
            # the suite's columns by name (ours); the loader already reports drift in the input files
            result = reader.execute(f"select {', '.join(COLUMNS[contract.kind])} from core.{contract.kind}")

            def chunks():
                while True:
                    df = result.fetch_df_chunk(CHUNK_ROWS // 2048)
                    if df.empty:
                        return
                    yield df

            outcome = validate_frames(contract.kind, chunks())
            reader.close()
            failures = outcome.failures()
            message = (
                f"{len(failures)} expectation(s) failed on core.{contract.kind}: "
                + "; ".join(f"{f.label}: {f.describe()}" for f in failures)
                if failures else f"all expectations passed on {outcome.rows:,} rows"
            )
            _record(conn, "gx_expectations", f"core/{contract.kind}", outcome.success, message)
        return dg.AssetCheckResult(
            passed=outcome.success,
            severity=dg.AssetCheckSeverity.ERROR,
            description=message[:2000],
            metadata={**outcome.to_metadata(), "summary": dg.MetadataValue.md(outcome.summary_markdown())},
        )

    return _check


health_checks = [_health_check(c) for c in CONTRACTS.values()]
gx_checks = [_gx_check(c) for c in CONTRACTS.values()]
