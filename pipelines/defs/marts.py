"""One asset per sql/marts/*.sql file, generated from the folder; dependencies are read from the SQL."""


import dagster as dg

from pipelines.warehouse.sql import mart_names, read_sql, refresh_mart, table_refs

from .resources import WAREHOUSE_POOL, Warehouse

# audit and quarantine tables are written while core is built
_WRITTEN_BY_CORE = [dg.AssetKey(["core", k]) for k in ("posts", "organizations", "user_growth", "reference")]
# check results are written by the checks on core tables and by the spike check on marts.alerts, which is
# blocking with WARN severity: it never stops the reports, but assets after marts.alerts wait for it, so the
# quality page shows this run's warning
_CHECKS_WRITTEN_BY = [*_WRITTEN_BY_CORE, dg.AssetKey(["marts", "alerts"])]
# reference tables that setup_warehouse loads from the repository, not assets
_SETUP_TABLES = {"platforms", "sentiment_evaluation"}
# tables written by the asset of another table
_WRITTEN_WITH = {"post_theme_cube": "post_cube"}


def _deps(sql: str) -> list[dg.AssetKey]:
    deps: set[dg.AssetKey] = set()
    for schema, table in table_refs(sql):
        if schema in ("core", "marts") and table not in _SETUP_TABLES:
            deps.add(dg.AssetKey([schema, _WRITTEN_WITH.get(table, table)]))
        elif schema == "audit" and table == "check_results":
            deps.update(_CHECKS_WRITTEN_BY)
        elif schema in ("audit", "quarantine"):
            deps.update(_WRITTEN_BY_CORE)
    return sorted(deps, key=lambda k: k.to_user_string())


def _mart_asset(name: str) -> dg.AssetsDefinition:
    sql = read_sql(f"marts/{name}.sql")
    first_line = sql.splitlines()[0].lstrip("- ").strip()

    @dg.asset(
        key=["marts", name],
        deps=_deps(sql),
        group_name="marts",
        kinds={"duckdb", "sql"},
        pool=WAREHOUSE_POOL,
        description=f"{first_line}\n\nBuilt from `sql/marts/{name}.sql`; not rebuilt when that file and every table "
        "it reads are unchanged since its last build.",
        metadata={"sql_file": f"sql/marts/{name}.sql"},
    )
    def _asset(warehouse: Warehouse) -> dg.MaterializeResult:
        with warehouse.connect() as conn:
            rows, rebuilt = refresh_mart(conn, name)
        # rebuilt False: its SQL and every table it reads are as when it was last built (nothing new to show)
        return dg.MaterializeResult(metadata={"dagster/row_count": rows, "rebuilt": rebuilt})

    return _asset


mart_assets = [_mart_asset(name) for name in mart_names()]
