"""The contexts become apps of their own: empowerment, days, notifications and audit.

The tables stay where they are (each model keeps its ``db_table``); this app forgets the models
in Django's state, the new apps' first migrations adopt them, and the content types (and so the
permissions and the admin's history that point at them) follow the models to their new apps.
"""


from django.db import migrations

MOVED = {
    "empowerment": [
        "allowanceoverride",
        "approvalrequest",
        "budget",
        "budgetrequest",
        "gesture",
        "gesturecategory",
        "gesturereview",
        "programme",
    ],
    "days": ["appreciationday", "invitation", "registration", "shift", "shiftsignup"],
    "notifications": ["notification"],
    "audit": ["auditentry"],
}


def _relabel(apps, *, source, target_of):
    content_type = apps.get_model("contenttypes", "ContentType")
    for label, models in MOVED.items():
        for model in models:
            old, new = source(label), target_of(label)
            if not content_type.objects.filter(app_label=new, model=model).exists():
                content_type.objects.filter(app_label=old, model=model).update(app_label=new)


def content_types_follow(apps, schema_editor):
    _relabel(apps, source=lambda label: "programs", target_of=lambda label: label)


def content_types_return(apps, schema_editor):
    _relabel(apps, source=lambda label: label, target_of=lambda label: "programs")



class Migration(migrations.Migration):

    dependencies = [
        ("programs", "0010_notifications_backfill"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("audit", "0001_initial"),
        ("notifications", "0001_initial"),
        ("empowerment", "0001_initial"),
        ("days", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='appreciationday',
                    name='created_by',
                ),
                migrations.RemoveField(
                    model_name='appreciationday',
                    name='organisers',
                ),
                migrations.RemoveField(
                    model_name='shift',
                    name='day',
                ),
                migrations.RemoveField(
                    model_name='registration',
                    name='day',
                ),
                migrations.RemoveField(
                    model_name='invitation',
                    name='day',
                ),
                migrations.RemoveField(
                    model_name='approvalrequest',
                    name='assignee',
                ),
                migrations.RemoveField(
                    model_name='approvalrequest',
                    name='budget_request',
                ),
                migrations.RemoveField(
                    model_name='approvalrequest',
                    name='decided_by',
                ),
                migrations.RemoveField(
                    model_name='approvalrequest',
                    name='gesture',
                ),
                migrations.RemoveField(
                    model_name='approvalrequest',
                    name='on_behalf_of',
                ),
                migrations.RemoveField(
                    model_name='approvalrequest',
                    name='requested_by',
                ),
                migrations.RemoveField(
                    model_name='approvalrequest',
                    name='team',
                ),
                migrations.RemoveField(
                    model_name='auditentry',
                    name='actor',
                ),
                migrations.RemoveField(
                    model_name='auditentry',
                    name='on_behalf_of',
                ),
                migrations.RemoveField(
                    model_name='budget',
                    name='allocated_by',
                ),
                migrations.RemoveField(
                    model_name='budget',
                    name='programme',
                ),
                migrations.RemoveField(
                    model_name='budget',
                    name='team',
                ),
                migrations.RemoveField(
                    model_name='gesture',
                    name='budget',
                ),
                migrations.RemoveField(
                    model_name='budgetrequest',
                    name='budget',
                ),
                migrations.RemoveField(
                    model_name='budgetrequest',
                    name='requested_by',
                ),
                migrations.RemoveField(
                    model_name='gesture',
                    name='agent',
                ),
                migrations.RemoveField(
                    model_name='gesture',
                    name='category',
                ),
                migrations.RemoveField(
                    model_name='gesture',
                    name='programme',
                ),
                migrations.RemoveField(
                    model_name='gesture',
                    name='team',
                ),
                migrations.RemoveField(
                    model_name='gesturereview',
                    name='gesture',
                ),
                migrations.RemoveField(
                    model_name='gesturereview',
                    name='reviewed_by',
                ),
                migrations.RemoveField(
                    model_name='invitation',
                    name='created_by',
                ),
                migrations.RemoveField(
                    model_name='registration',
                    name='invitation',
                ),
                migrations.RemoveField(
                    model_name='notification',
                    name='recipient',
                ),
                migrations.RemoveField(
                    model_name='registration',
                    name='checked_in_by',
                ),
                migrations.RemoveField(
                    model_name='shiftsignup',
                    name='shift',
                ),
                migrations.RemoveField(
                    model_name='shiftsignup',
                    name='user',
                ),
                migrations.DeleteModel(
                    name='AllowanceOverride',
                ),
                migrations.DeleteModel(
                    name='AppreciationDay',
                ),
                migrations.DeleteModel(
                    name='ApprovalRequest',
                ),
                migrations.DeleteModel(
                    name='AuditEntry',
                ),
                migrations.DeleteModel(
                    name='Budget',
                ),
                migrations.DeleteModel(
                    name='BudgetRequest',
                ),
                migrations.DeleteModel(
                    name='GestureCategory',
                ),
                migrations.DeleteModel(
                    name='Programme',
                ),
                migrations.DeleteModel(
                    name='Gesture',
                ),
                migrations.DeleteModel(
                    name='GestureReview',
                ),
                migrations.DeleteModel(
                    name='Invitation',
                ),
                migrations.DeleteModel(
                    name='Notification',
                ),
                migrations.DeleteModel(
                    name='Registration',
                ),
                migrations.DeleteModel(
                    name='Shift',
                ),
                migrations.DeleteModel(
                    name='ShiftSignup',
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_types_follow, content_types_return),
    ]
