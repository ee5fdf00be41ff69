"""The tables of this context were created by the ``programs`` app's migrations 0001-0010,
when one app held every context. This app adopts them as they are: the operations change
Django's record of which app owns each model, never the database."""


import django.core.validators
import django.db.models.deletion
import django.db.models.expressions
import portal.money
import portal.validators
from decimal import Decimal
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("programs", "0010_notifications_backfill"),
        ('accounts', '0003_names_on_one_line'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='GestureCategory',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=80, unique=True, validators=[portal.validators.TextValidator('line')])),
                        ('slug', models.SlugField(max_length=80, unique=True)),
                        ('description', models.CharField(blank=True, max_length=255, validators=[portal.validators.TextValidator('line')])),
                        ('is_active', models.BooleanField(default=True)),
                    ],
                    options={
                        'verbose_name_plural': 'gesture categories',
                        'db_table': 'programs_gesturecategory',
                        'ordering': ['name'],
                    },
                ),
                migrations.CreateModel(
                    name='Budget',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('period_start', models.DateField()),
                        ('period_end', models.DateField()),
                        ('amount', portal.money.MoneyField()),
                        ('committed', portal.money.MoneyField(default=Decimal('0.00'))),
                        ('spent', portal.money.MoneyField(default=Decimal('0.00'))),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('allocated_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('team', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='budgets', to='accounts.team')),
                    ],
                    options={
                        'db_table': 'programs_budget',
                        'ordering': ['-period_start', 'team__name'],
                    },
                ),
                migrations.CreateModel(
                    name='BudgetRequest',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('amount', portal.money.MoneyField()),
                        ('reason', models.TextField(max_length=2000, validators=[django.core.validators.MaxLengthValidator(2000), portal.validators.TextValidator('text')])),
                        ('status', models.CharField(choices=[('pending', 'Pending'), ('approved', 'Approved'), ('declined', 'Declined'), ('withdrawn', 'Withdrawn')], default='pending', max_length=16)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('decided_at', models.DateTimeField(blank=True, null=True)),
                        ('budget', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='requests', to='empowerment.budget')),
                        ('requested_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='budget_requests', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'programs_budgetrequest',
                        'ordering': ['-created_at'],
                    },
                ),
                migrations.CreateModel(
                    name='Gesture',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('customer_ref', models.CharField(max_length=64, validators=[portal.validators.TextValidator('reference')], verbose_name='customer reference')),
                        ('customer_key', models.CharField(db_index=True, editable=False, max_length=64)),
                        ('customer_name', models.CharField(blank=True, max_length=150, validators=[portal.validators.TextValidator('line')])),
                        ('channel', models.CharField(choices=[('phone', 'Phone'), ('email', 'E-mail'), ('chat', 'Chat'), ('in_person', 'In person'), ('social', 'Social media'), ('other', 'Other')], max_length=16)),
                        ('situation', models.TextField(max_length=2000, validators=[django.core.validators.MaxLengthValidator(2000), portal.validators.TextValidator('text')], verbose_name="the customer's situation")),
                        ('action', models.TextField(max_length=2000, validators=[django.core.validators.MaxLengthValidator(2000), portal.validators.TextValidator('text')], verbose_name='what you did')),
                        ('outcome', models.TextField(blank=True, max_length=2000, validators=[django.core.validators.MaxLengthValidator(2000), portal.validators.TextValidator('text')])),
                        ('outcome_rating', models.CharField(blank=True, choices=[('delighted', 'Delighted'), ('satisfied', 'Satisfied'), ('neutral', 'Neutral'), ('unhappy', 'Unhappy')], max_length=16)),
                        ('cost', portal.money.MoneyField()),
                        ('currency', models.CharField(max_length=3)),
                        ('occurred_on', models.DateField(verbose_name='date it happened')),
                        ('status', models.CharField(choices=[('approved', 'Approved'), ('pending', 'Waiting for approval'), ('declined', 'Declined'), ('withdrawn', 'Withdrawn')], max_length=16)),
                        ('committed_amount', portal.money.MoneyField(default=Decimal('0.00'), help_text='What this gesture holds reserved in its budget.')),
                        ('over_budget', models.BooleanField(default=False)),
                        ('possible_duplicate', models.BooleanField(default=False)),
                        ('policy_snapshot', models.JSONField(default=dict)),
                        ('created_at', models.DateTimeField(auto_now_add=True, db_index=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('decided_at', models.DateTimeField(blank=True, null=True)),
                        ('decision_reason', models.TextField(blank=True, help_text="The approver's comment or reason for declining.", max_length=2000)),
                        ('agent', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='gestures', to=settings.AUTH_USER_MODEL)),
                        ('budget', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='gestures', to='empowerment.budget')),
                        ('team', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='gestures', to='accounts.team')),
                        ('category', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='gestures', to='empowerment.gesturecategory')),
                    ],
                    options={
                        'db_table': 'programs_gesture',
                        'ordering': ['-created_at', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='ApprovalRequest',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('gesture', 'Gesture'), ('budget_request', 'Budget top-up')], max_length=16)),
                        ('level', models.PositiveSmallIntegerField(choices=[(1, 'Team manager'), (2, 'Finance')])),
                        ('amount', portal.money.MoneyField()),
                        ('status', models.CharField(choices=[('pending', 'Pending'), ('approved', 'Approved'), ('declined', 'Declined'), ('escalated', 'Escalated'), ('cancelled', 'Cancelled')], default='pending', max_length=16)),
                        ('note', models.CharField(blank=True, help_text='Why it is where it is: reassigned, escalated.', max_length=500)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('due_at', models.DateTimeField()),
                        ('decided_at', models.DateTimeField(blank=True, null=True)),
                        ('comment', models.TextField(blank=True, max_length=2000)),
                        ('assignee', models.ForeignKey(blank=True, help_text='The person expected to decide; shown in the inbox and moved when they are away.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='assigned_approvals', to=settings.AUTH_USER_MODEL)),
                        ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('on_behalf_of', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('requested_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('team', models.ForeignKey(blank=True, help_text="For a manager's step, the team whose managers decide.", null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.team')),
                        ('budget_request', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='approval_requests', to='empowerment.budgetrequest')),
                        ('gesture', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='approval_requests', to='empowerment.gesture')),
                    ],
                    options={
                        'db_table': 'programs_approvalrequest',
                        'ordering': ['created_at', 'id'],
                    },
                ),
                migrations.CreateModel(
                    name='GestureReview',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('status', models.CharField(choices=[('pending', 'To review'), ('reviewed', 'Reviewed, fine'), ('concern', 'Concern raised')], default='pending', max_length=16)),
                        ('reviewed_at', models.DateTimeField(blank=True, null=True)),
                        ('note', models.TextField(blank=True, max_length=2000)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('gesture', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='review', to='empowerment.gesture')),
                        ('reviewed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'programs_gesturereview',
                        'ordering': ['created_at', 'id'],
                    },
                ),
                migrations.CreateModel(
                    name='Programme',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=120, unique=True, validators=[portal.validators.TextValidator('line')])),
                        ('currency', models.CharField(default='GBP', max_length=3)),
                        ('period', models.CharField(choices=[('monthly', 'Monthly'), ('quarterly', 'Quarterly')], default='monthly', max_length=16)),
                        ('gesture_limit', portal.money.MoneyField(help_text='Largest single gesture an agent may make unasked.')),
                        ('agent_allowance', portal.money.MoneyField(help_text='What one agent may spend per period unasked.')),
                        ('allowance_floor', portal.money.MoneyField(default=Decimal('0.00'), help_text='Lowest allowance a manager may set for an agent.')),
                        ('allowance_ceiling', portal.money.MoneyField(help_text='Highest allowance a manager may boost an agent to.')),
                        ('second_tier_threshold', portal.money.MoneyField(help_text='Above it a gesture also needs finance.')),
                        ('escalate_after_hours', models.PositiveIntegerField(default=24)),
                        ('customer_daily_limit', portal.money.MoneyField(help_text='What all agents together may spend on one customer in one day unasked.')),
                        ('review_sample_percent', models.PositiveSmallIntegerField(default=10, help_text='Share of automatically approved gestures finance reviews.')),
                        ('starts_on', models.DateField(blank=True, help_text='Its first day: no budget for a period before the one holding it. Empty: no limit.', null=True)),
                        ('ends_on', models.DateField(blank=True, help_text='Its last day: no budget for a period after the one holding it. Empty: no limit.', null=True)),
                        ('is_active', models.BooleanField(default=True)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                    ],
                    options={
                        'db_table': 'programs_programme',
                        'ordering': ['-is_active', 'name'],
                        'constraints': [models.CheckConstraint(condition=models.Q(('currency__regex', '^[A-Z]{3}$')), name='programme_currency_iso'), models.CheckConstraint(condition=models.Q(('period__in', ['monthly', 'quarterly'])), name='programme_period_valid'), models.CheckConstraint(condition=models.Q(('gesture_limit__gte', 0), ('agent_allowance__gte', 0), ('second_tier_threshold__gte', 0), ('customer_daily_limit__gte', 0), ('allowance_floor__gte', 0)), name='programme_money_not_negative'), models.CheckConstraint(condition=models.Q(('allowance_floor__lte', models.F('agent_allowance')), ('agent_allowance__lte', models.F('allowance_ceiling'))), name='programme_allowance_within_bounds'), models.CheckConstraint(condition=models.Q(('review_sample_percent__lte', 100)), name='programme_sample_percent'), models.UniqueConstraint(condition=models.Q(('is_active', True)), fields=('is_active',), name='one_active_programme'), models.CheckConstraint(condition=models.Q(('starts_on__isnull', True), ('ends_on__isnull', True), ('ends_on__gte', models.F('starts_on')), _connector='OR'), name='programme_dates_ordered')],
                    },
                ),
                migrations.AddField(
                    model_name='gesture',
                    name='programme',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='gestures', to='empowerment.programme'),
                ),
                migrations.AddField(
                    model_name='budget',
                    name='programme',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='budgets', to='empowerment.programme'),
                ),
                migrations.CreateModel(
                    name='AllowanceOverride',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('period_start', models.DateField()),
                        ('amount', portal.money.MoneyField()),
                        ('reason', models.CharField(max_length=500)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('agent', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='allowance_overrides', to=settings.AUTH_USER_MODEL)),
                        ('set_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('programme', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='allowance_overrides', to='empowerment.programme')),
                    ],
                    options={
                        'db_table': 'programs_allowanceoverride',
                        'ordering': ['-created_at', '-id'],
                    },
                ),
                migrations.AddConstraint(
                    model_name='budgetrequest',
                    constraint=models.CheckConstraint(condition=models.Q(('amount__gt', 0)), name='budget_request_positive'),
                ),
                migrations.AddConstraint(
                    model_name='budgetrequest',
                    constraint=models.CheckConstraint(condition=models.Q(('status__in', ['pending', 'approved', 'declined', 'withdrawn'])), name='budget_request_status_valid'),
                ),
                migrations.AddIndex(
                    model_name='approvalrequest',
                    index=models.Index(fields=['status', 'level', 'team', 'created_at'], name='programs_ap_status_891b15_idx'),
                ),
                migrations.AddConstraint(
                    model_name='approvalrequest',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('budget_request__isnull', True), ('gesture__isnull', False), ('kind', 'gesture')), models.Q(('budget_request__isnull', False), ('gesture__isnull', True), ('kind', 'budget_request')), _connector='OR'), name='approval_one_subject'),
                ),
                migrations.AddConstraint(
                    model_name='approvalrequest',
                    constraint=models.CheckConstraint(condition=models.Q(('status__in', ['pending', 'approved', 'declined', 'escalated', 'cancelled'])), name='approval_status_valid'),
                ),
                migrations.AddConstraint(
                    model_name='approvalrequest',
                    constraint=models.CheckConstraint(condition=models.Q(('level__in', [1, 2])), name='approval_level_valid'),
                ),
                migrations.AddConstraint(
                    model_name='approvalrequest',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('level', 1), _negated=True), ('team__isnull', False), _connector='OR'), name='approval_manager_step_team'),
                ),
                migrations.AddConstraint(
                    model_name='approvalrequest',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'declined'), _negated=True), models.Q(('comment', ''), _negated=True), _connector='OR'), name='approval_decline_has_reason'),
                ),
                migrations.AddConstraint(
                    model_name='approvalrequest',
                    constraint=models.CheckConstraint(condition=models.Q(('decided_by__isnull', True), models.Q(('decided_by', models.F('requested_by')), _negated=True), _connector='OR'), name='approval_not_self_decided'),
                ),
                migrations.AddConstraint(
                    model_name='approvalrequest',
                    constraint=models.UniqueConstraint(condition=models.Q(('gesture__isnull', False), ('status', 'pending')), fields=('gesture',), name='approval_one_pending_per_gesture'),
                ),
                migrations.AddConstraint(
                    model_name='approvalrequest',
                    constraint=models.UniqueConstraint(condition=models.Q(('budget_request__isnull', False), ('status', 'pending')), fields=('budget_request',), name='approval_one_pending_per_budget_request'),
                ),
                migrations.AddConstraint(
                    model_name='gesturereview',
                    constraint=models.CheckConstraint(condition=models.Q(('status__in', ['pending', 'reviewed', 'concern'])), name='review_status_valid'),
                ),
                migrations.AddConstraint(
                    model_name='gesturereview',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'concern'), _negated=True), models.Q(('note', ''), _negated=True), _connector='OR'), name='review_concern_has_note'),
                ),
                migrations.AddIndex(
                    model_name='gesture',
                    index=models.Index(fields=['agent', 'occurred_on'], name='programs_ge_agent_i_be0a43_idx'),
                ),
                migrations.AddIndex(
                    model_name='gesture',
                    index=models.Index(fields=['team', 'status', '-created_at'], name='programs_ge_team_id_9f8271_idx'),
                ),
                migrations.AddIndex(
                    model_name='gesture',
                    index=models.Index(fields=['customer_key', 'occurred_on'], name='programs_ge_custome_3e1b69_idx'),
                ),
                migrations.AddConstraint(
                    model_name='gesture',
                    constraint=models.CheckConstraint(condition=models.Q(('cost__gte', 0)), name='gesture_cost_not_negative'),
                ),
                migrations.AddConstraint(
                    model_name='gesture',
                    constraint=models.CheckConstraint(condition=models.Q(('status__in', ['approved', 'pending', 'declined', 'withdrawn'])), name='gesture_status_valid'),
                ),
                migrations.AddConstraint(
                    model_name='gesture',
                    constraint=models.CheckConstraint(condition=models.Q(('channel__in', ['phone', 'email', 'chat', 'in_person', 'social', 'other'])), name='gesture_channel_valid'),
                ),
                migrations.AddConstraint(
                    model_name='gesture',
                    constraint=models.CheckConstraint(condition=models.Q(('customer_ref__regex', '[\\u0001-\\u001f\\u007f-\\u009f\\u00ad\\u061c\\u180e\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2064\\u2066-\\u206f\\ufeff]'), _negated=True), name='gesture_customer_ref_plain', violation_error_message='This contains a character that is not allowed.'),
                ),
                migrations.AddConstraint(
                    model_name='gesture',
                    constraint=models.CheckConstraint(condition=models.Q(('customer_name__regex', '[\\u0001-\\u001f\\u007f-\\u009f\\u2028\\u2029]'), _negated=True), name='gesture_customer_name_one_line', violation_error_message='Keep this to one line: it cannot contain a line break.'),
                ),
                migrations.AddConstraint(
                    model_name='gesture',
                    constraint=models.CheckConstraint(condition=models.Q(('outcome_rating__in', ['delighted', 'satisfied', 'neutral', 'unhappy', ''])), name='gesture_rating_valid'),
                ),
                migrations.AddConstraint(
                    model_name='gesture',
                    constraint=models.CheckConstraint(condition=models.Q(('committed_amount', 0), models.Q(('status', 'pending'), ('committed_amount', models.F('cost'))), _connector='OR'), name='gesture_commitment_matches_status'),
                ),
                migrations.AddConstraint(
                    model_name='gesture',
                    constraint=models.CheckConstraint(condition=models.Q(('over_budget', False), ('committed_amount', 0), _connector='OR'), name='gesture_over_budget_commits_nothing'),
                ),
                migrations.AddConstraint(
                    model_name='gesture',
                    constraint=models.CheckConstraint(condition=models.Q(('cost', 0), ('budget__isnull', False), models.Q(('status', 'approved'), _negated=True), _connector='OR'), name='gesture_paid_approval_has_budget'),
                ),
                migrations.AddConstraint(
                    model_name='budget',
                    constraint=models.UniqueConstraint(fields=('team', 'programme', 'period_start'), name='budget_one_per_team_period'),
                ),
                migrations.AddConstraint(
                    model_name='budget',
                    constraint=models.CheckConstraint(condition=models.Q(('amount__gte', 0)), name='budget_amount_not_negative'),
                ),
                migrations.AddConstraint(
                    model_name='budget',
                    constraint=models.CheckConstraint(condition=models.Q(('committed__gte', 0)), name='budget_committed_not_negative'),
                ),
                migrations.AddConstraint(
                    model_name='budget',
                    constraint=models.CheckConstraint(condition=models.Q(('spent__gte', 0)), name='budget_spent_not_negative'),
                ),
                migrations.AddConstraint(
                    model_name='budget',
                    constraint=models.CheckConstraint(condition=models.Q(('committed__lte', django.db.models.expressions.CombinedExpression(models.F('amount'), '-', models.F('spent')))), name='budget_never_overspent'),
                ),
                migrations.AddConstraint(
                    model_name='budget',
                    constraint=models.CheckConstraint(condition=models.Q(('period_end__gt', models.F('period_start'))), name='budget_period_ordered'),
                ),
                migrations.AddIndex(
                    model_name='allowanceoverride',
                    index=models.Index(fields=['programme', 'agent', 'period_start', '-created_at'], name='programs_al_program_9ae5dd_idx'),
                ),
                migrations.AddConstraint(
                    model_name='allowanceoverride',
                    constraint=models.CheckConstraint(condition=models.Q(('amount__gte', 0)), name='allowance_not_negative'),
                ),
                migrations.AddConstraint(
                    model_name='allowanceoverride',
                    constraint=models.CheckConstraint(condition=models.Q(('reason', ''), _negated=True), name='allowance_reason_required'),
                ),
            ],
            database_operations=[],
        ),
    ]
