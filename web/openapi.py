"""The API described in OpenAPI 3.0, built from the same constants the views check."""

from __future__ import annotations

from kb.model import READING_LEVELS, SECTION_KINDS
from kb.search.query import MAX_LIMIT

_ERROR = {"$ref": "#/components/responses/Error"}


def _param(name: str, where: str, schema: dict, description: str, required: bool = False) -> dict:
    return {"name": name, "in": where, "required": required, "description": description, "schema": schema}


_Q = _param("q", "query", {"type": "string", "maxLength": 2000}, "The reader's words.")
_KIND = _param("kind", "query", {"type": "string", "enum": list(SECTION_KINDS)}, "Only sections of this kind.")
_SOURCE = _param("source", "query", {"type": "string"}, "Only sections from this source id.")
_LEVEL = _param("level", "query", {"type": "string", "enum": list(READING_LEVELS)},
                "Only sections of this reading level.")
_READING = {"type": "object", "nullable": True,
            "description": "How hard the section is to read (null: too short to judge)",
            "properties": {"grade": {"type": "number", "description": "Flesch–Kincaid grade level"},
                           "level": {"type": "string", "enum": list(READING_LEVELS)}, "label": {"type": "string"}}}


def _limit(default: int, maximum: int) -> dict:
    return _param("limit", "query", {"type": "integer", "minimum": 1, "maximum": maximum, "default": default},
                  "How many to return.")


def _ok(description: str, schema: dict) -> dict:
    return {"200": {"description": description, "content": {"application/json": {"schema": schema}}},
            "400": _ERROR, "429": _ERROR, "500": _ERROR, "503": _ERROR}


_HIT = {"type": "object", "required": ["article_id", "title", "section_id", "heading", "kind", "score", "snippet", "url"],
        "properties": {"article_id": {"type": "string"}, "title": {"type": "string"},
                       "section_id": {"type": "string"}, "heading": {"type": "string"},
                       "kind": {"type": "string", "enum": list(SECTION_KINDS)}, "score": {"type": "number"},
                       "snippet": {"type": "string", "description": "HTML: escaped text, only <mark> tags"},
                       "url": {"type": "string"}, "source": {"type": "string"}, "reading": _READING}}
_UNDERSTOOD = {"type": "array", "description": "What a description was read as, one part each",
               "items": {"type": "object", "required": ["text", "matched_terms", "negated"],
                         "properties": {"text": {"type": "string"},
                                        "matched_terms": {"type": "array", "items": {"type": "string"},
                                                          "description": "other names searched for it"},
                                        "words": {"type": "array", "items": {"type": "string"}},
                                        "negated": {"type": "boolean"}}}}
_DROP = _param("drop", "query", {"type": "array", "items": {"type": "string"}},
               "A part of what was understood that the reader removed (repeatable).")
_SEARCH = {"type": "object", "required": ["query", "total", "results"],
           "properties": {"query": {"type": "string"}, "total": {"type": "integer"},
                          "results": {"type": "array", "items": _HIT}, "intent": {"type": "string", "nullable": True},
                          "also_searched": {"type": "array", "items": {"type": "string"}},
                          "suggestion": {"type": "string", "nullable": True},
                          "corrected": {"type": "string", "nullable": True},
                          "facets": {"type": "object"}, "filters": {"type": "object"}, "message": {"type": "string"},
                          "red_flags": {"type": "array", "items": {"type": "string"}}, "urgent": {"type": "string"},
                          "pagination": {"type": "object"}, "answer": {"type": "object", "nullable": True},
                          "description": {"type": "boolean"}, "understood": _UNDERSTOOD,
                          "explanations": {"type": "object", "description": "article id → why it ranks there"}}}
_ARTICLE = {"type": "object", "required": ["id", "title", "sections"],
            "properties": {"id": {"type": "string"}, "title": {"type": "string"}, "source": {"type": "string"},
                           "source_name": {"type": "string"}, "url": {"type": "string"},
                           "sections": {"type": "array", "items": {"type": "object"}},
                           "related": {"type": "array", "items": {"type": "object"}}}}


def document() -> dict:
    """The OpenAPI document served at /api/openapi.json."""
    return {
        "openapi": "3.0.3",
        "info": {"title": "Health knowledge base API", "version": "1",
                 "description": "Search sample health articles by section. Not medical advice. "
                                "Errors are {\"ok\": false, \"error\", \"status\"}."},
        "paths": {
            "/api/search": {"get": {
                "summary": "The results page as data: articles best first, their best sections (at most 3 each)",
                "parameters": [_Q, _limit(10, MAX_LIMIT), _KIND, _SOURCE, _LEVEL, _DROP,
                               _param("page", "query", {"type": "integer", "minimum": 1, "maximum": 1000},
                                      "The results page's ten articles instead of `limit` sections.")],
                "responses": _ok("Search results", _SEARCH)}},
            "/api/suggest": {"get": {
                "summary": "Titles, other names and headings starting with q (autocomplete)",
                "parameters": [_Q, _limit(8, 20)],
                "responses": _ok("Suggestions", {"type": "object", "properties": {
                    "query": {"type": "string"}, "suggestions": {"type": "array", "items": {"type": "object"}}}})}},
            "/api/symptoms": {"get": {
                "summary": "Conditions whose articles describe the reader's symptoms (a list or a description)",
                "parameters": [_Q, _param("s", "query", {"type": "array", "items": {"type": "string"}},
                                          "One symptom per value (repeatable).", False), _DROP, _limit(10, MAX_LIMIT)],
                "responses": _ok("Matching conditions", {"type": "object", "properties": {
                    "symptoms": {"type": "array", "items": {"type": "string"}},
                    "conditions": {"type": "array", "items": {"type": "object"}},
                    "red_flags": {"type": "array", "items": {"type": "string"}},
                    "urgent": {"type": "string"}, "notice": {"type": "string"}, "understood": _UNDERSTOOD,
                    "negated": {"type": "array", "items": {"type": "string"}},
                    "also_searched": {"type": "array", "items": {"type": "string"}}}})}},
            "/api/articles": {"get": {
                "summary": "Every article, A–Z",
                "responses": _ok("Articles", {"type": "object", "properties": {
                    "articles": {"type": "array", "items": {"type": "object"}}}})}},
            "/api/articles/{article_id}": {"get": {
                "summary": "One article with its sections in reading order",
                "parameters": [_param("article_id", "path", {"type": "string", "maxLength": 200}, "Article id", True)],
                "responses": {**_ok("The article", _ARTICLE), "404": _ERROR}}},
            "/api/kinds/{kind}": {"get": {
                "summary": "Every article's sections of one kind",
                "parameters": [_param("kind", "path", {"type": "string", "enum": list(SECTION_KINDS)}, "Section kind",
                                      True)],
                "responses": {**_ok("Sections", {"type": "object"}), "404": _ERROR}}},
            "/api/openapi.json": {"get": {"summary": "This document",
                                          "responses": {"200": {"description": "OpenAPI 3 document"}}}},
        },
        "components": {
            "schemas": {"Error": {"type": "object", "required": ["ok", "error", "status"], "properties": {
                "ok": {"type": "boolean", "enum": [False]}, "error": {"type": "string"}, "status": {"type": "integer"}}}},
            "responses": {"Error": {"description": "An error", "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}},
        },
    }
