"""Pure analytics: sentiment scoring and its evaluation, with no Dagster imports."""
