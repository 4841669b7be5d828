"""When a run stops (a blocking check fails, an input step raises), say so where readers look: one clear error
line in the run's log and the report site republished with a stop banner (pipelines/reporting/status.py)."""

from __future__ import annotations

import contextlib

from .resources import Folders, Warehouse


def announce_stop(log, conn, folders: Folders, reason: str) -> None:
    """Republish the site with the banner and log one line that says what stopped the run and where to look."""
    from pipelines.reporting.status import publish_stopped

    try:
        note = publish_stopped(conn, folders.reports_path, reason)
    except Exception as e:  # the stop itself must still be reported, even if the pages cannot be written
        log.error(f"RUN STOPPED: {reason} (the stop notice could not be published: {type(e).__name__}: {e})")
        return
    log.error(f"RUN STOPPED: {reason}. Reports under {folders.reports_path} now carry the notice "
              f"\"{note['as_of']}\"; quality.html lists the checks and quarantined rows.")


@contextlib.contextmanager
def stop_notice_on_error(log, warehouse: Warehouse, folders: Folders, step: str):
    """An input step that raises republishes the site with its error as the reason, then raises again."""
    try:
        yield
    except Exception as e:
        reason = f"{step} failed: {type(e).__name__}: {str(e).splitlines()[0][:500] if str(e) else ''}"
        with contextlib.suppress(Exception), warehouse.connect() as conn:
            announce_stop(log, conn, folders, reason)
        raise
