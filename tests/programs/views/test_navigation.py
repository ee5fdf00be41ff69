import pytest
from django.urls import reverse

LINKS = {
    "Log a gesture": reverse("programs:log-gesture"),
    "My gestures": reverse("programs:my-gestures"),
    "My teams": reverse("programs:team-list"),
    "Budgets": reverse("programs:budgets"),
}


def _nav(html: str) -> str:
    return html.split('<nav class="site-nav"', 1)[1].split("</nav>", 1)[0]


@pytest.mark.parametrize(
    ("person", "shown"),
    [
        ("agent", {"Log a gesture", "My gestures"}),
        ("manager", {"My teams"}),
        ("finance_user", {"Budgets"}),
        ("admin_user", {"Budgets"}),
        ("organiser", set()),
        ("nobody", set()),
    ],
)
def test_the_navigation_shows_each_role_its_pages(client, request, person, shown):
    client.force_login(request.getfixturevalue(person))

    nav = _nav(client.get(reverse("home")).content.decode())

    for label, url in LINKS.items():
        assert (f'<a href="{url}">{label}</a>' in nav) is (label in shown), label


def test_only_the_page_you_are_on_is_marked_current(client, agent, programme):
    client.force_login(agent)

    nav = _nav(client.get(reverse("programs:log-gesture")).content.decode())

    assert nav.count('aria-current="page"') == 1
    assert f'<a href="{LINKS["Log a gesture"]}" aria-current="page">' in nav


def test_a_gestures_page_marks_my_gestures(client, agent, logged):
    gesture = logged(agent)
    client.force_login(agent)

    html = client.get(reverse("programs:gesture-detail", args=[gesture.pk])).content.decode()

    assert f'<a href="{LINKS["My gestures"]}" aria-current="page">' in _nav(html)


def test_the_home_page_leads_an_agent_to_log_a_gesture_and_shows_the_allowance(
    client, agent, logged
):
    logged(agent, cost="25.00")
    client.force_login(agent)

    html = client.get(reverse("home")).content.decode()

    assert "<strong>£175.00</strong> of your allowance left" in html
    assert f'class="button button--primary" href="{LINKS["Log a gesture"]}"' in html


def test_the_home_page_links_a_manager_to_the_team_page(client, manager, team):
    client.force_login(manager)

    html = client.get(reverse("home")).content.decode()

    assert f'href="{reverse("programs:team-detail", args=[team.pk])}"' in html
