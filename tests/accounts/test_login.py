import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD

LOGIN = reverse("account_login")


def _log_in(client, email, password, **extra):
    return client.post(LOGIN, {"login": email, "password": password}, **extra)


def test_login_with_email_and_password_lands_on_home(client, manager):
    response = _log_in(client, manager.email, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    home = client.get(reverse("home"))
    assert home.status_code == 200
    assert manager.name in home.content.decode()


def test_email_is_matched_without_regard_to_case(client, manager):
    response = _log_in(client, manager.email.upper(), PASSWORD)
    assert response.status_code == 302


def test_wrong_password_fails_with_a_message_and_no_session(client, manager):
    response = _log_in(client, manager.email, "not-the-password")
    assert response.status_code == 200
    assert "not correct" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_inactive_person_cannot_log_in(client, manager):
    manager.is_active = False
    manager.save()
    response = _log_in(client, manager.email, PASSWORD)
    assert "_auth_user_id" not in client.session
    assert response.status_code in {200, 302}
    assert reverse("home") != response.get("Location")


def test_repeated_failures_lock_the_account_even_for_the_right_password(client, manager):
    for _ in range(5):
        _log_in(client, manager.email, "guess")
    response = _log_in(client, manager.email, PASSWORD)
    assert "_auth_user_id" not in client.session
    assert "Too many failed login attempts" in response.content.decode()


def test_a_forged_forwarded_header_does_not_evade_the_address_limit(client, db):
    statuses = []
    for n in range(12):
        response = _log_in(
            client,
            f"someone{n}@example.test",
            "guess",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
        )
        statuses.append("Too many failed login attempts" in response.content.decode())
    assert statuses[:10] == [False] * 10
    assert statuses[-1] is True


def test_there_is_no_public_sign_up(client, db):
    response = client.get(reverse("account_signup"))
    assert "closed" in response.content.decode().lower()
    response = client.post(
        reverse("account_signup"),
        {"email": "intruder@example.test", "password1": "xk29!sdLq", "password2": "xk29!sdLq"},
    )
    from accounts.models import User

    assert not User.objects.filter(email="intruder@example.test").exists()


def test_password_reset_sends_an_email_with_a_link(client, manager):
    response = client.post(reverse("account_reset_password"), {"email": manager.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [manager.email]
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_pages_need_a_login(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


@pytest.mark.parametrize("method", ["post"])
def test_logout_ends_the_session(client, manager, method):
    client.force_login(manager)
    getattr(client, method)(reverse("account_logout"))
    assert client.get(reverse("home")).status_code == 302
