"""CSV downloads (pure helper) and the print stylesheet, printed to PDF by real headless Chromium."""

from __future__ import annotations

import csv
import io
import subprocess
import tempfile
from pathlib import Path

import pandas as pd
import pytest

from pipelines.reporting import downloads
from tests.browser import CHROMIUM, CHROMIUM_ARGS

STATIC = Path(downloads.__file__).parent / "static"


def test_csv_header_and_rows_match_frame():
    frame = pd.DataFrame({"platform": ["Facebook", "X (Twitter)", "YouTube"], "posts": [3, 0, 12]})
    taken: set[str] = set()
    path, data, link = downloads.download("Adoption", "Posts by platform", frame, taken)
    assert path == "downloads/adoption--posts-by-platform.csv"
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"))))
    assert rows[0] == ["platform", "posts"] and len(rows) - 1 == len(frame)
    assert rows[2] == ["X (Twitter)", "0"]
    assert f'href="{path}"' in link and "3 rows" in link
    # the same title twice on a page gets a second file, not an overwrite
    assert downloads.download("Adoption", "Posts by platform", frame, taken)[0].endswith("-2.csv")


def test_csv_refuses_unredacted_text():
    frame = pd.DataFrame({"post_id": ["p1"], "text": ["Jane Doe MRN 1234567"]})
    with pytest.raises(ValueError, match="text"):
        downloads.download("Risk", "Flagged posts", frame)
    ok = downloads.csv_bytes(frame.rename(columns={"text": "text_shown"}).assign(text_shown="[name] MRN [id]"))
    assert b"Jane" not in ok


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium")
def test_print_stylesheet_prints_to_pdf():
    pypdf = pytest.importorskip("pypdf")
    rows = "".join(f"<tr><td>Org {i}</td><td>{i}</td></tr>" for i in range(120))
    html = (f"<!doctype html><html><head><meta charset='utf-8'><style>{(STATIC / 'print.css').read_text()}</style>"
            "</head><body><nav class='site-nav'>NAVIGATION-LINKS</nav><h1>Adoption report</h1>"
            "<a class='csv-download' href='downloads/x.csv'>Download CSV</a>"
            f"<table><tr><th>Organization</th><th>Posts</th></tr>{rows}</table></body></html>")
    with tempfile.TemporaryDirectory() as tmp:
        page, pdf, profile = Path(tmp, "page.html"), Path(tmp, "page.pdf"), Path(tmp, "profile")
        page.write_text(html, encoding="utf-8")
        subprocess.run([str(CHROMIUM), *CHROMIUM_ARGS, f"--user-data-dir={profile}", "--no-pdf-header-footer",
                        f"--print-to-pdf={pdf}", page.as_uri()], check=True, capture_output=True, timeout=120)
        reader = pypdf.PdfReader(str(pdf))
        text = "\n".join(p.extract_text() for p in reader.pages)
    # 121 table rows at 11pt on A4 with 15 mm margins do not fit one page, and fit in a few
    assert 2 <= len(reader.pages) <= 6, len(reader.pages)
    assert "Adoption report" in text and "Org 119" in text
    assert "NAVIGATION-LINKS" not in text and "Download CSV" not in text


def test_site_stylesheet_carries_the_print_rules():
    from pipelines.reporting.site import STYLE_CSS, site_files

    css = site_files({"index.html": "<html></html>"})[STYLE_CSS].decode("utf-8")
    assert "@media print" in css and ".topnav" in css.split("@media print", 1)[1]
