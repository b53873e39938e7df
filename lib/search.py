"""`contains` searches (names, pinyin initials, task text) that PostgreSQL answers from an index.

Two kinds of GIN index, both made by migrations on PostgreSQL only (never in the models' Meta: SQLite would
be asked to build them too, and rebuilds a table's indexes whenever it alters the table):

* trigram indexes (pg_trgm, gin_trgm_ops) answer `LIKE '%…%'` for any text of three characters or more;
* character indexes, over `regexp_split_to_array(column, '')` (a row's set of characters), answer what
  trigrams cannot: a Chinese word of one or two characters (光伏, 碳), and pinyin initials whose letters come
  in order but not side by side (fgj in qfzhggj). The query asks for rows holding every character of the text,
  and the plain condition then checks their order.

A character index answers a two-character word only in part: it finds the rows that hold both characters
anywhere (发 and 改: most of a national data set's task texts), and every one of them must then be read to find
the few that hold 发改, or none. So task text has a third kind:

* bigram indexes, over `search_bigrams(column)` (a SQL function: the row's set of two-character pieces), answer a
  two-character word exactly (发改, 住建, 环保), without reading the rows that merely hold its characters.

SQLite has none of them and scans, which is fast enough for a laptop's data: the conditions here are the same
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


class Bigrams(Func):
    """A text's two-character pieces as an array, as the bigram indexes hold them (BIGRAMS_FUNCTION)."""

    function = "search_bigrams"
    output_field = ArrayField(models.TextField())


# Regular expressions in C, no row set per text: each character doubled (abc → aabbcc), the first dropped
# (abbcc), cut after every second character (ab␟bc␟c) and split there; the last piece is the last character
# alone, which no two-character word equals. Four times faster than generate_series and substr, which made
# building the index on 150,000 tasks take three minutes.
BIGRAMS_FUNCTION = r"""
CREATE OR REPLACE FUNCTION search_bigrams(t text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT string_to_array(
        regexp_replace(substr(regexp_replace(t, '(.)', '\1\1', 'g'), 2), '(..)', '\1' || chr(31), 'g'), chr(31)
    )
$$
"""


def _holding(field: str, text: str) -> Q:
    return Q(DataContains(Characters(F(field)), Value(sorted(set(text)), output_field=ArrayField(models.TextField()))))


def contains(field: str, text: str, vendor: str, *, bigrams: bool = False) -> Q:
    """Rows whose `field` contains `text`, in a form the indexes answer on PostgreSQL; `bigrams`: the field has a
    bigram index (bigram_indexes), which answers a two-character word."""
    condition = Q(**{f"{field}__contains": text})
    if vendor == "postgresql" and bigrams and len(text) == 2:
        pieces = Value([text], output_field=ArrayField(models.TextField()))
        return Q(DataContains(Bigrams(F(field)), pieces)) & condition
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


def bigram_indexes(app_label: str, model_name: str, fields: dict[str, str]) -> list:
    """Migration steps adding the search_bigrams function and a bigram index on each field ({short name: field}),
    named <short name>_bigrams, on PostgreSQL; nothing elsewhere."""

    def build(apps) -> tuple:
        model = apps.get_model(app_label, model_name)
        return model, [GinIndex(Bigrams(F(field)), name=f"{short}_bigrams") for short, field in fields.items()]

    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(BIGRAMS_FUNCTION)
            model, indexes = build(apps)
            for index in indexes:
                schema_editor.add_index(model, index)

    def backwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            model, indexes = build(apps)
            for index in indexes:
                schema_editor.remove_index(model, index)

    return [migrations.RunPython(forwards, backwards, elidable=False)]
