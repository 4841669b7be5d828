"""The embedded healthcare reference figures (reference/ in the sample), built as data from the public compilation.

`python -m pipelines.sample` writes them; the figures and their sources are copied as published, with two
additions: the denominator of a count where the source gives one (Griffis et al. surveyed 3,371 hospitals, so
3,351 hospitals on Facebook is also a share), and the license column. The world totals of social-media users
(subject all_users) are user-growth figures and ship in user_growth/ instead.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pyarrow as pa

from pipelines.sample.generate import write_csv
from pipelines.sample.user_growth import ADOPTION_FILE, ADOPTION_LICENSE

FILE_NAME = "healthcare_adoption_figures.csv"
SCHEMA = pa.schema([(name, pa.string()) for name in (
    "subject", "platform", "period", "region", "metric", "value", "unit", "denominator", "source", "license")])
# (subject, platform, period, metric) -> the denominator the source states
DENOMINATORS = {("hospitals", "facebook", "2012", "hospitals_present"): "3371"}
HEADER = ["subject", "platform", "period", "region", "metric", "value", "unit", "source"]


def reference_table(reference: Path) -> pa.Table:
    with (Path(reference) / ADOPTION_FILE).open(newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    if rows[0] != HEADER:
        raise ValueError(f"{ADOPTION_FILE}: unexpected header {rows[0]}")
    records = [dict(zip(HEADER, r)) for r in rows[1:] if r and r[0] != "all_users"]
    for r in records:
        r["denominator"] = DENOMINATORS.get((r["subject"], r["platform"], r["period"], r["metric"]), None)
        r["license"] = ADOPTION_LICENSE
    return pa.table({name: [r[name] for r in records] for name in SCHEMA.names}, schema=SCHEMA)


def build_reference(out_dir: Path | str, reference: Path | str) -> dict[str, int]:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    table = reference_table(Path(reference))
    write_csv(table, out / FILE_NAME)
    return {FILE_NAME: table.num_rows}
