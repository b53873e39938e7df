"""Task search on PostgreSQL: trigram and character indexes on task titles and text (lib/search.py); pg_trgm
comes with the agencies' indexes."""

from django.db import migrations

from lib.search import search_indexes


class Migration(migrations.Migration):
    dependencies = [
        ("agencies", "0007_search_indexes"),
        ("plans", "0012_plan_checksum_and_outline_indexes"),
    ]

    operations = [
        search_indexes("plans", "Task", {"task_title": "title", "task_body": "body"}),
    ]
