"""The tables of this context were created by the ``programs`` app's migrations 0001-0010,
when one app held every context. This app adopts them as they are: the operations change
Django's record of which app owns each model, never the database."""


import django.db.models.deletion
import django.db.models.functions.text
import portal.validators
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
                    name='AppreciationDay',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('title', models.CharField(max_length=200, validators=[portal.validators.TextValidator('line')])),
                        ('description', models.TextField(blank=True, max_length=5000, validators=[portal.validators.TextValidator('text')])),
                        ('starts_at', models.DateTimeField()),
                        ('ends_at', models.DateTimeField()),
                        ('venue', models.CharField(blank=True, max_length=300, validators=[portal.validators.TextValidator('line')])),
                        ('online_link', models.URLField(blank=True, max_length=500)),
                        ('capacity', models.PositiveIntegerField(help_text='Seats for customers.')),
                        ('max_party_size', models.PositiveSmallIntegerField(default=4)),
                        ('registration_opens_at', models.DateTimeField()),
                        ('registration_closes_at', models.DateTimeField()),
                        ('status', models.CharField(choices=[('draft', 'Draft'), ('published', 'Published'), ('cancelled', 'Cancelled'), ('completed', 'Completed')], default='draft', max_length=16)),
                        ('seats_taken', models.PositiveIntegerField(default=0, help_text="Sum of the confirmed registrations' party sizes.")),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('published_at', models.DateTimeField(blank=True, null=True)),
                        ('cancelled_at', models.DateTimeField(blank=True, null=True)),
                        ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('organisers', models.ManyToManyField(blank=True, related_name='organised_days', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'programs_appreciationday',
                        'ordering': ['starts_at', 'id'],
                    },
                ),
                migrations.CreateModel(
                    name='Invitation',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('label', models.CharField(max_length=120, validators=[portal.validators.TextValidator('line')])),
                        ('token', models.CharField(editable=False, max_length=64, unique=True)),
                        ('max_uses', models.PositiveIntegerField(blank=True, null=True)),
                        ('uses', models.PositiveIntegerField(default=0)),
                        ('expires_at', models.DateTimeField(blank=True, null=True)),
                        ('revoked_at', models.DateTimeField(blank=True, null=True)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('day', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='invitations', to='days.appreciationday')),
                    ],
                    options={
                        'db_table': 'programs_invitation',
                        'ordering': ['-created_at', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='Registration',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=150, validators=[portal.validators.TextValidator('line')])),
                        ('email', models.EmailField(max_length=254, verbose_name='e-mail address')),
                        ('party_size', models.PositiveSmallIntegerField()),
                        ('accessibility_needs', models.TextField(blank=True, max_length=1000, validators=[portal.validators.TextValidator('text')])),
                        ('dietary_needs', models.TextField(blank=True, max_length=1000, validators=[portal.validators.TextValidator('text')])),
                        ('consent_at', models.DateTimeField(help_text='When the customer agreed to us keeping this.')),
                        ('status', models.CharField(choices=[('confirmed', 'Confirmed'), ('waitlisted', 'Waitlisted'), ('cancelled', 'Cancelled')], max_length=16)),
                        ('manage_token', models.CharField(editable=False, max_length=64, unique=True)),
                        ('checkin_code', models.CharField(editable=False, max_length=32, unique=True)),
                        ('created_at', models.DateTimeField(db_index=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('promoted_at', models.DateTimeField(blank=True, null=True)),
                        ('cancelled_at', models.DateTimeField(blank=True, null=True)),
                        ('checked_in_at', models.DateTimeField(blank=True, null=True)),
                        ('anonymised_at', models.DateTimeField(blank=True, null=True)),
                        ('checked_in_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('day', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='registrations', to='days.appreciationday')),
                        ('invitation', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='registrations', to='days.invitation')),
                    ],
                    options={
                        'db_table': 'programs_registration',
                        'ordering': ['id'],
                    },
                ),
                migrations.CreateModel(
                    name='Shift',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('role', models.CharField(max_length=120, validators=[portal.validators.TextValidator('line')])),
                        ('description', models.TextField(blank=True, max_length=1000, validators=[portal.validators.TextValidator('text')])),
                        ('starts_at', models.DateTimeField()),
                        ('ends_at', models.DateTimeField()),
                        ('capacity', models.PositiveSmallIntegerField()),
                        ('taken', models.PositiveSmallIntegerField(default=0)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('day', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='shifts', to='days.appreciationday')),
                    ],
                    options={
                        'db_table': 'programs_shift',
                        'ordering': ['starts_at', 'role', 'id'],
                    },
                ),
                migrations.CreateModel(
                    name='ShiftSignup',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('shift', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='signups', to='days.shift')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='shift_signups', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'programs_shiftsignup',
                        'ordering': ['created_at', 'id'],
                    },
                ),
                migrations.AddIndex(
                    model_name='appreciationday',
                    index=models.Index(fields=['status', 'starts_at'], name='programs_ap_status_334903_idx'),
                ),
                migrations.AddConstraint(
                    model_name='appreciationday',
                    constraint=models.CheckConstraint(condition=models.Q(('status__in', ['draft', 'published', 'cancelled', 'completed'])), name='day_status_valid'),
                ),
                migrations.AddConstraint(
                    model_name='appreciationday',
                    constraint=models.CheckConstraint(condition=models.Q(('capacity__gte', 0), ('capacity__lte', 100000)), name='day_capacity_in_range'),
                ),
                migrations.AddConstraint(
                    model_name='appreciationday',
                    constraint=models.CheckConstraint(condition=models.Q(('max_party_size__gte', 1), ('max_party_size__lte', 20)), name='day_max_party_size_in_range'),
                ),
                migrations.AddConstraint(
                    model_name='appreciationday',
                    constraint=models.CheckConstraint(condition=models.Q(('seats_taken__gte', 0)), name='day_seats_taken_not_negative'),
                ),
                migrations.AddConstraint(
                    model_name='appreciationday',
                    constraint=models.CheckConstraint(condition=models.Q(('seats_taken__lte', models.F('capacity'))), name='day_never_oversold'),
                ),
                migrations.AddConstraint(
                    model_name='appreciationday',
                    constraint=models.CheckConstraint(condition=models.Q(('capacity', 0), ('max_party_size__lte', models.F('capacity')), _connector='OR'), name='day_party_fits_capacity', violation_error_message="A party cannot be larger than the day's capacity."),
                ),
                migrations.AddConstraint(
                    model_name='appreciationday',
                    constraint=models.CheckConstraint(condition=models.Q(('title__regex', '[\\u0001-\\u001f\\u007f-\\u009f\\u2028\\u2029]'), _negated=True), name='day_title_one_line', violation_error_message='Keep this to one line: it cannot contain a line break.'),
                ),
                migrations.AddConstraint(
                    model_name='appreciationday',
                    constraint=models.CheckConstraint(condition=models.Q(('ends_at__gt', models.F('starts_at'))), name='day_ordered'),
                ),
                migrations.AddConstraint(
                    model_name='appreciationday',
                    constraint=models.CheckConstraint(condition=models.Q(('registration_closes_at__gt', models.F('registration_opens_at')), ('registration_closes_at__lte', models.F('ends_at'))), name='day_registration_window_ordered'),
                ),
                migrations.AddConstraint(
                    model_name='invitation',
                    constraint=models.CheckConstraint(condition=models.Q(('max_uses__isnull', True), ('max_uses__gte', 1), _connector='OR'), name='invitation_max_uses_positive'),
                ),
                migrations.AddConstraint(
                    model_name='invitation',
                    constraint=models.CheckConstraint(condition=models.Q(('max_uses__isnull', True), ('uses__lte', models.F('max_uses')), _connector='OR'), name='invitation_never_overused'),
                ),
                migrations.AddConstraint(
                    model_name='invitation',
                    constraint=models.CheckConstraint(condition=models.Q(('token__regex', '^[A-Za-z0-9_-]{43,64}$')), name='invitation_token_long'),
                ),
                migrations.AddConstraint(
                    model_name='invitation',
                    constraint=models.CheckConstraint(condition=models.Q(('label__regex', '[\\u0001-\\u001f\\u007f-\\u009f\\u2028\\u2029]'), _negated=True), name='invitation_label_one_line', violation_error_message='Keep this to one line: it cannot contain a line break.'),
                ),
                migrations.AddIndex(
                    model_name='registration',
                    index=models.Index(fields=['day', 'status', 'id'], name='programs_re_day_id_8955b9_idx'),
                ),
                migrations.AddConstraint(
                    model_name='registration',
                    constraint=models.CheckConstraint(condition=models.Q(('status__in', ['confirmed', 'waitlisted', 'cancelled'])), name='registration_status_valid'),
                ),
                migrations.AddConstraint(
                    model_name='registration',
                    constraint=models.CheckConstraint(condition=models.Q(('party_size__gte', 1), ('party_size__lte', 20)), name='registration_party_size_in_range'),
                ),
                migrations.AddConstraint(
                    model_name='registration',
                    constraint=models.CheckConstraint(condition=models.Q(('checked_in_at__isnull', True), ('status', 'confirmed'), _connector='OR'), name='registration_checked_in_is_confirmed'),
                ),
                migrations.AddConstraint(
                    model_name='registration',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('email', ''), _negated=True), models.Q(('name', ''), _negated=True)), name='registration_named'),
                ),
                migrations.AddConstraint(
                    model_name='registration',
                    constraint=models.CheckConstraint(condition=models.Q(('name__regex', '[\\u0001-\\u001f\\u007f-\\u009f\\u2028\\u2029]'), _negated=True), name='registration_name_one_line', violation_error_message='Keep this to one line: it cannot contain a line break.'),
                ),
                migrations.AddConstraint(
                    model_name='registration',
                    constraint=models.CheckConstraint(condition=models.Q(('manage_token__regex', '^[A-Za-z0-9_-]{43,64}$')), name='registration_manage_token_long'),
                ),
                migrations.AddConstraint(
                    model_name='registration',
                    constraint=models.UniqueConstraint(models.F('day'), django.db.models.functions.text.Lower('email'), condition=models.Q(('status', 'cancelled'), _negated=True), name='registration_once_per_email_and_day'),
                ),
                migrations.AddConstraint(
                    model_name='shift',
                    constraint=models.CheckConstraint(condition=models.Q(('capacity__gte', 1), ('capacity__lte', 500)), name='shift_capacity_in_range'),
                ),
                migrations.AddConstraint(
                    model_name='shift',
                    constraint=models.CheckConstraint(condition=models.Q(('taken__gte', 0)), name='shift_taken_not_negative'),
                ),
                migrations.AddConstraint(
                    model_name='shift',
                    constraint=models.CheckConstraint(condition=models.Q(('taken__lte', models.F('capacity'))), name='shift_never_overfull'),
                ),
                migrations.AddConstraint(
                    model_name='shift',
                    constraint=models.CheckConstraint(condition=models.Q(('ends_at__gt', models.F('starts_at'))), name='shift_ordered'),
                ),
                migrations.AddConstraint(
                    model_name='shift',
                    constraint=models.CheckConstraint(condition=models.Q(('role__regex', '[\\u0001-\\u001f\\u007f-\\u009f\\u2028\\u2029]'), _negated=True), name='shift_role_one_line', violation_error_message='Keep this to one line: it cannot contain a line break.'),
                ),
                migrations.AddConstraint(
                    model_name='shiftsignup',
                    constraint=models.UniqueConstraint(fields=('shift', 'user'), name='shift_signup_once_per_person'),
                ),
            ],
            database_operations=[],
        ),
    ]
