"""The API's one error shape: every error body is an ErrorOut, 422 bodies match ValidationErrorOut."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from layak.common.api import BadRequest, ErrorOut, ValidationErrorOut, error_status


@pytest.mark.parametrize("params", [{"level": "kota"}, {"page_size": 501}, {"page": "false"}])
def test_schema_errors_answer_422_in_the_declared_shape(client, db, params):
    response = client.get("/api/v1/regions", params)
    assert response.status_code == 422
    body = ValidationErrorOut.model_validate(response.json())  # raises if the body does not match the schema
    assert body.detail and body.errors and all(isinstance(m, list) for m in body.errors.values())


def test_every_declared_422_is_the_common_shape():
    """The OpenAPI document declares a 422 only with ValidationErrorOut or a body that extends ErrorOut."""
    from config.api import api

    schema = api.get_openapi_schema()
    for path, operations in schema["paths"].items():
        for operation in operations.values():
            for status, response in operation.get("responses", {}).items():
                if int(status) < 400:
                    continue
                ref = response["content"]["application/json"]["schema"].get("$ref", "")
                name = ref.rsplit("/", 1)[-1]
                properties = schema["components"]["schemas"][name]["properties"]
                assert "detail" in properties, (path, status, name)
                assert properties["detail"]["type"] == "string", (path, status, name)


def test_the_status_rule():
    assert error_status(PermissionDenied("no")).status_code == 403
    assert error_status(Http404()).status_code == 404
    assert error_status(BadRequest("unreadable")).status_code == 400
    refused = error_status(ValidationError({"name": ["Enter a name."]}))
    assert refused.status_code == 422 and refused.value == {
        "detail": "Enter a name.",
        "errors": {"name": ["Enter a name."]},
    }
    assert ErrorOut.model_validate(error_status(PermissionDenied()).value).detail
