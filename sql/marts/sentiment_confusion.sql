-- sentiment_confusion: every scorer on every labelled set present at build time, one row per true label: its confusion row (posts predicted negative, neutral, positive) and the label's precision, recall and F1.
with cells as (
    select * from core.sentiment_validation
),

labels as (
    select unnest(['negative', 'neutral', 'positive']) as label
),

per_class as (
    select
        c.dataset,
        c.scorer,
        l.label as true_label,
        any_value(c.source) as source,
        any_value(c.scorer_version) as scorer_version,
        bool_or(c.scores_posts) as scores_posts,
        sum(c.posts) filter (where c.true_label = l.label) as support,
        sum(c.posts) filter (where c.pred_label = l.label) as predicted,
        sum(c.posts) filter (where c.true_label = l.label and c.pred_label = l.label) as hits,
        sum(c.posts) filter (where c.true_label = l.label and c.pred_label = 'negative') as pred_negative,
        sum(c.posts) filter (where c.true_label = l.label and c.pred_label = 'neutral') as pred_neutral,
        sum(c.posts) filter (where c.true_label = l.label and c.pred_label = 'positive') as pred_positive,
        sum(c.posts) as dataset_posts,
        sum(c.posts) filter (where c.true_label = c.pred_label) as dataset_hits
    from cells as c
    cross join labels as l
    group by 1, 2, 3
),

final as (
    select
        dataset,
        source,
        scorer,
        scorer_version,
        scores_posts,
        true_label,
        coalesce(support, 0)::bigint as support,
        coalesce(pred_negative, 0)::bigint as pred_negative,
        coalesce(pred_neutral, 0)::bigint as pred_neutral,
        coalesce(pred_positive, 0)::bigint as pred_positive,
        -- as scikit-learn with zero_division=0: a label never predicted (or never present) scores 0
        case when coalesce(predicted, 0) > 0 then coalesce(hits, 0) / predicted else 0.0 end as precision,
        case when coalesce(support, 0) > 0 then coalesce(hits, 0) / support else 0.0 end as recall,
        dataset_posts::bigint as dataset_posts,
        coalesce(dataset_hits, 0) / dataset_posts as accuracy
    from per_class
),

scored as (
    select
        *,
        case when precision + recall > 0 then 2 * precision * recall / (precision + recall) else 0.0 end as f1
    from final
)

select * from scored
order by dataset, scorer, case true_label when 'negative' then 0 when 'neutral' then 1 else 2 end
