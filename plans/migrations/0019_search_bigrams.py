"""Task search on PostgreSQL: bigram indexes on task titles and text, which answer a two-character word (发改,
住建) without reading every row that holds its two characters apart (lib/search.py)."""

from django.db import migrations

from lib.search import bigram_indexes


class Migration(migrations.Migration):
    dependencies = [("plans", "0018_warning_code_no_duties")]

    operations = bigram_indexes("plans", "Task", {"task_title": "title", "task_body": "body"})
