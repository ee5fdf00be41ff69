"""Every paginated API list: ``page`` and ``page_size`` are whole numbers, a bad one is refused
rather than quietly ignored, and the schema says so."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import CategoryFactory

CATEGORIES_URL = reverse("api:categories")


@pytest.fixture
def categories(db):
    return [CategoryFactory(name=f"Kind {n}", slug=f"kind-{n}") for n in range(3)]


@pytest.mark.parametrize("size", ["abc", "1.5", "0", "-2", " 2", "１０", "null"])
def test_a_page_size_that_is_not_a_whole_number_from_1_is_refused_with_400(
    api_client, agent, categories, size
):
    api_client.force_authenticate(agent)

    response = api_client.get(CATEGORIES_URL, {"page_size": size})

    assert response.status_code == 400
    assert list(response.json()) == ["page_size"]


def test_a_page_size_is_honoured_and_a_large_one_gives_the_largest_page(
    api_client, agent, categories
):
    api_client.force_authenticate(agent)

    assert len(api_client.get(CATEGORIES_URL, {"page_size": "2"}).json()["results"]) == 2
    assert len(api_client.get(CATEGORIES_URL, {"page_size": "5000"}).json()["results"]) == 3


def test_an_empty_page_or_page_size_counts_as_not_given(api_client, agent, categories):
    api_client.force_authenticate(agent)

    response = api_client.get(CATEGORIES_URL, {"page": "", "page_size": ""})

    assert response.status_code == 200
    assert len(response.json()["results"]) == 3


def test_a_page_that_is_not_a_whole_number_or_does_not_exist_is_404(api_client, agent, categories):
    api_client.force_authenticate(agent)

    assert api_client.get(CATEGORIES_URL, {"page": "7"}).status_code == 404
    assert api_client.get(CATEGORIES_URL, {"page": "0"}).status_code == 404
    assert api_client.get(CATEGORIES_URL, {"page": "１"}).status_code == 404


@pytest.fixture(scope="module")
def schema() -> dict:
    response = Client().get(reverse("api-schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    return response.json()


def _paginated_lists(schema: dict):
    for path, operations in schema["paths"].items():
        get = operations.get("get")
        if get and any(p["name"] == "page_size" for p in get.get("parameters", [])):
            yield path, get


def test_schema_documents_400_and_404_on_every_paginated_list(schema):
    lists = dict(_paginated_lists(schema))

    assert len(lists) >= 10
    for path, operation in lists.items():
        assert {"400", "404"} <= set(operation["responses"]), path


def test_schema_documents_page_and_page_size_as_whole_numbers_from_1(schema):
    for path, operation in _paginated_lists(schema):
        parameters = {p["name"]: p["schema"] for p in operation["parameters"]}
        assert parameters["page"] == {"type": "integer", "minimum": 1}, path
        assert parameters["page_size"] == {"type": "integer", "minimum": 1}, path


def test_schema_says_an_empty_optional_query_parameter_counts_as_not_given(schema):
    gestures = schema["paths"]["/api/v1/gestures/"]["get"]["parameters"]

    assert all(p.get("allowEmptyValue") for p in gestures if p["in"] == "query")
