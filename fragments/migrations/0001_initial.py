from django.db import migrations, models


def first_version(apps, schema_editor):
    from fragments.versions import fresh_start

    apps.get_model("fragments", "DataVersion").objects.using(schema_editor.connection.alias).create(
        id=1, value=fresh_start()
    )


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="DataVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("value", models.BigIntegerField()),
            ],
            options={"verbose_name": "数据版本", "verbose_name_plural": "数据版本"},
        ),
        migrations.RunPython(first_version, migrations.RunPython.noop),
    ]
