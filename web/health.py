"""``/healthz`` for load balancers and monitors: 200 with the serving generation when a
search can be answered, 503 with the reason otherwise. Never rate limited, never cached."""

from __future__ import annotations

from flask import Blueprint, jsonify

from kb.errors import KBError
from kb.index.generations import read_meta
from web import access

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    index = access.index()
    try:
        with index.session() as (searcher, _stats):
            sections = searcher.doc_count()
            generation = index.live_generation()
        if not sections:
            raise KBError("the serving index holds no sections")
    except (KBError, OSError, ValueError) as exc:
        response = jsonify({"ok": False, "status": 503, "error": str(exc) or exc.__class__.__name__})
        response.status_code = 503
        return response
    meta = read_meta(generation) if generation else {}
    return jsonify({"ok": True, "status": 200, "generation": generation.name if generation else None,
                    "built": meta.get("built"), "articles": meta.get("articles"), "sections": sections,
                    "warm": index.warmed()})
