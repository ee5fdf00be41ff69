"""On PostgreSQL the database itself refuses to change or remove audit entries.

TRUNCATE is refused too, except in a database whose owner has set
``portal.allow_audit_truncate = on`` for it: the test suite's throwaway database, which Django
empties with TRUNCATE between tests. No production database has that setting.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION programs_audit_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'TRUNCATE'
       AND current_setting('portal.allow_audit_truncate', true) = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'audit entries are append-only (% refused)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER programs_auditentry_no_update_delete
    BEFORE UPDATE OR DELETE ON programs_auditentry
    FOR EACH ROW EXECUTE FUNCTION programs_audit_append_only();

CREATE TRIGGER programs_auditentry_no_truncate
    BEFORE TRUNCATE ON programs_auditentry
    FOR EACH STATEMENT EXECUTE FUNCTION programs_audit_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS programs_auditentry_no_truncate ON programs_auditentry;
DROP TRIGGER IF EXISTS programs_auditentry_no_update_delete ON programs_auditentry;
DROP FUNCTION IF EXISTS programs_audit_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("programs", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
