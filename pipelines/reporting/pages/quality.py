"""Data quality page: check results, quarantined rows by reason, accounts no organization names, load reconciliation."""

from __future__ import annotations

from typing import Any

import pandas as pd

from pipelines.reporting.charts import PALETTE, plot_label, render_figure
from pipelines.reporting.components import Card, Chart, Column, Marts, Table, frame, has_rows, make_table
from pipelines.reporting.formatting import fmt_int, fmt_timestamp, is_missing

SEVERITY_ORDER = {"error": 0, "critical": 0, "warn": 1, "warning": 1}


def _flag(yes: str, no: str):
    """Formatter and css for a boolean column shown as a pass/fail badge."""

    def text(value: Any) -> str:
        return "n/a" if is_missing(value) else (yes if bool(value) else no)

    def css(value: Any) -> str:
        return "" if is_missing(value) else ("badge pass" if bool(value) else "badge fail")

    return text, css


_passed_text, _passed_css = _flag("Pass", "Fail")
_balanced_text, _balanced_css = _flag("Balanced", "Not balanced")


def summary_cards(checks: pd.DataFrame, quarantine: pd.DataFrame, loads: pd.DataFrame) -> list[Card]:
    cards = []
    if has_rows(checks, "passed", "check_name"):
        # file-level notes share the table but are not checks
        notes = checks["check_name"].astype(str).str.startswith("file: ")
        passed = checks.loc[~notes, "passed"].fillna(False).astype(bool)
        detail = f"{fmt_int(notes.sum())} file notes" if notes.any() else ""
        cards.append(Card("Checks passed", f"{fmt_int(passed.sum())} of {fmt_int(len(passed))}", detail))
    if has_rows(quarantine, "rows"):
        reasons = f"{fmt_int(quarantine['reason'].nunique())} distinct reasons" if "reason" in quarantine else ""
        cards.append(Card("Rows quarantined", fmt_int(quarantine["rows"].sum()), reasons))
    if has_rows(loads, "balanced"):
        balanced = loads["balanced"].fillna(False).astype(bool)
        detail = "rows read = loaded + quarantined + duplicate"
        cards.append(Card("Loads balanced", f"{fmt_int(balanced.sum())} of {fmt_int(len(loads))}", detail))
    return cards


def checks_table(df: pd.DataFrame) -> Table:
    if has_rows(df, "passed", "severity", "check_name"):
        # A check with no recorded result counts as failed: only a pass is a pass.
        failed = ~df["passed"].fillna(False).astype(bool)
        severity = df["severity"].astype(str).str.lower().map(SEVERITY_ORDER).fillna(2)
        df = df.assign(_failed=failed, _severity=severity).sort_values(
            ["_failed", "_severity", "check_name"], ascending=[False, True, True], kind="stable"
        )
    return make_table(
        "Result of every check in this run",
        df,
        [
            Column("passed", "Result", _passed_text, badge=_passed_css),
            Column("check_name", "Check"),
            Column("asset", "Asset"),
            Column("severity", "Severity"),
            Column("message", "Message", css="wide"),
            Column("checked_at", "Checked", fmt_timestamp, css="nowrap"),
        ],
        note="Failed checks first.",
    )


def quarantine_chart(df: pd.DataFrame) -> Chart:
    title = "Rows quarantined by reason"
    if not has_rows(df, "reason", "rows"):
        return Chart(title, None)
    import plotly.graph_objects as go

    by_reason = df.groupby("reason", as_index=False)["rows"].sum().sort_values(["rows", "reason"], kind="stable")
    fig = go.Figure(
        go.Bar(
            x=by_reason["rows"],
            y=by_reason["reason"].map(plot_label),
            orientation="h",
            marker={"color": PALETTE[2]},
            hovertemplate="%{y}: %{x:,} rows<extra></extra>",
        )
    )
    fig.update_layout(xaxis_title="Rows", showlegend=False)
    height = max(240, 60 + 32 * len(by_reason))
    return Chart(title, render_figure(fig, "quality-quarantine", height=min(height, 900)))


def quarantine_table(df: pd.DataFrame) -> Table:
    if has_rows(df, "rows"):
        df = df.sort_values("rows", ascending=False, kind="stable")
    return make_table(
        "Quarantined rows by file, reason and column",
        df,
        [
            Column("source_file", "Source file", css="path"),
            Column("reason", "Reason"),
            Column("column_name", "Column"),
            Column("rows", "Rows", fmt_int, numeric=True),
        ],
    )


def unmapped_accounts_table(df: pd.DataFrame) -> Table:
    return make_table(
        "Accounts that map to no organization",
        df,
        [
            Column("platform", "Platform"),
            Column("account", "Account"),
            Column("posts", "Posts held back", fmt_int, numeric=True),
            Column("source_files", "Source files", css="path"),
            Column("reason", "What to fill"),
        ],
        note="Posts of native platform exports are matched to organizations by the account columns of "
        "organizations.csv (x_handle, facebook_page_id, ...). Add the account to its organization's row, then load "
        "a new export of it: a file whose bytes were already loaded is not read again.",
    )


def reconciliation_table(df: pd.DataFrame) -> Table:
    if has_rows(df, "loaded_at"):
        df = df.sort_values("loaded_at", ascending=False, kind="stable")
    return make_table(
        "Load reconciliation",
        df,
        [
            Column("balanced", "Balanced", _balanced_text, badge=_balanced_css),
            Column("load_id", "Load", css="path"),
            Column("source_file", "Source file", css="path"),
            Column("file_format", "Format detected"),
            Column("loaded_at", "Loaded", fmt_timestamp, css="nowrap"),
            Column("rows_read", "Read", fmt_int, numeric=True),
            Column("rows_loaded", "Loaded rows", fmt_int, numeric=True),
            Column("rows_quarantined", "Quarantined", fmt_int, numeric=True),
            Column("rows_duplicate", "Duplicates", fmt_int, numeric=True),
        ],
        note="A load balances when every row read was loaded, quarantined or dropped as a duplicate. Newest first.",
    )


def build(marts: Marts) -> dict[str, Any]:
    checks, quarantine, loads = (
        frame(marts, name) for name in ("quality_checks", "quality_quarantine", "quality_reconciliation")
    )
    return {
        "cards": summary_cards(checks, quarantine, loads),
        "checks": checks_table(checks),
        "quarantine_chart": quarantine_chart(quarantine),
        "quarantine_table": quarantine_table(quarantine),
        "unmapped_accounts": unmapped_accounts_table(frame(marts, "quality_unmapped_accounts")),
        "reconciliation": reconciliation_table(loads),
    }
