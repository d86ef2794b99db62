"""Validate JSON output against the schemas shipped in the package."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

import jsonschema


def validate(document: str, schema_name: str) -> dict[str, Any]:
    """Parse ``document`` and validate it against the shipped schema; return the data."""
    schema = json.loads(
        resources.files("backoffice_marketing.schemas").joinpath(schema_name).read_text("utf-8")
    )
    data: dict[str, Any] = json.loads(document)
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    ).validate(data)
    return data
