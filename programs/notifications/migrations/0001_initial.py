"""The tables of this context were created by the ``programs`` app's migrations 0001-0010,
when one app held every context. This app adopts them as they are: the operations change
Django's record of which app owns each model, never the database."""


import django.db.models.deletion
import programs.notifications.models
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
                    name='Notification',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('key', models.CharField(max_length=200, unique=True)),
                        ('kind', models.CharField(max_length=60)),
                        ('email', models.EmailField(max_length=254)),
                        ('subject_type', models.CharField(max_length=40)),
                        ('subject_id', models.CharField(max_length=40)),
                        ('title', models.CharField(max_length=200)),
                        ('link', models.CharField(blank=True, max_length=500)),
                        ('context', models.JSONField(decoder=programs.notifications.models.ContextDecoder, default=dict, encoder=programs.notifications.models.ContextEncoder)),
                        ('created_at', models.DateTimeField(auto_now_add=True, db_index=True)),
                        ('email_status', models.CharField(choices=[('pending', 'Waiting to be sent'), ('sent', 'Sent'), ('failed', 'Gave up')], default='pending', max_length=16)),
                        ('attempts', models.PositiveSmallIntegerField(default=0)),
                        ('last_error', models.TextField(blank=True)),
                        ('sent_at', models.DateTimeField(blank=True, null=True)),
                        ('read_at', models.DateTimeField(blank=True, null=True)),
                        ('resolved_at', models.DateTimeField(blank=True, null=True)),
                        ('resolution', models.CharField(blank=True, help_text='What settled it, e.g. “Decided by … — approved”.', max_length=200)),
                        ('recipient', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'programs_notification',
                        'ordering': ['-created_at', '-id'],
                        'indexes': [models.Index(fields=['recipient', 'read_at'], name='programs_no_recipie_83f1a8_idx'), models.Index(fields=['email_status', 'created_at'], name='programs_no_email_s_f7272d_idx'), models.Index(condition=models.Q(('read_at__isnull', True), ('resolved_at__isnull', True)), fields=['recipient'], name='notification_new_by_recipient'), models.Index(fields=['subject_type', 'subject_id'], name='notification_subject')],
                        'constraints': [models.CheckConstraint(condition=models.Q(('email_status__in', ['pending', 'sent', 'failed'])), name='notification_status_valid'), models.CheckConstraint(condition=models.Q(models.Q(('email_status', 'sent'), _negated=True), ('sent_at__isnull', False), _connector='OR'), name='notification_sent_has_time'), models.CheckConstraint(condition=models.Q(models.Q(('resolution', ''), ('resolved_at__isnull', True)), models.Q(('resolved_at__isnull', False), models.Q(('resolution', ''), _negated=True)), _connector='OR'), name='notification_resolved_says_how')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
