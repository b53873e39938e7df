"""`contains` searches (names, pinyin initials, task text) that PostgreSQL answers from an index.

Two kinds of GIN index, both made by migrations on PostgreSQL only (never in the models' Meta: SQLite would
be asked to build them too, and rebuilds a table's indexes whenever it alters the table):

* trigram indexes (pg_trgm, gin_trgm_ops) answer `LIKE '%…%'` for any text of three characters or more;
* character indexes, over `regexp_split_to_array(column, '')` (a row's set of characters), answer what
  trigrams cannot: a Chinese word of one or two characters (光伏, 碳), and pinyin initials whose letters come
  in order but not side by side (fgj in qfzhggj). The query asks for rows holding every character of the text,
  and the plain condition then checks their order.

SQLite has neither and scans, which is fast enough for a laptop's data: the conditions here are the same
plain lookups there.
"""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.lookups import DataContains
from django.db import migrations, models
from django.db.models import F, Func, Q, Value

TRIGRAM = 3  # pg_trgm extracts nothing from a shorter text


class Characters(Func):
    """A text's characters as an array, as the character indexes hold them."""

    function = "regexp_split_to_array"
    template = "%(function)s(%(expressions)s, '')"
    output_field = ArrayField(models.TextField())


def _holding(field: str, text: str) -> Q:
    return Q(DataContains(Characters(F(field)), Value(sorted(set(text)), output_field=ArrayField(models.TextField()))))


def contains(field: str, text: str, vendor: str) -> Q:
    """Rows whose `field` contains `text`, in a form the indexes answer on PostgreSQL."""
    condition = Q(**{f"{field}__contains": text})
    if vendor == "postgresql" and len(text) < TRIGRAM:
        return _holding(field, text) & condition
    return condition


def in_order(field: str, letters: str, vendor: str) -> Q:
    """Rows whose `field` holds the letters (or digits) of `letters` in order: fgj in qfzhggj."""
    condition = Q(**{f"{field}__regex": ".*".join(letters)})  # letters and digits only: no escaping needed
    if vendor == "postgresql":
        return _holding(field, letters) & condition
    return condition


def search_indexes(app_label: str, model_name: str, fields: dict[str, str]) -> migrations.RunPython:
    """A migration step adding a trigram and a character index on each field ({short name: field}) on
    PostgreSQL, named <short name>_trgm and <short name>_chars; nothing elsewhere.

    Needs the pg_trgm extension (django.contrib.postgres.operations.TrigramExtension) in an earlier step.
    """

    def build(apps) -> tuple:
        model = apps.get_model(app_label, model_name)
        indexes = []
        for short, field in fields.items():
            indexes.append(GinIndex(fields=[field], opclasses=["gin_trgm_ops"], name=f"{short}_trgm"))
            indexes.append(GinIndex(Characters(F(field)), name=f"{short}_chars"))
        return model, indexes

    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            model, indexes = build(apps)
            for index in indexes:
                schema_editor.add_index(model, index)

    def backwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            model, indexes = build(apps)
            for index in indexes:
                schema_editor.remove_index(model, index)

    return migrations.RunPython(forwards, backwards, elidable=False)
