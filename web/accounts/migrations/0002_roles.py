"""The four roles, as Django groups with their Chinese names (web.accounts.roles)."""

from django.db import migrations

ROLES = ("市局经办人", "区局填报员", "签发人", "标牌制作")


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
