"""Full-text search of the story wall on PostgreSQL: a GIN index over the same expression the
wall's search asks (``programs/stories/selectors.py``), so a search reads the index instead of
every gesture. SQLite has no such index; the wall searches there with a plain ``LIKE``."""

from django.db import migrations

INDEX = "stories_gesture_search"
EXPRESSION = (
    "to_tsvector('english'::regconfig, COALESCE(situation, '') || ' ' || "
    "COALESCE(action, '') || ' ' || COALESCE(outcome, ''))"
)


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON programs_gesture USING gin (({EXPRESSION}))"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("stories", "0001_initial"),
        ("empowerment", "0002_gesture_keep_private"),
    ]

    operations = [migrations.RunPython(create_index, drop_index)]
