"""The tables of this context were created by the ``programs`` app's migrations 0001-0010,
when one app held every context. This app adopts them as they are: the operations change
Django's record of which app owns each model, never the database."""


import django.core.serializers.json
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("programs", "0010_notifications_backfill"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='AuditEntry',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('seq', models.PositiveBigIntegerField(unique=True)),
                        ('at', models.DateTimeField(db_index=True)),
                        ('action', models.CharField(db_index=True, max_length=80)),
                        ('subject_type', models.CharField(max_length=40)),
                        ('subject_id', models.CharField(max_length=40)),
                        ('data', models.JSONField(default=dict, encoder=django.core.serializers.json.DjangoJSONEncoder)),
                        ('prev_hash', models.CharField(max_length=64)),
                        ('hash', models.CharField(max_length=64, unique=True)),
                        ('key_id', models.CharField(blank=True, default='', help_text='The id of the audit key that signed this entry; empty before keying.', max_length=16)),
                        ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('on_behalf_of', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name_plural': 'audit entries',
                        'db_table': 'programs_auditentry',
                        'ordering': ['seq'],
                        'indexes': [models.Index(fields=['subject_type', 'subject_id', 'seq'], name='programs_au_subject_2d89b6_idx')],
                        'constraints': [models.CheckConstraint(condition=models.Q(('seq__gte', 1)), name='audit_seq_positive'), models.CheckConstraint(condition=models.Q(('hash__regex', '^[0-9a-f]{64}$'), ('prev_hash__regex', '^[0-9a-f]{64}$')), name='audit_hashes_hex'), models.CheckConstraint(condition=models.Q(('key_id__regex', '^[A-Za-z0-9_.-]{0,16}$')), name='audit_key_id_format')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
