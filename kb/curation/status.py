"""The state of a data folder, for ``kb status`` (and later ``/healthz``): what is serving,
how much it holds, the last runs and the files that currently fail."""

from __future__ import annotations

import time

from kb.corpus_config.lists import in_force
from kb.index import catalogue
from kb.config import Settings
from kb.errors import KBError
from kb.index.generations import check_index, read_meta


def _when(timestamp: float | None) -> str | None:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(timestamp)) if timestamp else None


def gather(settings: Settings, runs: int = 5) -> dict:
    """Everything ``kb status`` shows, as plain data. Never raises for a missing or broken
    index: ``healthy`` is False and ``problem`` says why."""
    state: dict = {"corpus": str(settings.corpus), "data": str(settings.data), "healthy": True, "problem": None,
                   "generation": None, "built": None, "previous": None, "articles": 0, "sections": 0,
                   "by_source": {}, "by_kind": {}, "runs": [], "failures": [],
                   "lists": in_force(settings.corpus)}
    try:
        generation = check_index(settings.index_dir)
    except KBError as exc:
        state.update(healthy=False, problem=str(exc))
    else:
        meta = read_meta(generation)
        state.update(generation=generation.name, built=_when(meta.get("built")), previous=meta.get("previous"),
                     articles=meta.get("articles", 0), sections=meta.get("sections", 0),
                     by_source=meta.get("by_source", {}), by_kind=meta.get("by_kind", {}))
    if (settings.data / catalogue.CATALOGUE_FILE).is_file():
        db = catalogue.connect(settings.data)
        try:
            state["runs"] = [{**run, "started": _when(run["started"]), "finished": _when(run["finished"])}
                             for run in catalogue.recent_runs(db, runs)]
            state["failures"] = [{"file": row["path"], "source": row["source"], "reason": row["error"]}
                                 for row in catalogue.failures(db)]
        finally:
            db.close()
    return state
