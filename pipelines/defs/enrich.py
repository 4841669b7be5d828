"""Sentiment, themes and risk flags per post."""


import dagster as dg

from pipelines.warehouse import versions
from pipelines.warehouse.cube import refresh_cubes
from pipelines.warehouse.enrich import enrich_posts

from .resources import WAREHOUSE_POOL, Warehouse


@dg.asset(
    key=["core", "posts_enriched"],
    # core.organizations: the posting organization's type is a cue of the patient-information flag
    deps=[dg.AssetKey(["core", "posts"]), dg.AssetKey(["core", "organizations"])],
    group_name="enrich",
    kinds={"duckdb", "python"},
    pool=WAREHOUSE_POOL,
    description="Per post: sentiment (score in -1..1 and label, the trained scorer by default), themes (multi-label, from "
    "pipelines/config/themes.csv) and risk flags (patient information by kind, unsourced health claims, "
    "unprofessional content) with reasons and a redacted text. Incremental: only new or changed posts, or posts "
    "analysed by older rules, are analysed, on every core.",
)
def posts_enriched(context: dg.AssetExecutionContext, warehouse: Warehouse) -> dg.MaterializeResult:
    with warehouse.connect() as conn:
        result = enrich_posts(conn)

        def summary() -> dict:
            dist = conn.execute(
                "select sentiment_label, count(*) as posts, round(avg(sentiment_score), 3) as mean_score "
                "from core.posts_enriched group by 1 order by 1"
            ).df()
            # counts only: flagged text, even redacted, stays out of logs and metadata
            flags = conn.execute(
                "select count(*) filter (where len(phi_kinds) > 0), count(*) filter (where unsourced_claim), "
                "count(*) filter (where unprofessional) from core.posts_enriched"
            ).fetchone()
            return {"labels": dist.to_markdown(index=False), "flags": [int(n) for n in flags]}

        # two scans of every analysed post (1.5 s at 10M): kept while the table is unchanged
        summed = versions.remembered(conn, "posts_enriched:summary", ["core.posts_enriched"], summary)
        flags = summed["flags"]
    resumed = f" (and kept {result['resumed']:,} a stopped run had analysed)" if result["resumed"] else ""
    context.log.info(f"scored {result['scored']:,} new or changed posts with {result['scorer']}{resumed}")
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": result["rows"],
            "posts_scored_this_run": result["scored"],
            "posts_resumed_from_a_stopped_run": result["resumed"],
            **{f"phase_{name}": seconds for name, seconds in result["seconds"].items()},
            "scorer": result["scorer"],
            "labels": dg.MetadataValue.md(summed["labels"]),
            "patient_information_posts": flags[0],
            "unsourced_claim_posts": flags[1],
            "unprofessional_posts": flags[2],
        }
    )


@dg.asset(
    key=["core", "post_cube"],
    deps=[dg.AssetKey(["core", "posts"]), dg.AssetKey(["core", "posts_enriched"])],
    group_name="enrich",
    kinds={"duckdb", "sql"},
    pool=WAREHOUSE_POOL,
    description="The posts summed per organization, platform and month (core.post_cube: counts, engagement, sentiment "
    "sums, risk counts; core.post_theme_cube: posts per theme), which the marts over all time read. Incremental: only "
    "the cells that new, changed or re-analysed posts touch are summed again (sql/core/post_cube.sql, "
    "sql/core/post_theme_cube.sql, pipelines/warehouse/cube.py).",
)
def post_cube(context: dg.AssetExecutionContext, warehouse: Warehouse) -> dg.MaterializeResult:
    with warehouse.connect() as conn:
        result = refresh_cubes(conn)
        theme_rows = conn.execute("select count(*) from core.post_theme_cube").fetchone()[0]
    how = "built in full" if result["full"] else f"{result['cells']:,} cell(s) summed again"
    context.log.info(f"core.post_cube: {how}")
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": result["rows"],
            "theme_rows": theme_rows,
            "cells_summed": result["cells"],
            "full_build": result["full"],
        }
    )
