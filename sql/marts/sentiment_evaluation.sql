-- sentiment_evaluation: accuracy, macro-F1 and confusion matrix of vanilla VADER and the healthcare scorer on each labelled set (from data/eval/results.json).
with final as (
    select
        dataset,
        scorer,
        scorer_version,
        n,
        accuracy,
        macro_f1,
        macro_recall,
        confusion,
        -- 95% Wilson interval of the accuracy, treating each labelled post as one trial
        hcsm_wilson_low(round(accuracy * n)::bigint, n) as accuracy_low,
        hcsm_wilson_high(round(accuracy * n)::bigint, n) as accuracy_high
    from core.sentiment_evaluation
)

select * from final
order by dataset, scorer desc
