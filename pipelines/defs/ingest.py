"""Input files -> raw.* (as loaded, with lineage) -> core.* (typed, deduplicated), with quarantine and reconciliation."""


import dagster as dg

from pipelines.quality import gx_suites
from pipelines.warehouse import core as core_logic
from pipelines.warehouse.contracts import CONTRACTS, Contract
from pipelines.warehouse import versions
from pipelines.warehouse.loader import land_new_files

from .resources import WAREHOUSE_POOL, Folders, Warehouse
from .stopping import stop_notice_on_error

_CORE_DEPS = {"posts": [dg.AssetKey(["raw", "posts"]), dg.AssetKey(["core", "organizations"])]}
_DESCRIPTIONS = {
    "posts": "Posts by healthcare organizations from $HCSM_DATA_DIR/posts/ (.csv, .jsonl/.ndjson, .parquet).",
    "organizations": "Tracked organizations from $HCSM_DATA_DIR/organizations.csv.",
    "user_growth": "Platform user-growth statistics from $HCSM_DATA_DIR/user_growth/*.csv.",
    "reference": "Published healthcare adoption figures (hospitals, health departments, physicians, the public) "
    "from $HCSM_DATA_DIR/reference/*.csv, one figure a row with its source; optional.",
}


def _raw_asset(contract: Contract) -> dg.AssetsDefinition:
    @dg.asset(
        key=["raw", contract.kind],
        group_name="ingest",
        kinds={"duckdb"},
        pool=WAREHOUSE_POOL,
        description=f"{_DESCRIPTIONS[contract.kind]} Lands each new file content once, every value as text, "
        "with _source_file, _source_row and _load_id.",
    )
    def _asset(context: dg.AssetExecutionContext, warehouse: Warehouse, folders: Folders) -> dg.MaterializeResult:
        with stop_notice_on_error(context.log, warehouse, folders, f"raw/{contract.kind}"), warehouse.connect() as conn:
            # new rows will be validated with Great Expectations: import it beside the landing (see preload)
            def before_first_file() -> None:
                # the audit tables change from here on: their version changes first, so a run killed while
                # landing leaves marts that read them to be rebuilt, never stale
                versions.changed(conn, versions.AUDIT)
                gx_suites.preload()

            landed = land_new_files(conn, contract, folders.data_path, on_new_file=before_first_file)
            total = conn.execute(f"select count(*) from raw.{contract.kind}").fetchone()[0]
        for item in landed:
            for severity, issue, detail in item.issues:
                (context.log.error if severity == "error" else context.log.warning)(detail)
        return dg.MaterializeResult(
            metadata={
                "dagster/row_count": total,
                "files_landed": len(landed),
                "rows_landed": sum(x.rows_read for x in landed),
                "files": dg.MetadataValue.md(
                    "\n".join(f"- `{x.source_file}`: {x.rows_read:,} rows, {x.status}" for x in landed) or "no new files"
                ),
            }
        )

    return _asset


_PREVIEW_COLUMNS = {
    # post text stays out of metadata: it may carry patient information
    "posts": "post_id, platform, org_id, posted_at, likes, shares, comments",
    "organizations": "org_id, org_name, org_type, country",
    "user_growth": "platform, period, region, users, source",
    "reference": "subject, platform, period, region, metric, value, unit, source",
}


def _core_asset(contract: Contract) -> dg.AssetsDefinition:
    @dg.asset(
        key=["core", contract.kind],
        deps=_CORE_DEPS.get(contract.kind, [dg.AssetKey(["raw", contract.kind])]),
        group_name="core",
        kinds={"duckdb"},
        pool=WAREHOUSE_POOL,
        description=f"Typed, deduplicated {contract.kind}. Rejected rows go to quarantine.rejected_rows with a reason; "
        "each load is reconciled in audit.load_reconciliation.",
    )
    def _asset(context: dg.AssetExecutionContext, warehouse: Warehouse, folders: Folders) -> dg.MaterializeResult:
        present = [p.relative_to(folders.data_path).as_posix() for p in contract.files(folders.data_path)]
        with stop_notice_on_error(context.log, warehouse, folders, f"core/{contract.kind}"), warehouse.connect() as conn:
            result = core_logic.process(conn, contract, present)
            preview = conn.execute(
                f"select {_PREVIEW_COLUMNS[contract.kind]} from core.{contract.kind} limit 10"
            ).df()
        context.log.info(
            f"{contract.kind}: {result.loads} new load(s), {result.rows_read:,} rows read, {result.rows_loaded:,} loaded, "
            f"{result.rows_quarantined:,} quarantined, {result.rows_duplicate:,} duplicate"
        )
        return dg.MaterializeResult(
            metadata={
                "dagster/row_count": result.core_rows,
                "new_loads": result.loads,
                "rows_read": result.rows_read,
                "rows_loaded": result.rows_loaded,
                "rows_quarantined": result.rows_quarantined,
                "rows_duplicate": result.rows_duplicate,
                "preview": dg.MetadataValue.md(preview.to_markdown(index=False) if len(preview) else "empty"),
            }
        )

    return _asset


raw_assets = [_raw_asset(c) for c in CONTRACTS.values()]
core_assets = [_core_asset(c) for c in CONTRACTS.values()]
