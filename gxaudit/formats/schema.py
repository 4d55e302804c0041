"""The schema of a format file (formats/*.yaml): what a new format year may say.

Every key is optional in one file (a format file adds to the shared
common.yaml it includes); formats/load.py checks that the merged format has
every part it needs.
"""

from __future__ import annotations

import functools
from typing import Any

_STRINGS: dict[str, Any] = {"type": "array", "items": {"type": "string"}}
_ID = {"type": "string", "pattern": r"^[a-z][a-z0-9_]*$"}


def _labels(**extra: Any) -> dict[str, Any]:
    """A list of {id, label, variants, keys, …} entries."""
    return {
        "type": "array",
        "items": {
            "type": "object",
            "properties": {
                "id": _ID,
                "label": {"type": "string"},
                "heading": {"type": "string"},
                "number": {"type": "string"},
                "variants": _STRINGS,
                "keys": _STRINGS,
                **extra,
            },
            "required": ["id"],
            "additionalProperties": False,
        },
    }


_IDENTITY = {
    "type": "object",
    "properties": {
        "id": _ID,
        "name": {"type": "string"},
        "each": {"enum": ["row", "column", "block"]},
        "left": _STRINGS,
        "right": {
            "oneOf": [
                _STRINGS,
                {
                    "type": "object",
                    "properties": {"rows": {"const": "result"}},
                    "required": ["rows"],
                    "additionalProperties": False,
                },
            ]
        },
    },
    "required": ["id", "name", "each", "left", "right"],
    "additionalProperties": False,
}

_COLUMN_EXTRA = {
    "money": {"type": "boolean"},
    "signed": {"type": "boolean"},
    "default_unit": {"type": "string"},
}


@functools.cache
def format_file_schema() -> dict[str, Any]:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "gxaudit format file",
        "type": "object",
        "properties": {
            "format": {"type": "string"},
            "issued_by": {"type": "string"},
            "years": {"type": "array", "items": {"type": ["integer", "null"]}, "minItems": 2},
            "include": {"type": "string"},
            "sections": _labels(),
            "not_headings": _STRINGS,
            "heading_artefacts": _STRINGS,
            "title": {
                "type": "object",
                "properties": {"endings": _STRINGS, "year": {"type": "string"}},
                "additionalProperties": False,
            },
            "period": {"type": "string"},
            "period_year": {"type": "string"},
            "page_fields": _STRINGS,
            "tables": {
                "type": "object",
                "additionalProperties": {
                    "type": "object",
                    "properties": {
                        "name": {"type": "string"},
                        "short_name": {"type": "string"},
                        "section": _ID,
                    },
                    "required": ["name", "short_name", "section"],
                    "additionalProperties": False,
                },
            },
            "cells": {
                "type": "object",
                "properties": {"dash": _STRINGS, "units": _STRINGS, "money_units": _STRINGS},
                "additionalProperties": False,
            },
            "proactive": {
                "type": "object",
                "properties": {
                    "block_heading": {"type": "string"},
                    "header_marker": {"type": "string"},
                    "blocks": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {
                                "id": _ID,
                                "item": {"type": "string"},
                                "label": {"type": "string"},
                                "rows": _labels(),
                                "columns": _labels(**_COLUMN_EXTRA),
                            },
                            "required": ["id", "item", "label", "rows", "columns"],
                            "additionalProperties": False,
                        },
                    },
                },
                "additionalProperties": False,
            },
            "applications": {
                "type": "object",
                "properties": {
                    "markers": _STRINGS,
                    "columns": _labels(),
                    "groups": _STRINGS,
                    # the catalogue (common.yaml: entries) or the rows a format has (ids)
                    "rows": {"oneOf": [_labels(result={"type": "boolean"}), _STRINGS]},
                    "identities": {"type": "array", "items": _IDENTITY},
                },
                "additionalProperties": False,
            },
            "review_litigation": {
                "type": "object",
                "properties": {
                    "markers": _STRINGS,
                    "header_cells": _STRINGS,
                    "blocks": _labels(),
                    "columns": _labels(),
                    "identities": {"type": "array", "items": _IDENTITY},
                },
                "additionalProperties": False,
            },
            "measures": {
                "type": "object",
                "additionalProperties": {
                    "type": "object",
                    "properties": {
                        "label": {"type": "string"},
                        "cells": {
                            "type": "array",
                            "minItems": 1,
                            "items": {
                                "type": "object",
                                "properties": {
                                    "cell": {"type": "string", "pattern": r"^[a-z_]+(\.[a-z0-9_]+){2,3}$"},
                                    "name": {"type": "string"},
                                },
                                "required": ["cell", "name"],
                                "additionalProperties": False,
                            },
                        },
                    },
                    "required": ["label", "cells"],
                    "additionalProperties": False,
                },
            },
        },
        "additionalProperties": False,
    }
