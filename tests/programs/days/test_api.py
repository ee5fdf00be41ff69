"""The appreciation days API, as API.md fixes it: paths, fields, status codes."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import RoleName
from programs.audit.models import AuditEntry
from programs.days.models import AppreciationDay, Registration
from programs.days.services.days import revoke_invitation
from programs.days.services.shifts import sign_up_for_shift
from tests.factories import (
    UserFactory,
    added_shift,
    appreciation_day,
    created_invitation,
    day_input,
    grant,
    registered,
    registration_input,
)
from tests.support.queries import CapturedQueries, assert_same_query_count, capture_queries

pytestmark = pytest.mark.django_db

DAY_FIELDS = {
    "id",
    "title",
    "description",
    "starts_at",
    "ends_at",
    "venue",
    "capacity",
    "max_party_size",
    "registration_opens_at",
    "registration_closes_at",
    "status",
    "seats_taken",
    "waitlist_count",
}
REGISTRATION_FIELDS = {"id", "name", "email", "party_size", "status", "position", "checked_in_at"}


def as_json(values: dict) -> dict:
    return {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in values.items()}


def public(token: str, **overrides) -> dict:
    values = registration_input(token, **overrides)
    return values


# Days


def test_everyone_lists_published_days_organisers_also_drafts(api_client, agent, organiser, day):
    draft = appreciation_day(organiser, publish=False, title="Draft day")
    api_client.force_authenticate(agent)
    body = api_client.get("/api/v1/appreciation-days/").json()
    assert body["count"] == 1 and set(body) == {"count", "next", "previous", "results"}
    assert set(body["results"][0]) >= DAY_FIELDS
    assert body["results"][0]["seats_taken"] == 0 and body["results"][0]["waitlist_count"] == 0
    api_client.force_authenticate(organiser)
    ids = {d["id"] for d in api_client.get("/api/v1/appreciation-days/").json()["results"]}
    assert ids == {day.pk, draft.pk}
    assert api_client.get(f"/api/v1/appreciation-days/{draft.pk}/").status_code == 200
    api_client.force_authenticate(agent)
    assert api_client.get(f"/api/v1/appreciation-days/{draft.pk}/").status_code == 404


def test_lists_need_credentials(api_client):
    assert api_client.get("/api/v1/appreciation-days/").status_code == 401


def test_an_organiser_creates_a_draft(api_client, organiser):
    api_client.force_authenticate(organiser)
    response = api_client.post(
        "/api/v1/appreciation-days/", as_json(day_input(capacity=30)), format="json"
    )
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "draft" and body["capacity"] == 30 and body["seats_taken"] == 0
    assert set(body) >= DAY_FIELDS


def test_only_organisers_create_days(api_client, agent):
    api_client.force_authenticate(agent)
    response = api_client.post("/api/v1/appreciation-days/", as_json(day_input()), format="json")
    assert response.status_code == 403
    assert not AppreciationDay.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"capacity": -1}, "capacity"),
        ({"capacity": "lots"}, "capacity"),
        ({"max_party_size": 21}, "max_party_size"),
        ({"title": ""}, "title"),
        ({"title": "t" * 10_000}, "title"),
        ({"starts_at": "tomorrow"}, "starts_at"),
        ({"venue": "", "online_link": ""}, "venue"),
    ],
)
def test_bad_day_input_is_400_with_the_field(api_client, organiser, changes, field):
    api_client.force_authenticate(organiser)
    response = api_client.post(
        "/api/v1/appreciation-days/", {**as_json(day_input()), **changes}, format="json"
    )
    assert response.status_code == 400
    assert field in response.json()
    assert not AppreciationDay.objects.exists()


def test_a_day_ending_before_it_starts_is_400(api_client, organiser):
    api_client.force_authenticate(organiser)
    values = day_input()
    values["ends_at"] = values["starts_at"] - timedelta(hours=1)
    response = api_client.post("/api/v1/appreciation-days/", as_json(values), format="json")
    assert response.status_code == 400 and "ends_at" in response.json()


def test_publish_and_cancel(api_client, organiser):
    day = appreciation_day(organiser, publish=False)
    api_client.force_authenticate(organiser)
    response = api_client.post(f"/api/v1/appreciation-days/{day.pk}/publish/")
    assert response.status_code == 200 and response.json()["status"] == "published"
    assert api_client.post(f"/api/v1/appreciation-days/{day.pk}/publish/").status_code == 409
    response = api_client.post(
        f"/api/v1/appreciation-days/{day.pk}/cancel/", {"reason": "Snow"}, format="json"
    )
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    assert api_client.post(f"/api/v1/appreciation-days/{day.pk}/cancel/").status_code == 409


def test_another_organiser_gets_404_and_a_non_organiser_403(api_client, day, agent):
    api_client.force_authenticate(grant(UserFactory(), RoleName.ORGANISER))
    for path in ("publish", "cancel"):
        assert api_client.post(f"/api/v1/appreciation-days/{day.pk}/{path}/").status_code == 404
    api_client.force_authenticate(agent)
    assert api_client.post(f"/api/v1/appreciation-days/{day.pk}/cancel/").status_code == 403
    day.refresh_from_db()
    assert day.status == "published"


def test_editing_capacity_promotes_and_never_drops_below_confirmed(
    api_client, organiser, day, link
):
    registered(link, party_size=4)
    registered(link, party_size=2)
    waiting = registered(link, party_size=3)
    api_client.force_authenticate(organiser)
    url = f"/api/v1/appreciation-days/{day.pk}/"
    assert api_client.patch(url, {"capacity": 5}, format="json").status_code == 400
    response = api_client.patch(url, {"capacity": 9}, format="json")
    assert response.status_code == 200
    assert response.json()["seats_taken"] == 9 and response.json()["waitlist_count"] == 0
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"


def test_a_huge_id_is_404_not_500(api_client, organiser):
    api_client.force_authenticate(organiser)
    huge = 2**70
    assert api_client.get(f"/api/v1/appreciation-days/{huge}/").status_code == 404
    assert api_client.get(f"/api/v1/appreciation-days/{huge}/registrations/").status_code == 404
    assert api_client.post(f"/api/v1/shifts/{huge}/signup/").status_code == 404
    assert api_client.post(f"/api/v1/registrations/{huge}/check-in/").status_code == 404


# Shifts


def test_shifts_listed_to_anyone_created_by_organisers(api_client, day, organiser, agent):
    api_client.force_authenticate(agent)
    url = f"/api/v1/appreciation-days/{day.pk}/shifts/"
    body = {
        "role": "Greeter",
        "starts_at": day.starts_at.isoformat(),
        "ends_at": (day.starts_at + timedelta(hours=2)).isoformat(),
        "capacity": 2,
    }
    assert api_client.post(url, body, format="json").status_code == 403
    api_client.force_authenticate(organiser)
    response = api_client.post(url, body, format="json")
    assert response.status_code == 201
    created = response.json()
    assert created["taken"] == 0 and created["role"] == "Greeter" and "id" in created
    api_client.force_authenticate(agent)
    listed = api_client.get(url).json()
    assert listed["count"] == 1 and listed["results"][0]["taken"] == 0


def test_sign_up_full_overlapping_and_give_back(api_client, day, organiser, agent):
    morning = added_shift(day, organiser, hours=(0, 3), capacity=1)
    overlapping = added_shift(day, organiser, hours=(2, 4))
    api_client.force_authenticate(agent)
    response = api_client.post(f"/api/v1/shifts/{morning.pk}/signup/")
    assert response.status_code == 201
    assert response.json()["taken"] == 1 and response.json()["signed_up"] is True
    assert api_client.post(f"/api/v1/shifts/{overlapping.pk}/signup/").status_code == 409
    api_client.force_authenticate(UserFactory())
    assert api_client.post(f"/api/v1/shifts/{morning.pk}/signup/").status_code == 409
    api_client.force_authenticate(agent)
    mine = api_client.get("/api/v1/shifts/mine/").json()
    assert [s["id"] for s in mine["results"]] == [morning.pk]
    assert api_client.delete(f"/api/v1/shifts/{morning.pk}/signup/").status_code == 204
    assert api_client.delete(f"/api/v1/shifts/{morning.pk}/signup/").status_code == 404
    assert api_client.post(f"/api/v1/shifts/{overlapping.pk}/signup/").status_code == 201


# Invitations


def test_an_organiser_creates_an_invitation_link(api_client, day, organiser):
    api_client.force_authenticate(organiser)
    url = f"/api/v1/appreciation-days/{day.pk}/invitations/"
    expires = (timezone.now() + timedelta(days=7)).isoformat()
    response = api_client.post(
        url, {"label": "Newsletter", "max_uses": 50, "expires_at": expires}, format="json"
    )
    assert response.status_code == 201
    body = response.json()
    assert {"id", "token", "url"} <= set(body)
    assert len(body["token"]) >= 43  # 256 bits from secrets.token_urlsafe(32)
    assert body["url"].endswith(f"/invite/{body['token']}/")
    assert api_client.get(url).json()["count"] == 1
    response = api_client.post(f"/api/v1/invitations/{body['id']}/revoke/")
    assert response.status_code == 200 and response.json()["state"] == "revoked"


def test_bad_invitation_input_is_400(api_client, day, organiser):
    api_client.force_authenticate(organiser)
    response = api_client.post(
        f"/api/v1/appreciation-days/{day.pk}/invitations/",
        {"label": "", "max_uses": 0},
        format="json",
    )
    assert response.status_code == 400
    assert {"label", "max_uses"} <= set(response.json())


# Registrations for organisers


def test_the_days_organisers_list_its_registrations(api_client, day, link, organiser):
    registered(link, party_size=4)
    registered(link, party_size=2)
    waiting = registered(link, party_size=3, name="Wendy Waiting")
    api_client.force_authenticate(organiser)
    body = api_client.get(f"/api/v1/appreciation-days/{day.pk}/registrations/").json()
    assert body["count"] == 3
    assert set(body["results"][0]) >= REGISTRATION_FIELDS
    rows = {r["id"]: r for r in body["results"]}
    assert rows[waiting.pk]["status"] == "waitlisted" and rows[waiting.pk]["position"] == 1
    assert all(r["position"] is None for r in body["results"] if r["status"] == "confirmed")
    found = api_client.get(
        f"/api/v1/appreciation-days/{day.pk}/registrations/", {"search": "wendy"}
    ).json()
    assert [r["id"] for r in found["results"]] == [waiting.pk]


def test_an_organiser_of_nothing_and_a_non_organiser_cannot_see_registrations(
    api_client, day, link, agent, admin_user
):
    registered(link)
    url = f"/api/v1/appreciation-days/{day.pk}/registrations/"
    assert api_client.get(url).status_code == 401
    api_client.force_authenticate(agent)
    assert api_client.get(url).status_code == 403
    api_client.force_authenticate(grant(UserFactory(), RoleName.ORGANISER))
    assert api_client.get(url).status_code == 404
    api_client.force_authenticate(admin_user)
    assert api_client.get(url).status_code == 200


def test_check_in_once_and_only_confirmed(api_client, day, link, organiser):
    guest = registered(link, party_size=4)
    registered(link, party_size=2)
    waiting = registered(link, party_size=2)
    api_client.force_authenticate(organiser)
    response = api_client.post(f"/api/v1/registrations/{guest.pk}/check-in/")
    assert response.status_code == 200 and response.json()["checked_in_at"]
    assert api_client.post(f"/api/v1/registrations/{guest.pk}/check-in/").status_code == 409
    assert api_client.post(f"/api/v1/registrations/{waiting.pk}/check-in/").status_code == 409
    api_client.force_authenticate(grant(UserFactory(), RoleName.ORGANISER))
    assert api_client.post(f"/api/v1/registrations/{waiting.pk}/check-in/").status_code == 404


def test_list_queries_stay_constant(api_client, day, link, organiser):
    from programs.days.services.days import update_day

    update_day(day=day, actor=organiser, capacity=500)
    api_client.force_authenticate(organiser)
    urls = [
        "/api/v1/appreciation-days/",
        f"/api/v1/appreciation-days/{day.pk}/registrations/",
        f"/api/v1/appreciation-days/{day.pk}/shifts/",
        f"/api/v1/appreciation-days/{day.pk}/invitations/",
    ]
    registered(link)
    added_shift(day, organiser)

    def queries() -> list[CapturedQueries]:
        found = []
        for url in urls:
            with capture_queries() as captured:
                assert api_client.get(url).status_code == 200
            found.append(captured)
        return found

    few = queries()
    for n in range(20):
        registered(link)
        added_shift(day, organiser, hours=(n % 5, n % 5 + 1))
        created_invitation(day, organiser, label=f"L{n}")
        appreciation_day(organiser, title=f"Another {n}")
    for before, after in zip(few, queries(), strict=True):
        assert_same_query_count(before, after)


# The public registration


def test_public_registration_answers_201_with_status_position_and_manage_token(
    api_client, day, link
):
    response = api_client.post(
        "/api/v1/public/registrations/", public(link.token, party_size=4), format="json"
    )
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "confirmed" and body["position"] is None
    assert len(body["manage_token"]) >= 43
    response = api_client.post(
        "/api/v1/public/registrations/", public(link.token, party_size=3), format="json"
    )
    assert response.status_code == 201
    assert (response.json()["status"], response.json()["position"]) == ("waitlisted", 1)


def test_public_registration_needs_no_account_and_ignores_bad_credentials(api_client, link):
    api_client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    response = api_client.post("/api/v1/public/registrations/", public(link.token), format="json")
    assert response.status_code == 201


def test_the_same_email_again_is_200_with_the_existing_registration(api_client, day, link):
    first = api_client.post(
        "/api/v1/public/registrations/", public(link.token, email="Kim@Example.com"), format="json"
    )
    again = api_client.post(
        "/api/v1/public/registrations/",
        public(link.token, email="kim@example.com", party_size=4),
        format="json",
    )
    assert first.status_code == 201 and again.status_code == 200
    assert again.json()["status"] == "confirmed" and again.json()["position"] is None
    assert Registration.objects.count() == 1
    day.refresh_from_db()
    assert day.seats_taken == 2


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": ""}, "name"),
        ({"email": "nope"}, "email"),
        ({"party_size": 0}, "party_size"),
        ({"party_size": 5}, "party_size"),
        ({"party_size": 21}, "party_size"),
        ({"party_size": "many"}, "party_size"),
        ({"consent": False}, "consent"),
        ({"consent": None}, "consent"),
        ({"accessibility_needs": "a" * 10_000}, "accessibility_needs"),
        ({"dietary_needs": "d" * 10_240}, "dietary_needs"),
    ],
)
def test_bad_public_input_is_400_and_writes_nothing(api_client, link, changes, field):
    before = AuditEntry.objects.count()
    response = api_client.post(
        "/api/v1/public/registrations/", {**public(link.token), **changes}, format="json"
    )
    assert response.status_code == 400
    assert field in response.json()
    assert not Registration.objects.exists()
    assert AuditEntry.objects.count() == before


def test_missing_consent_is_400(api_client, link):
    body = public(link.token)
    del body["consent"]
    response = api_client.post("/api/v1/public/registrations/", body, format="json")
    assert response.status_code == 400 and "consent" in response.json()


@pytest.mark.parametrize("state", ["unknown", "revoked", "expired", "used up", "too long"])
def test_links_that_do_not_work_are_404(api_client, day, organiser, state):
    link = created_invitation(day, organiser, max_uses=1, expires_at=timezone.now() + timedelta(1))
    token = link.token
    if state == "unknown":
        token = "A" * 43
    elif state == "too long":
        token = link.token + "x" * 21
    elif state == "revoked":
        revoke_invitation(invitation=link, actor=organiser)
    elif state == "expired":
        type(link).objects.filter(pk=link.pk).update(expires_at=timezone.now())
    else:
        registered(link)
    before = Registration.objects.count()
    response = api_client.post("/api/v1/public/registrations/", public(token), format="json")
    assert (
        response.status_code in (400, 404) if state == "too long" else response.status_code == 404
    )
    assert Registration.objects.count() == before


def test_a_closed_day_is_409(api_client, day, link):
    AppreciationDay.objects.filter(pk=day.pk).update(
        registration_opens_at=timezone.now() + timedelta(hours=1)
    )
    response = api_client.post("/api/v1/public/registrations/", public(link.token), format="json")
    assert response.status_code == 409
    assert not Registration.objects.exists()


def test_the_manage_token_reads_and_cancels_only_its_registration(api_client, day, link):
    mine = api_client.post(
        "/api/v1/public/registrations/", public(link.token, party_size=4), format="json"
    ).json()
    theirs = api_client.post(
        "/api/v1/public/registrations/", public(link.token, party_size=2), format="json"
    ).json()
    waiting = api_client.post(
        "/api/v1/public/registrations/", public(link.token, party_size=3), format="json"
    ).json()
    assert waiting["status"] == "waitlisted"

    read = api_client.get(f"/api/v1/public/registrations/{mine['manage_token']}/")
    assert read.status_code == 200
    assert read.json()["party_size"] == 4 and read.json()["status"] == "confirmed"
    assert "id" not in read.json() and "manage_token" not in read.json()

    cancelled = api_client.post(f"/api/v1/public/registrations/{mine['manage_token']}/cancel/")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert (
        api_client.get(f"/api/v1/public/registrations/{theirs['manage_token']}/").json()["status"]
        == "confirmed"
    )
    promoted = api_client.get(f"/api/v1/public/registrations/{waiting['manage_token']}/").json()
    assert promoted["status"] == "confirmed" and promoted["position"] is None
    again = api_client.post(f"/api/v1/public/registrations/{mine['manage_token']}/cancel/")
    assert again.status_code == 409
    assert api_client.get("/api/v1/public/registrations/" + "B" * 43 + "/").status_code == 404
    assert (
        api_client.post("/api/v1/public/registrations/" + "B" * 43 + "/cancel/").status_code == 404
    )


def test_the_public_api_is_throttled_per_address_whatever_x_forwarded_for_says(
    api_client, link, settings
):
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "public": "3/min"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    codes = [
        api_client.post(
            "/api/v1/public/registrations/",
            public(link.token),
            format="json",
            REMOTE_ADDR="192.0.2.10",
            HTTP_X_FORWARDED_FOR=f"10.0.0.{n}",
        ).status_code
        for n in range(6)
    ]
    assert codes == [201, 201, 201, 429, 429, 429]
    assert Registration.objects.count() == 3
    elsewhere = api_client.post(
        "/api/v1/public/registrations/", public(link.token), format="json", REMOTE_ADDR="192.0.2.11"
    )
    assert elsewhere.status_code == 201


# The schema


DAY_ENDPOINTS = [
    ("/api/v1/appreciation-days/", "get", {"200", "400", "401", "404"}),
    ("/api/v1/appreciation-days/", "post", {"201", "400", "401", "403"}),
    ("/api/v1/appreciation-days/{id}/publish/", "post", {"200", "401", "403", "404", "409"}),
    (
        "/api/v1/appreciation-days/{id}/cancel/",
        "post",
        {"200", "400", "401", "403", "404", "409"},
    ),
    ("/api/v1/appreciation-days/{id}/shifts/", "get", {"200", "400", "401", "404"}),
    (
        "/api/v1/appreciation-days/{id}/shifts/",
        "post",
        {"201", "400", "401", "403", "404", "409"},
    ),
    ("/api/v1/shifts/{id}/signup/", "post", {"201", "401", "404", "409"}),
    ("/api/v1/shifts/{id}/signup/", "delete", {"204", "401", "404", "409"}),
    (
        "/api/v1/appreciation-days/{id}/invitations/",
        "post",
        {"201", "400", "401", "403", "404", "409"},
    ),
    (
        "/api/v1/appreciation-days/{id}/registrations/",
        "get",
        {"200", "400", "401", "403", "404"},
    ),
    ("/api/v1/registrations/{id}/check-in/", "post", {"200", "401", "403", "404", "409"}),
    ("/api/v1/public/registrations/", "post", {"200", "201", "400", "404", "409", "429"}),
    ("/api/v1/public/registrations/{manage_token}/", "get", {"200", "404", "429"}),
    ("/api/v1/public/registrations/{manage_token}/cancel/", "post", {"200", "404", "409", "429"}),
    ("/api/v1/public/registrations/resend-link/", "post", {"202", "400", "429"}),
]


@pytest.fixture(scope="module")
def schema() -> dict:
    from django.test import Client

    response = Client().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    return response.json()


@pytest.mark.parametrize(("path", "method", "codes"), DAY_ENDPOINTS)
def test_the_schema_describes_each_day_endpoint_with_its_errors(schema, path, method, codes):
    assert set(schema["paths"][path][method]["responses"]) == codes


def test_the_schema_marks_the_public_endpoints_as_needing_no_credentials(schema):
    for path, method in [
        ("/api/v1/public/registrations/", "post"),
        ("/api/v1/public/registrations/{manage_token}/", "get"),
        ("/api/v1/public/registrations/{manage_token}/cancel/", "post"),
        ("/api/v1/public/registrations/resend-link/", "post"),
    ]:
        assert not schema["paths"][path][method].get("security")
    assert schema["paths"]["/api/v1/appreciation-days/"]["get"]["security"]


@pytest.mark.parametrize("component", ["AppreciationDay", "PublicDay"])
def test_the_schema_lets_a_day_without_an_online_part_show_a_blank_link(schema, component):
    link = schema["components"]["schemas"][component]["properties"]["online_link"]

    assert {"type": "string", "maxLength": 0} in link["oneOf"]
    assert {"type": "string", "format": "uri"} in link["oneOf"]


def test_shift_sign_up_for_the_last_place_is_409_for_the_second(api_client, day, organiser):
    shift = added_shift(day, organiser, capacity=1)
    sign_up_for_shift(shift=shift, user=UserFactory())
    api_client.force_authenticate(UserFactory())
    response = api_client.post(f"/api/v1/shifts/{shift.pk}/signup/")
    assert response.status_code == 409 and "full" in response.json()["detail"]


# A shift on its day's date; a party no larger than the day's seats


def test_a_shift_on_another_date_is_a_400_naming_the_time(api_client, day, organiser):
    api_client.force_authenticate(organiser)
    url = f"/api/v1/appreciation-days/{day.pk}/shifts/"
    next_week = day.starts_at + timedelta(days=7)

    response = api_client.post(
        url,
        {
            "role": "Greeter",
            "starts_at": next_week.isoformat(),
            "ends_at": (next_week + timedelta(hours=2)).isoformat(),
            "capacity": 2,
        },
        format="json",
    )

    assert response.status_code == 400
    assert "The day is on" in response.json()["ends_at"][0]
    assert not day.shifts.exists()


def test_moving_a_day_away_from_its_shifts_is_a_400(api_client, day, organiser):
    added_shift(day, organiser, hours=(0, 2))
    api_client.force_authenticate(organiser)

    response = api_client.patch(
        f"/api/v1/appreciation-days/{day.pk}/",
        {
            "starts_at": (day.starts_at + timedelta(days=2)).isoformat(),
            "ends_at": (day.ends_at + timedelta(days=2)).isoformat(),
        },
        format="json",
    )

    assert response.status_code == 400
    assert "starts_at" in response.json()
    assert AppreciationDay.objects.get(pk=day.pk).starts_at == day.starts_at


def test_a_party_larger_than_the_capacity_is_a_400(api_client, day, organiser):
    api_client.force_authenticate(organiser)

    created = api_client.post(
        "/api/v1/appreciation-days/",
        as_json(day_input(capacity=3, max_party_size=4)),
        format="json",
    )
    changed = api_client.patch(
        f"/api/v1/appreciation-days/{day.pk}/", {"max_party_size": 7}, format="json"
    )

    assert created.status_code == 400
    assert created.json()["max_party_size"] == [
        "A party cannot be larger than the day's capacity (3 seats)."
    ]
    assert changed.status_code == 400 and "max_party_size" in changed.json()
    assert AppreciationDay.objects.get() == day
    day.refresh_from_db()
    assert day.max_party_size == 4
