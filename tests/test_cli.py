"""The `hcsm` command (pipelines/cli.py): the installed entry point, check-inputs on native and damaged files,
run on a folder, open-reports."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import make_inputs, query
from pipelines import cli
from pipelines.sample import native

ENV_NAMES = tuple(cli.ENV.values())


@pytest.fixture(autouse=True)
def _restore_env(monkeypatch):
    # `hcsm run` sets HCSM_* for the code location; register them so the test's changes are undone
    for name in ENV_NAMES:
        monkeypatch.setenv(name, "")


def test_the_installed_command_exists_and_answers(tmp_path):
    script = Path(sys.executable).parent / "hcsm"
    assert script.is_file(), "pip install -e . installs the hcsm command"
    done = subprocess.run([str(script), "--help"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and "check-inputs" in done.stdout and "open-reports" in done.stdout
    missing = subprocess.run([str(script), "open-reports", "--print", "--reports", str(tmp_path / "none")],
                             capture_output=True, text=True, timeout=120)
    assert missing.returncode == 1 and "no reports at" in missing.stderr and "hcsm run" in missing.stderr


def test_check_inputs_names_each_layout_and_what_it_would_quarantine(tmp_path, capsys):
    data = make_inputs(tmp_path / "data")
    native.write_native(data / "posts")
    (data / "posts" / "native" / "reddit_submissions.ndjson").rename(data / "posts" / "export_c.json")
    before = sorted(p.relative_to(data).as_posix() for p in data.rglob("*"))
    assert cli.main(["check-inputs", str(data)]) == 0
    out = capsys.readouterr().out
    # found from the content: the Reddit dump renamed to export_c.json is still read as Reddit
    assert "posts/export_c.json: Reddit dump records (JSON) [json:reddit]" in out
    assert "posts/native/northgate-public-health/linkedin_content.xlsx: LinkedIn page content export" in out
    assert "posts/export_a.csv: input contract (csv)" in out
    # no organization in this folder names the native accounts: every native post would be held back, with the column
    assert "account 'GoldenPrairieHosp' (id 1200000000000000001) (x) maps to no organization: fill x_handle or x_user_id" in out
    assert "65 rows read: 60 would load, 4 quarantined, 1 duplicate" in out
    assert "1 x missing post_id (first at row" in out
    assert out.strip().splitlines()[-1].endswith("0 blocking error(s)")
    # nothing written beside the inputs
    assert sorted(p.relative_to(data).as_posix() for p in data.rglob("*")) == before


def test_check_inputs_fails_on_a_file_that_would_stop_the_run(tmp_path, capsys):
    data = make_inputs(tmp_path / "data")
    (data / "posts" / "mystery.json").write_text(json.dumps([{"message": "hello", "when": "today"}]))
    assert cli.main(["check-inputs", str(data)]) == 1
    out = capsys.readouterr().out
    assert "posts/mystery.json" in out and "first record's keys: message, when" in out
    assert out.strip().splitlines()[-1].endswith("1 blocking error(s)")
    assert cli.main(["check-inputs", str(tmp_path / "nowhere")]) == 2


def test_run_builds_the_warehouse_and_reports_from_a_folder(tmp_path, capsys):
    data = make_inputs(tmp_path / "data")
    wh, reports = tmp_path / "wh" / "w.duckdb", tmp_path / "site"
    code = cli.main(["run", "--data", str(data), "--warehouse", str(wh), "--reports", str(reports)])
    assert code == 0
    assert f"open {reports / 'index.html'}" in capsys.readouterr().out
    assert (reports / "index.html").is_file() and (reports / "quality.html").is_file()
    assert query(wh, "select count(*) from core.posts") == [(70,)]
    assert cli.main(["open-reports", "--print", "--reports", str(reports)]) == 0
    assert capsys.readouterr().out.strip() == str(reports / "index.html")
