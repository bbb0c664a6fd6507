from django.contrib.auth.management import create_permissions
from django.db import migrations

# The secretariat also manages who may edit what: roles, invitations and the change requests it
# decides, and reads the annual figures.
SECRETARIAT_PERMISSIONS = [
    f"{action}_{model}"
    for model in ["role", "invitation", "changerequest"]
    for action in ["add", "change", "delete", "view"]
] + ["view_annualreport"]


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
    dependencies = [("members", "0006_staff_validation_and_history")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
