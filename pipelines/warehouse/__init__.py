"""DuckDB-side logic of the pipeline (no Dagster): SQL files, file loading, raw -> core typing."""
