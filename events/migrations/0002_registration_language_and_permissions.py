from django.contrib.auth.management import create_permissions
from django.db import migrations, models

# The secretariat publishes events (members propose them), keeps their documents, and looks
# after the registrations: attendance, cancellations, messages.
MODELS = {"events": ["event", "eventdocument", "registration"]}


def grant(apps, schema_editor):
    # Permissions are normally made after all migrations have run; the group needs them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    secretariat, _ = Group.objects.get_or_create(name="Secretariat")
    for app_label, names in MODELS.items():
        secretariat.permissions.add(
            *Permission.objects.filter(
                content_type__app_label=app_label,
                codename__in=[
                    f"{action}_{model}"
                    for model in names
                    for action in ["add", "change", "delete", "view"]
                ],
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        # The language the person registered in: the promotion and the reminder, sent later by
        # the worker without a request, are written in it.
        migrations.AddField(
            model_name="registration",
            name="language",
            field=models.CharField(
                choices=[("en", "English"), ("lt", "Lithuanian"), ("sl", "Slovenian"), ("sv", "Swedish")],
                default="en",
                max_length=10,
                verbose_name="language",
            ),
        ),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
