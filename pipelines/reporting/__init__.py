"""HTML reports: mart frames in, a static offline site out. No Dagster or DuckDB here."""

from pipelines.reporting.site import write_site

__all__ = ["write_site"]
