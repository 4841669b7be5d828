"""Data-quality suites (Great Expectations) for the core tables; no Dagster imports."""
