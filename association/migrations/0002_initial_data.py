from django.contrib.auth.management import create_permissions
from django.db import migrations

# What the secretariat may do in the administration. Later migrations extend it as apps grow.
SECRETARIAT_PERMISSIONS = [
    "association.change_associationprofile",
    "association.view_associationprofile",
    "association.add_affiliation",
    "association.change_affiliation",
    "association.delete_affiliation",
    "association.view_affiliation",
    "association.change_sitepage",
    "association.view_sitepage",
    "association.view_user",
]


def create_initial_data(apps, schema_editor):
    # Permissions are normally made after all migrations have run; the group needs them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    secretariat, _ = Group.objects.get_or_create(name="Secretariat")
    for dotted in SECRETARIAT_PERMISSIONS:
        app_label, codename = dotted.split(".")
        secretariat.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )

    AssociationProfile = apps.get_model("association", "AssociationProfile")
    AssociationProfile.objects.get_or_create(
        pk=1, defaults={"name": "Association", "name_en": "Association"}
    )
    SitePage = apps.get_model("association", "SitePage")
    for kind, title in [
        ("accessibility", "Accessibility statement"),
        ("privacy", "Privacy notice"),
    ]:
        SitePage.objects.get_or_create(kind=kind, defaults={"title": title, "title_en": title})


class Migration(migrations.Migration):
    dependencies = [
        ("association", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_initial_data, migrations.RunPython.noop)]
