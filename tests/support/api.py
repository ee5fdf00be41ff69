"""Reading the API's list answers in tests."""


def listed_ids(response) -> list[int]:
    """The ids on a list answer's page, in its order; the answer must be a 200."""
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]
