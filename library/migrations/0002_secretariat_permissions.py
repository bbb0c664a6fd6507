from django.contrib.auth.management import create_permissions
from django.db import migrations

# The secretariat keeps the library.
MODELS = {"library": ["libraryitem"]}


def grant(apps, schema_editor):
    # Permissions are normally made after all migrations have run; the group needs them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    secretariat, _ = Group.objects.get_or_create(name="Secretariat")
    for app_label, models in MODELS.items():
        secretariat.permissions.add(
            *Permission.objects.filter(
                content_type__app_label=app_label,
                codename__in=[
                    f"{action}_{model}"
                    for model in models
                    for action in ["add", "change", "delete", "view"]
                ],
            )
        )


class Migration(migrations.Migration):
    dependencies = [("library", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
