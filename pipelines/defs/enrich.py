"""Sentiment (and, with the analytics issue, themes and risk flags) per post."""


import dagster as dg

from pipelines.warehouse.enrich import enrich_posts

from .resources import WAREHOUSE_POOL, Warehouse


@dg.asset(
    key=["core", "posts_enriched"],
    deps=[dg.AssetKey(["core", "posts"])],
    group_name="enrich",
    kinds={"duckdb", "python"},
    pool=WAREHOUSE_POOL,
    description="Per-post sentiment: score in -1..1 and label negative/neutral/positive from the healthcare-tuned "
    "VADER scorer. Incremental: only new or changed posts are scored, on every core.",
)
def posts_enriched(context: dg.AssetExecutionContext, warehouse: Warehouse) -> dg.MaterializeResult:
    with warehouse.connect() as conn:
        result = enrich_posts(conn)
        dist = conn.execute(
            "select sentiment_label, count(*) as posts, round(avg(sentiment_score), 3) as mean_score "
            "from core.posts_enriched group by 1 order by 1"
        ).df()
    context.log.info(f"scored {result['scored']:,} new or changed posts with {result['scorer']}")
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": result["rows"],
            "posts_scored_this_run": result["scored"],
            "scorer": result["scorer"],
            "labels": dg.MetadataValue.md(dist.to_markdown(index=False)),
        }
    )
