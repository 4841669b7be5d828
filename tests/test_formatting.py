"""Number formatting without artefacts (issue 15 item 2): no '-0 points'."""

from pipelines.reporting.formatting import fmt_points_interval


def test_points_that_round_to_zero_have_no_minus_sign():
    assert fmt_points_interval(-0.003, -0.004, 0.02) == "+0 points (95% CI +0 to +2)"
    assert fmt_points_interval(-0.12, -0.21, -0.03) == "-12 points (95% CI -21 to -3)"
    assert "-0" not in fmt_points_interval(-0.0049, -0.0001, 0.0)
