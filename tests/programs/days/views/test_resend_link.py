""" "Lost your private link?" on the invitation page: a plain form (no JavaScript), the same
answer whether or not the address is registered, limited per address and per client, and
CSRF-protected like every other form."""

import re
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from programs.days.services.days import revoke_invitation
from programs.notifications.models import Notification
from tests.factories import appreciation_day, created_invitation, registered

pytestmark = pytest.mark.django_db

KIND = "registration_link_resent"


def resend_url(link) -> str:
    return reverse("days:public-resend-link", args=[link.token])


def invite_url(link) -> str:
    return reverse("days:public-register", args=[link.token])


def ask(client, link, email: str, *, address: str = "203.0.113.5", **extra):
    return client.post(resend_url(link), {"resend-email": email}, REMOTE_ADDR=address, **extra)


def resent() -> list[Notification]:
    return list(Notification.objects.filter(kind=KIND).order_by("pk"))


def text(response) -> str:
    return unescape(response.content.decode())


def test_the_invitation_page_offers_a_plain_form_to_send_the_link_again(client, link):
    html = text(client.get(invite_url(link)))
    form = re.search(r'<form method="post" action="([^"]+)"[^>]*>(.*?)</form>', html, re.S)
    assert form and form.group(1) == resend_url(link)
    assert 'name="resend-email"' in form.group(2) and 'id="id_resend-email"' in form.group(2)
    assert "csrfmiddlewaretoken" in form.group(2) and "hx-" not in form.group(2)
    assert "Send my link again" in form.group(2)
    # Beside the registration form, whose e-mail field keeps its own id.
    assert html.count('id="id_email"') == 1 and html.count('id="id_resend-email"') == 1


def test_a_known_address_gets_its_link_by_the_outbox_and_is_sent_back_to_the_invitation(
    client, link
):
    guest = registered(link, email="rosa@customer.test")
    response = ask(client, link, "rosa@customer.test")
    assert response.status_code == 302 and response["Location"] == invite_url(link)
    [notification] = resent()
    assert notification.email == "rosa@customer.test"
    assert notification.link.endswith(f"/r/{guest.manage_token}/")
    page = text(client.get(response["Location"]))
    assert (
        "If rosa@customer.test is registered for this day, its private link is on its way" in page
    )


def test_an_unknown_address_gets_the_same_answer_and_nothing_is_sent(link):
    registered(link, email="rosa@customer.test")
    known, unknown = Client(), Client()
    answers = [
        ask(known, link, "rosa@customer.test", address="203.0.113.6"),
        ask(unknown, link, "zed@customer.test", address="203.0.113.7"),
    ]
    assert [(a.status_code, a["Location"]) for a in answers] == [(302, invite_url(link))] * 2
    pages = [
        re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text(c.get(invite_url(link))))
        for c in (known, unknown)
    ]
    assert pages[0].replace("rosa@customer.test", "ADDRESS") == pages[1].replace(
        "zed@customer.test", "ADDRESS"
    )
    assert [n.email for n in resent()] == ["rosa@customer.test"]


def test_another_days_registration_is_not_sent_through_this_days_link(client, link, organiser):
    other = created_invitation(appreciation_day(organiser, title="Winter Day"), organiser)
    registered(other, email="rosa@customer.test")
    assert ask(client, link, "rosa@customer.test").status_code == 302
    assert resent() == []


def test_asking_too_often_for_one_address_is_refused_whoever_asks(link):
    registered(link, email="rosa@customer.test")
    codes = [
        ask(Client(), link, "Rosa@customer.test", address=f"203.0.113.{10 + n}").status_code
        for n in range(4)
    ]
    assert codes == [302, 302, 302, 429]
    assert len(resent()) == 3
    # Another address is not held up by it.
    assert ask(Client(), link, "sam@customer.test", address="203.0.113.20").status_code == 302


def test_the_limit_counts_unknown_addresses_alike_so_it_reveals_nothing(link):
    codes = [ask(Client(), link, "zed@customer.test").status_code for _ in range(4)]
    assert codes == [302, 302, 302, 429]


def test_asking_too_often_from_one_client_is_refused(link, settings):
    settings.ACCOUNT_RATE_LIMITS = {
        **settings.ACCOUNT_RATE_LIMITS,
        "resend_registration_link": "2/h/ip,3/h/key",
    }
    registered(link, email="rosa@customer.test")
    codes = [ask(Client(), link, f"guest{n}@customer.test").status_code for n in range(3)]
    assert codes == [302, 302, 429]
    assert ask(Client(), link, "rosa@customer.test", address="198.51.100.9").status_code == 302


def test_the_refusal_says_to_wait_and_keeps_the_form(client, link):
    for _ in range(3):
        ask(client, link, "rosa@customer.test")
    response = ask(client, link, "rosa@customer.test")
    html = text(response)
    assert response.status_code == 429
    assert "We have sent as many links as we may for now" in html
    assert 'value="rosa@customer.test"' in html


def test_an_address_that_is_not_one_is_told_beside_the_field(client, link):
    response = ask(client, link, "rosa at customer")
    html = text(response)
    assert response.status_code == 400
    assert 'id="id_resend-email_errors"' in html
    assert "Enter an e-mail address such as name@example.com." in html
    assert resent() == []


def test_the_form_needs_its_csrf_token(link):
    registered(link, email="rosa@customer.test")
    strict = Client(enforce_csrf_checks=True)
    assert ask(strict, link, "rosa@customer.test").status_code == 403
    assert resent() == []


def test_a_used_up_link_shows_the_form_on_its_page_and_still_sends(day, organiser):
    link = created_invitation(day, organiser, label="One seat only", max_uses=1)
    guest = registered(link, email="rosa@customer.test")
    page = Client().get(invite_url(link))
    assert page.status_code == 404
    assert "This link does not work" in text(page)
    assert f'action="{resend_url(link)}"' in text(page)
    assert ask(Client(), link, "rosa@customer.test").status_code == 302
    assert resent()[0].link.endswith(f"/r/{guest.manage_token}/")


def test_a_link_that_never_existed_gets_the_same_page_and_answer(client):
    token = "A" * 43
    page = client.get(reverse("days:public-register", args=[token]))
    assert page.status_code == 404
    assert reverse("days:public-resend-link", args=[token]) in text(page)
    answer = client.post(
        reverse("days:public-resend-link", args=[token]),
        {"resend-email": "rosa@customer.test"},
    )
    assert answer.status_code == 302 and resent() == []


def test_the_resend_page_itself_asks_without_javascript(client, link, day):
    response = client.get(resend_url(link))
    html = text(response)
    assert response.status_code == 200
    assert "Lost your private link?" in html and day.title in html
    assert f'<form method="post" action="{resend_url(link)}"' in html


def test_the_resend_page_of_a_withdrawn_link_does_not_name_the_day(client, link, organiser, day):
    revoke_invitation(invitation=link, actor=organiser)
    assert day.title not in text(client.get(resend_url(link)))


def test_the_already_registered_notice_points_to_the_form(client, link):
    registered(link, email="rosa@customer.test")
    response = client.post(
        invite_url(link),
        {
            "name": "Rosa",
            "email": "rosa@customer.test",
            "party_size": "1",
            "consent": "on",
        },
    )
    assert 'Lost it? <a href="#resend-heading">Have it sent again</a>.' in text(response)


# The same through the API


def ask_api(email: str, token: str, *, address: str = "203.0.113.40"):
    return APIClient().post(
        reverse("api:public-resend-link"),
        {"token": token, "email": email},
        format="json",
        REMOTE_ADDR=address,
    )


def test_the_api_answers_202_alike_for_a_known_and_an_unknown_address(link):
    guest = registered(link, email="rosa@customer.test")
    known = ask_api("rosa@customer.test", link.token)
    unknown = ask_api("zed@customer.test", link.token)
    assert (known.status_code, known.json()) == (unknown.status_code, unknown.json())
    assert known.status_code == 202
    assert [n.link for n in resent()] == [f"/r/{guest.manage_token}/"]


def test_the_api_and_the_page_share_the_limit_per_address(client, link):
    for _ in range(2):
        ask(client, link, "rosa@customer.test")
    assert ask_api("rosa@customer.test", link.token).status_code == 202
    refused = ask_api("rosa@customer.test", link.token, address="203.0.113.41")
    assert refused.status_code == 429 and "Please try again later" in refused.json()["detail"]


def test_the_api_refuses_an_address_that_is_not_one(link):
    response = ask_api("rosa at customer", link.token)
    assert response.status_code == 400 and "email" in response.json()
