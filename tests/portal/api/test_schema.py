import pytest
from django.test import Client
from django.urls import reverse

EMPOWERMENT = [
    ("/api/v1/programmes/", "get", {"200", "400", "401", "404"}),
    ("/api/v1/categories/", "get", {"200", "400", "401", "404"}),
    ("/api/v1/allowance/", "get", {"200", "401", "403", "404"}),
    ("/api/v1/budgets/", "get", {"200", "400", "401", "403", "404"}),
    ("/api/v1/budgets/", "post", {"200", "201", "400", "401", "403", "409"}),
    ("/api/v1/budget-requests/", "post", {"201", "400", "401", "403"}),
    ("/api/v1/gestures/", "get", {"200", "400", "401", "404"}),
    ("/api/v1/gestures/", "post", {"201", "400", "401", "403", "409"}),
    ("/api/v1/gestures/{id}/", "get", {"200", "401", "404"}),
    ("/api/v1/gestures/{id}/outcome/", "patch", {"200", "400", "401", "403", "404"}),
    ("/api/v1/gestures/{id}/withdraw/", "post", {"200", "401", "403", "404", "409"}),
]

APPROVALS_AND_AUDIT = [
    ("/api/v1/approvals/", "get", {"200", "400", "401", "403", "404"}),
    ("/api/v1/approvals/{id}/", "get", {"200", "401", "404"}),
    ("/api/v1/approvals/{id}/approve/", "post", {"200", "400", "401", "403", "404", "409"}),
    ("/api/v1/approvals/{id}/decline/", "post", {"200", "400", "401", "403", "404", "409"}),
    ("/api/v1/delegations/", "get", {"200", "400", "401", "403", "404"}),
    ("/api/v1/delegations/", "post", {"201", "400", "401", "403", "409"}),
    ("/api/v1/reviews/", "get", {"200", "400", "401", "403", "404"}),
    ("/api/v1/reviews/{id}/complete/", "post", {"200", "400", "401", "403", "404", "409"}),
    ("/api/v1/audit/", "get", {"200", "400", "401", "403", "404"}),
    ("/api/v1/audit/verify/", "get", {"200", "401", "403"}),
]


@pytest.fixture(scope="module")
def schema() -> dict:
    response = Client().get(reverse("api-schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    return response.json()


@pytest.mark.parametrize(("path", "method", "codes"), EMPOWERMENT)
def test_schema_describes_each_empowerment_endpoint_with_its_errors(schema, path, method, codes):
    assert set(schema["paths"][path][method]["responses"]) == codes


@pytest.mark.parametrize(("path", "method", "codes"), APPROVALS_AND_AUDIT)
def test_schema_describes_each_approvals_and_audit_endpoint_with_its_errors(
    schema, path, method, codes
):
    assert set(schema["paths"][path][method]["responses"]) == codes


def test_schema_documents_the_approval_and_audit_filters(schema):
    def names(path: str) -> set[str]:
        return {p["name"] for p in schema["paths"][path]["get"]["parameters"]}

    assert {"status", "kind", "level", "page"} <= names("/api/v1/approvals/")
    assert {"subject", "action", "actor", "page"} <= names("/api/v1/audit/")


def test_schema_documents_a_gestures_approval_steps(schema):
    approvals = schema["components"]["schemas"]["Gesture"]["properties"]["approvals"]
    step = schema["components"]["schemas"]["ApprovalStep"]["properties"]

    assert approvals["type"] == "array"
    assert set(step) == {
        "id",
        "level",
        "status",
        "decided_by",
        "on_behalf_of",
        "decided_at",
        "comment",
        "note",
    }


def test_schema_documents_the_gesture_filters(schema):
    parameters = {p["name"] for p in schema["paths"]["/api/v1/gestures/"]["get"]["parameters"]}

    assert {"status", "team", "agent", "since", "until", "page"} <= parameters


def test_schema_shows_money_as_decimal_strings(schema):
    cost = schema["components"]["schemas"]["Gesture"]["properties"]["cost"]

    assert (cost["type"], cost["format"]) == ("string", "decimal")
