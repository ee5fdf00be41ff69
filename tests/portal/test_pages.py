import pytest
from django.urls import reverse

from accounts.models import TeamRole
from tests.factories import TeamFactory, UserFactory, place
from tests.support.queries import assert_same_query_count, page_queries

HOME = reverse("home")


@pytest.mark.parametrize(
    ("person", "sees", "does_not_see"),
    [
        ("agent", ["Your team"], ["Teams you manage", "All teams", "Administration"]),
        ("manager", ["Teams you manage"], ["Your team", "All teams", "Administration"]),
        ("finance_user", ["All teams"], ["Teams you manage", "Administration"]),
        ("organiser", ["Customer Appreciation Days"], ["All teams", "Administration"]),
        ("admin_user", ["All teams", "Administration"], ["Teams you manage"]),
        ("nobody", ["hasn’t given you a team or role"], ["All teams", "Teams you manage"]),
    ],
)
def test_home_shows_each_role_its_sections(client, request, person, sees, does_not_see):
    client.force_login(request.getfixturevalue(person))
    html = client.get(HOME).content.decode()
    for text in sees:
        assert text in html
    for text in does_not_see:
        assert text not in html


@pytest.mark.parametrize(("person", "has_admin_link"), [("agent", False), ("admin_user", True)])
def test_navigation_shows_admin_only_to_admins(client, request, person, has_admin_link):
    client.force_login(request.getfixturevalue(person))
    html = client.get(HOME).content.decode()
    assert (f'href="{reverse("admin:index")}"' in html) is has_admin_link


def test_user_text_is_escaped(client, team):
    person = place(UserFactory(name="<script>alert(1)</script>"), team, TeamRole.AGENT)
    client.force_login(person)
    html = client.get(HOME).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_manager_home_query_count_does_not_grow_with_team_size(client, manager, team):
    client.force_login(manager)
    small = page_queries(client, HOME)
    for _ in range(25):
        place(UserFactory(), team, TeamRole.AGENT)
    assert_same_query_count(small, page_queries(client, HOME))


def test_finance_home_query_count_does_not_grow_with_teams(client, finance_user, agent):
    client.force_login(finance_user)
    small = page_queries(client, HOME)
    for n in range(30):
        place(UserFactory(), TeamFactory(name=f"Extra {n}"), TeamRole.AGENT)
    assert_same_query_count(small, page_queries(client, HOME))


def test_finance_team_list_is_paginated(client, finance_user):
    for n in range(25):
        place(UserFactory(), TeamFactory(name=f"Team {n:02d}"), TeamRole.AGENT)
    client.force_login(finance_user)
    first = client.get(HOME).content.decode()
    assert "Team 19" in first and "Team 20" not in first
    second = client.get(HOME, {"teams_page": 2}).content.decode()
    assert "Team 20" in second


def test_unknown_page_renders_the_portal_404(client, agent):
    client.force_login(agent)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "We couldn’t find that page" in response.content.decode()


def test_admin_site_is_refused_to_non_admins(client, manager, admin_user):
    client.force_login(manager)
    assert client.get(reverse("admin:index")).status_code == 302
    client.force_login(admin_user)
    assert client.get(reverse("admin:index")).status_code == 200


def test_every_page_loads_htmx_from_the_portal_itself(client, agent):
    client.force_login(agent)
    html = client.get(HOME).content.decode()
    assert "/static/django_htmx/htmx-2.min.js" in html
    assert "https://" not in html


def test_error_templates_render_without_a_request():
    from django.template.loader import render_to_string

    assert "Something went wrong" in render_to_string("500.html")


def test_forms_require_csrf(db, manager):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(reverse("account_login"), {"login": manager.email, "password": "x"})
    assert response.status_code == 403


@pytest.mark.parametrize("person", ["finance_user", "admin_user"])
def test_a_department_without_people_is_not_listed_among_the_teams(
    client, request, person, agent, team
):
    department = TeamFactory(name="Customer Care")
    team.parent = department
    team.save()
    client.force_login(request.getfixturevalue(person))

    response = client.get(HOME)

    assert [t.name for t in response.context["teams_page"]] == ["Care North"]
    html = response.content.decode()
    assert "<td>Care North</td><td>Customer Care</td>" in html  # named as the department
    assert "<tr><td>Customer Care</td>" not in html
