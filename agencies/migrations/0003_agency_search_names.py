"""Store each agency's full name and pinyin keys so lists sort and search in the database."""

from django.db import migrations, models

from lib import naming, pinyin


def fill(apps, schema_editor):
    Agency = apps.get_model("agencies", "Agency")
    AgencyAlias = apps.get_model("agencies", "AgencyAlias")
    agencies = list(Agency.objects.select_related("region"))
    for agency in agencies:
        agency.full_name = naming.qualify(agency.name, agency.region.full_name, agency.region.name)
        agency.sort_key = pinyin.sort_key(agency.name)
        agency.initials = pinyin.initials(agency.name)
    Agency.objects.bulk_update(agencies, ["full_name", "sort_key", "initials"], batch_size=500)
    aliases = list(AgencyAlias.objects.all())
    for alias in aliases:
        alias.initials = pinyin.initials(alias.name)
    AgencyAlias.objects.bulk_update(aliases, ["initials"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("agencies", "0002_load_regions"),
    ]

    operations = [
        migrations.AddField(
            model_name="agency",
            name="full_name",
            field=models.CharField(
                default="", editable=False, help_text="如 株洲市石峰区发展和改革局", max_length=200, verbose_name="全称"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="agency",
            name="sort_key",
            field=models.CharField(
                db_index=True, default="", editable=False, max_length=400, verbose_name="拼音排序键"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="agency",
            name="initials",
            field=models.CharField(default="", editable=False, max_length=100, verbose_name="拼音首字母"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="agencyalias",
            name="initials",
            field=models.CharField(default="", editable=False, max_length=100, verbose_name="拼音首字母"),
            preserve_default=False,
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
