"""Every labelled sentiment set present at build time, scored by every scorer: the confusion behind the
methodology page's per-class tables and behind the corrected shares (pipelines/analytics/calibration.py)."""


import dagster as dg

from .resources import WAREHOUSE_POOL, Warehouse


def posts_scorer(conn) -> str:
    """The scorer that scored core.posts_enriched (its analyzer id starts `<name>:<version>`); the default scorer
    when no post is analysed yet."""
    from pipelines.analytics.posts import DEFAULT_SCORER
    from pipelines.warehouse import versions

    def most_used() -> str | None:
        found = conn.execute(
            "select split_part(scorer, ':', 1) as name, count(*) as posts from core.posts_enriched "
            "group by 1 order by posts desc, name limit 1"
        ).fetchone()
        return found[0] if found else None

    # a scan of every analysed post (0.4 s at 10M): kept while core.posts_enriched is unchanged
    return versions.remembered(conn, "posts_scorer", ["core.posts_enriched"], most_used) or DEFAULT_SCORER


def build_scorers(posts_scorer_name: str) -> tuple[dict, dict[str, str]]:
    """Every registered scorer by name, and the ones that could not be built, with why. The scorer that scored the
    posts must build; another that fails (weights being retrained, say) is left out and named, so an evaluation
    never stops the reports."""
    from pipelines.analytics.sentiment import SCORERS, get_scorer

    built, failed = {}, {}
    for scorer_name in sorted(SCORERS):
        try:
            built[scorer_name] = get_scorer(scorer_name)
        except Exception as error:  # noqa: BLE001 - any failure to build leaves this scorer out, named
            if scorer_name == posts_scorer_name:
                raise
            failed[scorer_name] = f"{type(error).__name__}: {error}"
    return built, failed


def inputs_key(datasets: dict, sources: dict, posts_scorer_name: str, scorers: dict) -> str:
    """What the table is computed from: every set's texts and labels, where it came from, every scorer's version
    and which one scored the posts. The same key gives the same rows."""
    import hashlib

    from pipelines.warehouse import versions

    content = hashlib.sha256()
    for dataset, (texts, truth) in sorted(datasets.items()):
        content.update(repr((dataset, sources[dataset], list(texts), list(truth))).encode("utf-8", "surrogatepass"))
    return versions.digest(posts_scorer_name, sorted((n, s.version) for n, s in scorers.items()), content.hexdigest())


def validation_rows(datasets: dict, sources: dict, posts_scorer_name: str,
                    built: tuple[dict, dict[str, str]] | None = None) -> tuple[list[tuple], dict[str, str]]:
    """(dataset, source, scorer, version, scores_posts, true, predicted, posts) for every set and scorer, and the
    scorers that could not be built, with why (build_scorers)."""
    from pipelines.analytics.evaluate import confusion_matrix
    from pipelines.analytics.sentiment import LABELS, label

    scorers, failed = built or build_scorers(posts_scorer_name)
    rows = []
    for scorer_name, scorer in sorted(scorers.items()):
        for dataset, (texts, truth) in sorted(datasets.items()):
            matrix = confusion_matrix(truth, [label(s) for s in scorer.score(texts)])
            rows += [(dataset, sources[dataset], scorer_name, scorer.version, scorer_name == posts_scorer_name,
                      true, pred, matrix[i][j])
                     for i, true in enumerate(LABELS) for j, pred in enumerate(LABELS)]
    return rows, failed


def _set_version(conn, rows: list[tuple]) -> None:
    """The table's version (pipelines/warehouse/versions.py) is a digest of its rows: the same sets and scorers give
    the same version, so the marts that read it are not rebuilt for nothing."""
    from pipelines.warehouse import versions

    versions.set_version(conn, "core.sentiment_validation", versions.digest(*sorted(rows)))


# the audit.table_versions row holding inputs_key of the rows in core.sentiment_validation
_INPUTS = "core.sentiment_validation:inputs"


@dg.asset(
    key=["core", "sentiment_validation"],
    deps=[dg.AssetKey(["core", "posts_enriched"])],
    group_name="enrich",
    kinds={"duckdb", "python"},
    pool=WAREHOUSE_POOL,
    description="Every labelled sentiment set present at build time (data/eval/health_test.csv, health_dev.csv, "
    "nhs_fft.csv (real NHS patient-feedback comments) and TweetEval's validation split at $HCSM_TWEETEVAL_DIR or ../shared/reference/tweeteval_val when there) scored by "
    "every scorer: counts per true and predicted label. The scorer that scored the posts is marked; its confusion "
    "on the healthcare test set corrects the reported sentiment shares.",
)
def sentiment_validation(context: dg.AssetExecutionContext, warehouse: Warehouse) -> dg.MaterializeResult:
    from pipelines.analytics.evaluate import available_sets

    from pipelines.warehouse import versions

    datasets, sources = available_sets()
    with warehouse.connect() as conn:
        scorer = posts_scorer(conn)
        scorers, failed = build_scorers(scorer)
        key = inputs_key(datasets, sources, scorer, scorers)
        stored = conn.execute("select count(*) from core.sentiment_validation").fetchone()[0]
        # the same sets scored by the same scorers: the rows would come out the same
        kept = versions.versions(conn).get(_INPUTS) == key and not failed and stored > 0
        if not kept:
            rows, failed = validation_rows(datasets, sources, scorer, (scorers, failed))
            conn.execute("begin")
            conn.execute("delete from core.sentiment_validation")
            if rows:
                conn.executemany("insert into core.sentiment_validation values (?, ?, ?, ?, ?, ?, ?, ?)", rows)
            _set_version(conn, rows)
            versions.set_version(conn, _INPUTS, key)
            conn.execute("commit")
            stored = len(rows)
    missing = sorted(name for name, source in sources.items() if source.startswith("missing:"))
    if missing:
        context.log.info("labelled sets not found, left out: " + "; ".join(
            f"{name} (looked in {sources[name].removeprefix('missing:')})" for name in missing))
    for name, why in failed.items():
        context.log.warning(f"sentiment scorer {name} could not be built and is left out of the evaluation: {why}")
    return dg.MaterializeResult(metadata={
        "rescored": not kept,
        "scorers_left_out": "; ".join(f"{k} ({v[:200]})" for k, v in failed.items()) or "none",
        "dagster/row_count": stored,
        "posts_scorer": scorer,
        "labelled_sets": ", ".join(sorted(datasets)),
        "missing_sets": ", ".join(missing) or "none",
    })
