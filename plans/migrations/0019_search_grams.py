"""Task search on PostgreSQL: one gram index (characters and two-character pieces) on task titles and text in
place of their trigram and character indexes. It answers a two-character word (发改, 住建) without reading every
row that holds its two characters apart, and storing a plan writes a third of the index entries (lib/search.py)."""

from django.db import migrations

from lib.search import gram_indexes


class Migration(migrations.Migration):
    dependencies = [("plans", "0018_warning_code_no_duties")]

    operations = gram_indexes("plans", "Task", {"task_title": "title", "task_body": "body"})
