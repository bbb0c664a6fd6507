from django.contrib.auth.management import create_permissions
from django.db import migrations

# The secretariat keeps the directory: organisations, their contacts, the types, places and
# fields they are described with, and spreadsheet imports.
SECRETARIAT_PERMISSIONS = [
    f"{action}_{model}"
    for model in ["organisation", "contactperson", "organisationtype", "fieldofactivity",
                  "region", "municipality"]
    for action in ["add", "change", "delete", "view"]
] + ["view_importjob", "delete_importjob"]


def grant(apps, schema_editor):
    # Permissions are normally made after all migrations have run; the group needs them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    secretariat, _ = Group.objects.get_or_create(name="Secretariat")
    secretariat.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="members", codename__in=SECRETARIAT_PERMISSIONS
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0003_import_jobs_and_indexes"),
        ("association", "0002_initial_data"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
