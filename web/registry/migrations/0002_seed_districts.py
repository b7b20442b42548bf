"""The city's districts (DISTRICT_ORDER in docgen.annexes.consolidate), each with its bureau's name."""

from django.db import migrations

from docgen.annexes.consolidate import DISTRICT_ORDER


def seed(apps, schema_editor):
    District = apps.get_model("registry", "District")
    for order, name in enumerate(DISTRICT_ORDER):
        District.objects.get_or_create(name=name, defaults={"bureau": f"{name}市场监督管理局", "order": order})


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
