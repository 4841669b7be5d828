"""A LightFigure (plain dicts, no plotly validation) draws and downloads exactly what the plotly Figure does."""

from __future__ import annotations

import base64
import json
import re

import numpy as np
import pandas as pd

from pipelines.reporting.charts import LightFigure, interval_figure, render_figure


def _plotted(markup: str) -> tuple[list, dict]:
    """The data and layout passed to Plotly.newPlot, typed arrays decoded, floats rounded."""
    found = re.search(r'Plotly\.newPlot\(\s*"[^"]+",\s*(\[.*?\]),\s*(\{.*?\}),\s*\{"displaylogo', str(markup), re.S)
    assert found, "no newPlot call"

    def plain(value):
        if isinstance(value, dict) and "bdata" in value:
            return plain(np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"]).tolist())
        if isinstance(value, dict):
            return {k: plain(v) for k, v in sorted(value.items())}
        if isinstance(value, list):
            return [plain(v) for v in value]
        if isinstance(value, float):
            return None if value != value else round(value, 9)
        return value

    return plain(json.loads(found.group(1))), plain(json.loads(found.group(2)))


def test_light_interval_figure_equals_the_plotly_one():
    frame = pd.DataFrame({
        "series": ["This organization"] * 4 + ["Hospital <peers> & co"] * 3,
        "quarter": ["2020-01", "2020-04", "2020-07", "2020-10", "2020-01", "2020-04", "2020-07"],
        "mean": [0.1, -0.2, 0.35, np.nan, 0.0, 0.05, 0.2],
        # a quarter of one post has no interval (the standard deviation of one value is none)
        "low": [0.0, -0.3, np.nan, np.nan, -0.1, 0.0, 0.1],
        "high": [0.2, -0.1, np.nan, np.nan, 0.1, 0.1, 0.3],
        "small": [False, True, True, None, False, False, True],
    })
    options = {"x": "quarter", "y": "mean", "low": "low", "high": "high", "series": "series", "small": "small",
               "colors": {"This organization": "#e15759"}, "y_title": "Mean score", "y_hover": ":+.3f",
               "percent": False}
    heavy = render_figure(interval_figure(frame, **options), "chart", height=360)
    light_figure = interval_figure(frame, **options, light=True)
    assert isinstance(light_figure, LightFigure)
    light = render_figure(light_figure, "chart", height=360)
    assert _plotted(light) == _plotted(heavy)
    assert light.data_csv == heavy.data_csv
    assert len(light.data_csv.splitlines()) == 1 + 7  # header and one row per point, the pointless ones included
    # percent axes too
    options["percent"] = True
    assert _plotted(render_figure(interval_figure(frame, **options, light=True), "c")) == \
        _plotted(render_figure(interval_figure(frame, **options), "c"))
