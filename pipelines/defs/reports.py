"""marts.* -> HTML report pages under $HCSM_REPORTS_DIR (one shared plotly.js beside them)."""


from datetime import UTC, datetime

import dagster as dg

from pipelines.warehouse.sql import mart_names

from .resources import WAREHOUSE_POOL, Folders, Warehouse


@dg.asset(
    key=["reports", "site"],
    deps=[dg.AssetKey(["marts", name]) for name in mart_names()],
    group_name="reports",
    kinds={"html", "plotly"},
    pool=WAREHOUSE_POOL,
    description="The stakeholder reports: index (headline figures, alerts, summary), adoption, sentiment, themes, "
    "risk, benchmark, data quality and methodology. Static HTML that opens offline; the whole site is built in a "
    "new folder and published at once by swapping the reports/ link, so readers never see half a site.",
)
def report_site(context: dg.AssetExecutionContext, warehouse: Warehouse, folders: Folders) -> dg.MaterializeResult:
    from pipelines.reporting.site import write_site

    from pipelines.reporting.status import record_build

    generated_at = datetime.now(UTC)
    with warehouse.connect() as conn:
        # mart names come from our own sql/marts folder
        marts = {name: conn.execute(f"select * from marts.{name}").df() for name in mart_names()}
        alerts = marts["alerts"]["message"].tolist() if "alerts" in marts else []
        written = write_site(folders.reports_path, marts, generated_at=generated_at, alerts=alerts)
        # the pages now show this build's data: a later stopped run says "data as of" this time
        record_build(conn, generated_at)
    pages = [p for p in written if p.suffix == ".html"]
    for p in pages:
        context.log.info(f"wrote {p} ({p.stat().st_size / 1024:,.0f} KiB)")
    return dg.MaterializeResult(
        metadata={
            "reports_dir": dg.MetadataValue.path(str(folders.reports_path)),
            "index": dg.MetadataValue.url((folders.reports_path / "index.html").as_uri()),
            "pages": dg.MetadataValue.md("\n".join(f"- `{p.name}`: {p.stat().st_size / 1024:,.0f} KiB" for p in pages)),
            "alerts": len(alerts),
            "largest_page_kib": round(max(p.stat().st_size for p in pages) / 1024, 1),
        }
    )
