"""Audit entries name the key that signed them.

Entries already written keep ``key_id = ""`` (unkeyed, plain SHA-256): adding the column with a
default is a change of the table, not an UPDATE of its rows, so the append-only trigger is not
asked, and nothing rewrites their hashes. See ``AuditEntry`` for how both kinds verify.
"""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('programs', '0006_notification_context_keeps_types'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='auditentry',
            name='key_id',
            field=models.CharField(blank=True, default='', help_text='The id of the audit key that signed this entry; empty before keying.', max_length=16),
        ),
        migrations.AddConstraint(
            model_name='auditentry',
            constraint=models.CheckConstraint(condition=models.Q(('key_id__regex', '^[A-Za-z0-9_.-]{0,16}$')), name='audit_key_id_format'),
        ),
    ]
