"""The password rules (AUTH_PASSWORD_VALIDATORS) hold where people set a password."""

import pytest
from django.urls import reverse

from tests.factories import PASSWORD


@pytest.mark.parametrize(
    ("weak", "because"),
    [
        ("Tr0ub4dor&3", "at least 12 characters"),
        ("password1234", "too common"),
        ("384729105634", "entirely numeric"),
    ],
)
def test_a_weak_password_is_refused_when_changing_it(client, agent, weak, because):
    client.force_login(agent)

    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": weak, "password2": weak},
    )

    assert response.status_code == 200  # the form again, with the error
    assert because in response.content.decode()
    agent.refresh_from_db()
    assert agent.check_password(PASSWORD)


def test_a_password_like_the_persons_own_address_is_refused(client, agent):
    client.force_login(agent)
    weak = agent.email
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": weak, "password2": weak},
    )
    assert "too similar" in response.content.decode()


def test_a_long_uncommon_password_is_accepted(client, agent):
    client.force_login(agent)
    strong = "violet kettle under the bridge"
    client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": strong, "password2": strong},
    )
    agent.refresh_from_db()
    assert agent.check_password(strong)
