import pytest
from django.urls import reverse

from accounts.models import TeamRole
from tests.factories import TeamFactory, place

LINKS = {
    "Log a gesture": reverse("empowerment:log-gesture"),
    "Approvals": reverse("empowerment:approvals"),
    "Organise days": reverse("days:organise-days"),
    "Admin": reverse("admin:index"),
    "My gestures": reverse("empowerment:my-gestures"),
    "My teams": reverse("empowerment:team-list"),
    "Budgets": reverse("empowerment:budgets"),
}


def _nav(html: str) -> str:
    return html.split('<nav class="site-nav"', 1)[1].split("</nav>", 1)[0]


@pytest.mark.parametrize(
    ("person", "shown"),
    [
        ("agent", {"Log a gesture", "My gestures"}),
        ("manager", {"Approvals", "My teams"}),
        ("finance_user", {"Approvals", "Budgets"}),
        ("admin_user", {"Budgets", "Organise days", "Admin"}),
        ("organiser", {"Organise days"}),
        ("nobody", set()),
    ],
)
def test_the_navigation_shows_each_role_its_pages(client, request, person, shown):
    client.force_login(request.getfixturevalue(person))

    nav = _nav(client.get(reverse("home")).content.decode())

    for label, url in LINKS.items():
        assert (f'<a href="{url}">{label}' in nav) is (label in shown), label


@pytest.mark.parametrize(
    ("person", "primary"),
    [
        ("agent", "Log a gesture"),
        ("manager", "Approvals"),
        ("finance_user", "Approvals"),
        ("organiser", "Organise days"),
        ("admin_user", "Admin"),
    ],
)
def test_each_role_has_one_primary_action_that_stays_out_of_the_phone_menu(
    client, request, person, primary
):
    client.force_login(request.getfixturevalue(person))

    nav = _nav(client.get(reverse("home")).content.decode())

    assert nav.count("site-nav__primary") == 1
    assert f'<li class="site-nav__primary"><a href="{LINKS[primary]}">{primary}' in nav


def test_someone_who_logs_gestures_and_approves_them_keeps_approvals_in_reach(
    client, manager, team
):
    place(manager, TeamFactory(), TeamRole.AGENT)
    client.force_login(manager)

    nav = _nav(client.get(reverse("home")).content.decode())

    assert f'<li class="site-nav__primary"><a href="{LINKS["Approvals"]}">' in nav
    assert f'<li><a href="{LINKS["Log a gesture"]}">' in nav


def test_someone_with_no_team_or_role_has_no_primary_action(client, nobody):
    client.force_login(nobody)

    assert "site-nav__primary" not in client.get(reverse("home")).content.decode()


@pytest.mark.parametrize("person", ["agent", "manager", "finance_user", "organiser", "admin_user"])
def test_the_api_reference_is_in_the_footer_not_the_main_navigation(client, request, person):
    client.force_login(request.getfixturevalue(person))

    html = client.get(reverse("home")).content.decode()

    docs = reverse("api-docs")
    assert docs not in _nav(html)
    footer = html.split('<footer class="site-footer">', 1)[1]
    assert f'For integrators: <a href="{docs}">API reference</a>' in footer


def test_the_api_reference_links_back_to_the_portal(client, agent):
    client.force_login(agent)

    html = client.get(reverse("api-docs")).content.decode()

    assert f'<a class="api-docs-bar__back" href="{reverse("home")}">' in html
    assert "Back to the Appreciation Portal</a>" in html


def test_the_bell_sits_outside_the_menu_and_the_navigation(client, agent):
    client.force_login(agent)

    html = client.get(reverse("home")).content.decode()

    header = html.split('<header class="site-header">', 1)[1].split("</header>", 1)[0]
    menu = header.split('<details class="site-menu">', 1)[1].split("</details>", 1)[0]
    assert 'class="bell"' not in menu and 'class="bell"' not in _nav(html)
    assert header.count('class="bell"') == 1


def test_only_the_page_you_are_on_is_marked_current(client, agent, programme):
    client.force_login(agent)

    nav = _nav(client.get(reverse("empowerment:log-gesture")).content.decode())

    assert nav.count('aria-current="page"') == 1
    assert f'<a href="{LINKS["Log a gesture"]}" aria-current="page">' in nav


def test_a_gestures_page_marks_my_gestures(client, agent, logged):
    gesture = logged(agent)
    client.force_login(agent)

    html = client.get(reverse("empowerment:gesture-detail", args=[gesture.pk])).content.decode()

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

    assert f'href="{reverse("empowerment:team-detail", args=[team.pk])}"' in html
