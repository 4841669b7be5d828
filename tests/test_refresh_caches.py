"""What a refresh with nothing new keeps instead of scanning: input files' hashes (audit.file_fingerprints),
whole-table summaries (audit.memo), and DuckDB's cache given back before a fork (access.release_memory)."""

from __future__ import annotations

import os
import time

import duckdb
import pytest

from pipelines.warehouse import access, enrich, loader, versions
from pipelines.warehouse.contracts import ORGANIZATIONS
from pipelines.warehouse.sql import setup_warehouse

ORGS = "org_id,org_name,org_type,country\no1,Alpha Clinic,clinic,US\no2,Beta Hospital,hospital,GB\n"


@pytest.fixture
def landing(tmp_path, monkeypatch):
    """A warehouse and a data folder with organizations.csv, and a count of the files hashed."""
    data = tmp_path / "data"
    data.mkdir()
    (data / "organizations.csv").write_text(ORGS)
    hashed: list[str] = []
    real = loader.file_sha256

    def counting(path):
        hashed.append(path.name)
        return real(path)

    monkeypatch.setattr(loader, "file_sha256", counting)
    conn = duckdb.connect(str(tmp_path / "wh.duckdb"))
    setup_warehouse(conn)
    yield conn, data, hashed
    conn.close()


def _loads(conn) -> int:
    return conn.execute("select count(*) from audit.loads where kind = 'organizations'").fetchone()[0]


def test_an_unchanged_file_is_not_hashed_again(landing, monkeypatch):
    conn, data, hashed = landing
    monkeypatch.setattr(loader, "RACY_NS", 0)  # the file was written just now: trust its times at once
    assert len(loader.land_new_files(conn, ORGANIZATIONS, data)) == 1 and hashed == ["organizations.csv"]
    assert loader.land_new_files(conn, ORGANIZATIONS, data) == [] and hashed == ["organizations.csv"]
    # rewritten with the same size: its ctime moves, so it is hashed, and its new content lands
    time.sleep(0.05)
    (data / "organizations.csv").write_text(ORGS.replace("Alpha", "Gamma"))
    assert len(loader.land_new_files(conn, ORGANIZATIONS, data)) == 1 and len(hashed) == 2
    assert _loads(conn) == 2
    # replaced by a copy with the same bytes and times (another inode): hashed, found loaded, not landed
    path = data / "organizations.csv"
    st = path.stat()
    copy = data / "copy.tmp"
    copy.write_bytes(path.read_bytes())
    os.utime(copy, ns=(st.st_atime_ns, st.st_mtime_ns))
    os.replace(copy, path)
    assert loader.land_new_files(conn, ORGANIZATIONS, data) == [] and len(hashed) == 3 and _loads(conn) == 2


def test_a_file_changed_close_to_its_hash_is_hashed_every_time(landing):
    """Within RACY_NS of the hash, equal times do not prove equal bytes (file times are coarse)."""
    conn, data, hashed = landing
    loader.land_new_files(conn, ORGANIZATIONS, data)
    loader.land_new_files(conn, ORGANIZATIONS, data)
    assert hashed == ["organizations.csv", "organizations.csv"]
    assert _loads(conn) == 1


def test_a_remembered_value_follows_its_tables_versions(tmp_path, monkeypatch):
    conn = duckdb.connect(str(tmp_path / "wh.duckdb"))
    setup_warehouse(conn)
    conn.execute("create table core.things as select range as n from range(5)")
    calls = []

    def total():
        calls.append(1)
        return conn.execute("select sum(n) from core.things").fetchone()[0]

    # no version yet: computed every time
    assert versions.remembered(conn, "things", ["core.things"], total) == 10
    assert versions.remembered(conn, "things", ["core.things"], total) == 10 and len(calls) == 2
    versions.changed(conn, "core.things")
    assert versions.remembered(conn, "things", ["core.things"], total) == 10 and len(calls) == 3
    assert versions.remembered(conn, "things", ["core.things"], total) == 10 and len(calls) == 3
    conn.execute("insert into core.things values (7)")
    versions.changed(conn, "core.things")
    assert versions.remembered(conn, "things", ["core.things"], total) == 17 and len(calls) == 4
    monkeypatch.setenv("HCSM_REBUILD_MARTS", "1")
    assert versions.remembered(conn, "things", ["core.things"], total) == 17 and len(calls) == 5


def test_the_analysis_check_sees_a_changed_text_and_a_missing_row(tmp_path):
    conn = duckdb.connect(str(tmp_path / "wh.duckdb"))
    conn.execute("create schema core")
    conn.execute("create table core.posts as select 'p' || range as post_id, hash(range) as content_hash "
                 "from range(1000)")
    conn.execute("create table core.posts_enriched as select post_id, content_hash, 's1' as scorer from core.posts")
    assert enrich._all_current(conn, "s1")
    assert not enrich._all_current(conn, "s2")
    conn.execute("update core.posts set content_hash = content_hash + 1 where post_id = 'p7'")
    assert not enrich._all_current(conn, "s1")
    conn.execute("update core.posts set content_hash = content_hash - 1 where post_id = 'p7'")
    conn.execute("delete from core.posts_enriched where post_id = 'p8'")
    assert not enrich._all_current(conn, "s1")


def _rss_mib() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


@pytest.mark.skipif(not os.path.exists("/proc/self/statm"), reason="reads Linux /proc")
def test_release_memory_gives_duckdbs_cache_back_and_keeps_the_limit(tmp_path):
    conn = duckdb.connect(str(tmp_path / "wh.duckdb"), config={"memory_limit": "1GB"})
    conn.execute("create table t as select range as id, md5(range::varchar) as h from range(3000000)")
    conn.execute("checkpoint")
    conn.execute("select count(distinct h) from t").fetchall()
    before = _rss_mib()
    assert access.release_memory(conn, "1GB")
    after = _rss_mib()
    assert after < before - 100, (before, after)
    assert conn.execute("select current_setting('memory_limit')").fetchone()[0] == \
        duckdb.connect(config={"memory_limit": "1GB"}).execute("select current_setting('memory_limit')").fetchone()[0]
    assert conn.execute("select count(distinct h) from t").fetchone()[0] == 3000000
