"""marts.* -> HTML report pages under $HCSM_REPORTS_DIR (one shared plotly.js beside them)."""


from datetime import UTC, datetime

import dagster as dg

from pipelines.warehouse import versions
from pipelines.warehouse.sql import mart_names

from .resources import WAREHOUSE_POOL, Folders, Warehouse


def run_summary(reports_path, n_pages: int, alerts: list[str], marts: dict) -> str:
    """The run's last word in the log: where the reports are, alerts, quarantine and warnings."""
    lines = [f"RUN SUMMARY: {n_pages} report pages in {reports_path} (open {reports_path / 'index.html'})"]
    lines.append(f"  alerts: {len(alerts)}" + "".join(f"\n    - {a}" for a in alerts[:5])
                 + (f"\n    - and {len(alerts) - 5} more" if len(alerts) > 5 else ""))
    recon = marts.get("quality_reconciliation")
    if recon is not None and len(recon):
        lines.append(f"  rows read {int(recon['rows_read'].sum()):,}: loaded {int(recon['rows_loaded'].sum()):,}, "
                     f"quarantined {int(recon['rows_quarantined'].sum()):,}, duplicate {int(recon['rows_duplicate'].sum()):,}"
                     " (quality.html lists every reason)")
    checks = marts.get("quality_checks")
    if checks is not None and len(checks):
        # file-level notes (a zone assumed, a column ignored) are listed apart: they are not checks that failed
        is_note = checks["check_name"].astype(str).str.startswith("file: ")
        notes, checks = checks[is_note], checks[~is_note]
        warned = checks[~checks["passed"].fillna(False).astype(bool)]
        lines.append(f"  checks: {len(checks) - len(warned)} of {len(checks)} passed"
                     + "".join(f"\n    - {r.severity} {r.check_name} on {r.asset}: {str(r.message)[:300]}"
                               for r in warned.head(8).itertuples()))
        if len(notes):
            lines.append(f"  file notes: {len(notes)} (quality.html lists them)"
                         + "".join(f"\n    - {r.severity}: {str(r.message)[:300]}" for r in notes.head(3).itertuples())
                         + (f"\n    - and {len(notes) - 3} more" if len(notes) > 3 else ""))
    return "\n".join(lines)


# what the run summary reads when the site is kept as it is
_SUMMARY_MARTS = ("alerts", "quality_checks", "quality_reconciliation")


@dg.asset(
    key=["reports", "site"],
    deps=[dg.AssetKey(["marts", name]) for name in mart_names()],
    group_name="reports",
    kinds={"html", "plotly"},
    pool=WAREHOUSE_POOL,
    description="The stakeholder reports: index (headline figures, alerts, summary), adoption, sentiment, themes, "
    "risk, benchmark, data quality and methodology. Static HTML that opens offline; the whole site is built in a "
    "new folder and published at once by swapping the reports/ link, so readers never see half a site. Not rebuilt when every "
    "mart and the page code are as when the published site was built (pipelines/reporting/freshness.py).",
)
def report_site(context: dg.AssetExecutionContext, warehouse: Warehouse, folders: Folders) -> dg.MaterializeResult:
    from pipelines.reporting.freshness import published_key, site_key
    from pipelines.reporting.publish import read_manifest
    from pipelines.reporting.site import write_site
    from pipelines.reporting.status import read_marts, record_build, site_alerts

    generated_at = datetime.now(UTC)
    names = mart_names()
    with warehouse.connect() as conn:
        key = site_key(conn, names)
        if key is not None and not versions.rebuild_forced() and published_key(folders.reports_path) == key:
            # every mart and the code that draws the pages are as when the published site was built: keep it
            marts = read_marts(conn, list(_SUMMARY_MARTS))
            alerts = site_alerts(marts)
            pages = [folders.reports_path / rel for rel in read_manifest(folders.reports_path)["files"]
                     if rel.endswith(".html")]
            context.log.info("reports unchanged: every mart and the page code are as when the published site was "
                             "built, so it is kept as it is")
            context.log.info(run_summary(folders.reports_path, len(pages), alerts, marts))
            return dg.MaterializeResult(metadata={
                "reports_dir": dg.MetadataValue.path(str(folders.reports_path)),
                "index": dg.MetadataValue.url((folders.reports_path / "index.html").as_uri()),
                "alerts": len(alerts), "rebuilt": False, "inputs_key": key,
            })
        marts = read_marts(conn, names)
        # the organization pages are rendered by forked workers, whose RSS would count DuckDB's cache again
        warehouse.release_memory(conn)
        alerts = site_alerts(marts)
        written = write_site(folders.reports_path, marts, generated_at=generated_at, alerts=alerts, key=key)
        # the pages now show this build's data: a later stopped run says "data as of" this time
        record_build(conn, generated_at)
    pages = [p for p in written if p.suffix == ".html"]
    for p in pages:
        context.log.debug(f"wrote {p} ({p.stat().st_size / 1024:,.0f} KiB)")
    context.log.info(run_summary(folders.reports_path, len(pages), alerts, marts))
    return dg.MaterializeResult(
        metadata={
            "reports_dir": dg.MetadataValue.path(str(folders.reports_path)),
            "index": dg.MetadataValue.url((folders.reports_path / "index.html").as_uri()),
            "pages": dg.MetadataValue.md("\n".join(f"- `{p.name}`: {p.stat().st_size / 1024:,.0f} KiB" for p in pages)),
            "alerts": len(alerts),
            "largest_page_kib": round(max(p.stat().st_size for p in pages) / 1024, 1),
            "rebuilt": True,
            "inputs_key": key or "none (a mart has no version)",
        }
    )
