"""Where the API fuzzers aim: the schema they read, and the seeded objects its ids name."""

from dataclasses import dataclass

from drf_spectacular.generators import SchemaGenerator

from tests.fuzz.conftest import World


def documented_schema() -> dict:
    """What /api/schema/ serves (test_api.test_the_fuzzed_schema_is_the_served_one proves it)."""
    return SchemaGenerator().get_schema(request=None, public=True)


@dataclass
class Targets:
    """Real ids and tokens by kind; the tests fill in the world they seeded."""

    world: World | None = None

    def ids(self, kind: str) -> list:
        assert self.world is not None, "the seeded_world fixture fills this in"
        if kind in self.world.tokens:
            return self.world.tokens[kind]
        if kind == "category":
            return self.world.slugs
        return self.world.ids[kind]


targets = Targets()

# The kind of object each path's {id} names.
PATH_KINDS = {
    "/api/v1/gestures/": "gesture",
    "/api/v1/approvals/": "approval",
    "/api/v1/reviews/": "review",
    "/api/v1/appreciation-days/": "day",
    "/api/v1/shifts/": "shift",
    "/api/v1/invitations/": "invitation",
    "/api/v1/registrations/": "registration",
    "/api/v1/public/registrations/": "registration",
    "/api/v1/stories/": "gesture",
}
# Fields, in bodies and query strings, that name another object.
FIELD_KINDS = {
    "team": "team",
    "programme": "programme",
    "agent": "person",
    "delegate": "person",
    "person": "person",
    "budget": "budget",
    "category": "category",
    "token": "invitation",
}


def kind_of_path(path: str) -> str | None:
    """The kind of object an API path's parameter names."""
    return next((kind for prefix, kind in PATH_KINDS.items() if path.startswith(prefix)), None)
