from django.db import migrations


def load(apps, schema_editor):
    from agencies.regions import load_regions

    load_regions(apps.get_model("agencies", "Region"))


class Migration(migrations.Migration):
    dependencies = [("agencies", "0001_initial")]

    # Reversing leaves the regions: agencies and plans point at them.
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
