"""The `hcsm` command: a small front door to the same Dagster assets the UI and `dagster job execute` run.

    hcsm run [--data DIR] [--warehouse FILE] [--reports DIR]   materialize the refresh_all job in this process
    hcsm check-inputs DIR                                       per file: the layout found, rows that would load,
                                                                rows that would be quarantined and why
    hcsm open-reports [--reports DIR] [--print]                 open the overview page (or print its path)

check-inputs changes nothing: it loads DIR's organizations.csv and posts/ into a throwaway warehouse in a temporary
folder with the real loader and core step, reports what happened per file and deletes it.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import webbrowser
from collections.abc import Sequence
from pathlib import Path

ENV = {"data": "HCSM_DATA_DIR", "warehouse": "HCSM_WAREHOUSE", "reports": "HCSM_REPORTS_DIR"}
TOP_REASONS = 3


def _reports_dir(value: str | None) -> Path:
    from pipelines.defs.resources import DEFAULTS

    return Path(value or os.environ.get(ENV["reports"]) or DEFAULTS[ENV["reports"]]).expanduser().absolute()


def run(args: argparse.Namespace) -> int:
    """The refresh_all job, in process, with the code location's own resources pointed at the given folders."""
    import dagster as dg

    from pipelines.definitions import defs
    from pipelines.defs.resources import DEFAULTS

    # the code location reads its folders from these variables, as under `dagster job execute`
    for key, name in ENV.items():
        value = getattr(args, key)
        if value is not None:
            os.environ[name] = str(Path(value).expanduser().absolute())
    data = Path(os.environ.get(ENV["data"]) or DEFAULTS[ENV["data"]])
    if not data.is_dir():
        print(f"hcsm run: the data folder {data} does not exist", file=sys.stderr)
        return 2
    job = defs().resolve_job_def("refresh_all")
    # a DAGSTER_HOME instance keeps the run in the UI's history; without one the run is not recorded
    instance = dg.DagsterInstance.get() if os.environ.get("DAGSTER_HOME") else dg.DagsterInstance.ephemeral()
    result = job.execute_in_process(instance=instance, raise_on_error=False)
    if result.success:
        print(f"hcsm run: done; open {_reports_dir(None) / 'index.html'}")
        return 0
    print("hcsm run: the run stopped; the quality page says why "
          f"({_reports_dir(None) / 'quality.html'})", file=sys.stderr)
    return 1


def inspect_inputs(data_dir: Path) -> list[dict]:
    """Every posts file of data_dir through the real loader and core step, into a throwaway warehouse: per file its
    layout, rows read, loaded, quarantined and duplicate, the top quarantine reasons and file-level issues."""
    import duckdb

    from pipelines.warehouse import core
    from pipelines.warehouse.contracts import ORGANIZATIONS, POSTS
    from pipelines.warehouse.loader import land_new_files
    from pipelines.warehouse.sql import setup_warehouse

    with tempfile.TemporaryDirectory(prefix="hcsm-check-") as tmp:
        conn = duckdb.connect(str(Path(tmp) / "check.duckdb"))
        try:
            setup_warehouse(conn)
            if (data_dir / ORGANIZATIONS.filename).is_file():
                land_new_files(conn, ORGANIZATIONS, data_dir)
                core.process(conn, ORGANIZATIONS, [ORGANIZATIONS.filename])
            land_new_files(conn, POSTS, data_dir)
            core.process(conn, POSTS, [p.relative_to(data_dir).as_posix() for p in POSTS.files(data_dir)])
            files = conn.execute(
                "select l.source_file, l.file_format, l.status, coalesce(r.rows_read, l.rows_read), r.rows_loaded, "
                "r.rows_quarantined, r.rows_duplicate from audit.loads l left join audit.load_reconciliation r "
                "using (load_id) where l.kind in ('posts', 'organizations') order by l.kind desc, l.source_file"
            ).fetchall()
            out = []
            for source, fmt, status, read, loaded, quarantined, duplicate in files:
                reasons = conn.execute(
                    "select reason, count(*) n, min(source_row) from quarantine.rejected_rows where source_file = $f "
                    "group by reason order by n desc, reason limit $k", {"f": source, "k": TOP_REASONS}).fetchall()
                issues = [r[0] for r in conn.execute(
                    "select severity || ': ' || detail from audit.file_issues where source_file = $f "
                    "order by severity, detail", {"f": source}).fetchall()]
                out.append({"file": source, "format": fmt, "status": status, "read": read, "loaded": loaded,
                            "quarantined": quarantined, "duplicate": duplicate,
                            "reasons": [(reason, n, row) for reason, n, row in reasons], "issues": issues})
            return out
        finally:
            conn.close()


def _format_name(fmt: str) -> str:
    from pipelines.warehouse.formats import FORMATS

    kind, _, native = fmt.partition(":")
    return f"{FORMATS[native].label} [{fmt}]" if native in FORMATS else f"input contract ({kind})"


def check_inputs(args: argparse.Namespace) -> int:
    data = Path(args.dir).expanduser().resolve()
    if not data.is_dir():
        print(f"hcsm check-inputs: {data} is not a folder", file=sys.stderr)
        return 2
    if not (data / "posts").is_dir():
        print(f"hcsm check-inputs: {data} has no posts/ folder", file=sys.stderr)
        return 2
    results = inspect_inputs(data)
    blocking = 0
    for r in results:
        print(f"{r['file']}: {_format_name(r['format'])}")
        if r["loaded"] is None:
            print(f"  not read ({r['status']}): {r['read']:,} rows")
        else:
            print(f"  {r['read']:,} rows read: {r['loaded']:,} would load, {r['quarantined']:,} quarantined, "
                  f"{r['duplicate']:,} duplicate")
        for reason, n, row in r["reasons"]:
            print(f"    {n:,} x {reason} (first at row {row})" if row is not None else f"    {n:,} x {reason}")
        for issue in r["issues"]:
            print(f"  {issue}")
            blocking += issue.startswith("error")
    read = sum(r["read"] or 0 for r in results)
    quarantined = sum(r["quarantined"] or 0 for r in results)
    print(f"{len(results)} file(s), {read:,} rows read, {quarantined:,} would be quarantined; "
          f"{blocking} blocking error(s)")
    return 1 if blocking else 0


def open_reports(args: argparse.Namespace) -> int:
    page = _reports_dir(args.reports) / "index.html"
    if not page.is_file():
        print(f"hcsm open-reports: no reports at {page.parent}; build them with `hcsm run`", file=sys.stderr)
        return 1
    print(page)
    if not args.print:
        webbrowser.open(page.as_uri())
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="hcsm", description="hcsm-insights: healthcare social media analytics.")
    sub = p.add_subparsers(dest="command", required=True)
    r = sub.add_parser("run", help="build the warehouse and the reports (the refresh_all job)")
    r.add_argument("--data", help="input folder (organizations.csv, posts/, user_growth/, reference/); default: the sample")
    r.add_argument("--warehouse", help="DuckDB file; default data/warehouse.duckdb")
    r.add_argument("--reports", help="where the HTML reports go; default reports/")
    r.set_defaults(func=run)
    c = sub.add_parser("check-inputs", help="say per posts file which layout was found and what would be quarantined")
    c.add_argument("dir", help="input folder holding posts/ (and organizations.csv to map accounts)")
    c.set_defaults(func=check_inputs)
    o = sub.add_parser("open-reports", help="open the overview page in the browser")
    o.add_argument("--reports", help="the reports folder; default reports/ (or HCSM_REPORTS_DIR)")
    o.add_argument("--print", action="store_true", help="only print the page's path")
    o.set_defaults(func=open_reports)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    raise SystemExit(main())
