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
the few that hold 发改, or none. Task text, the largest by far, has one index of a third kind instead of both:

* gram indexes, over `search_grams(column)` (a SQL function: the row's characters and its two-character pieces),
  answer a one- or two-character word exactly (碳, 发改, 住建), and a longer one by the rows that hold all its
  pieces (生态环境: 生态, 态环, 环境), which the plain condition then checks. One index where a trigram and a
  character index stood: storing a plan writes a third of the index entries it did.

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


class Grams(Func):
    """A text's characters and two-character pieces as an array, as the gram indexes hold them (GRAMS_FUNCTION)."""

    function = "search_grams"
    output_field = ArrayField(models.TextField())


# Regular expressions in C, no row set per text: the characters (regexp_split_to_array), then each character
# doubled (abc → aabbcc), the first dropped (abbcc), cut after every second character (ab␟bc␟c) and split there.
# Four times faster than generate_series and substr, which made building the index on 150,000 tasks take minutes.
GRAMS_FUNCTION = r"""
CREATE OR REPLACE FUNCTION search_grams(t text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT regexp_split_to_array(t, '') || string_to_array(
        regexp_replace(substr(regexp_replace(t, '(.)', '\1\1', 'g'), 2), '(..)', '\1' || chr(31), 'g'), chr(31)
    )
$$
"""


def pieces(text: str) -> list[str]:
    """What a row's grams must hold to contain `text`: the text itself up to two characters, else its pieces."""
    if len(text) <= 2:
        return [text]
    return sorted({text[i : i + 2] for i in range(len(text) - 1)})


def _holding(field: str, text: str) -> Q:
    return Q(DataContains(Characters(F(field)), Value(sorted(set(text)), output_field=ArrayField(models.TextField()))))


def contains(field: str, text: str, vendor: str, *, grams: bool = False) -> Q:
    """Rows whose `field` contains `text`, in a form the indexes answer on PostgreSQL; `grams`: the field has a
    gram index (gram_indexes) instead of a trigram and a character index."""
    condition = Q(**{f"{field}__contains": text})
    if vendor == "postgresql" and grams:
        held = Value(pieces(text), output_field=ArrayField(models.TextField()))
        return Q(DataContains(Grams(F(field)), held)) & condition
    if vendor == "postgresql" and len(text) < TRIGRAM:
        return _holding(field, text) & condition
    return condition


def in_order(field: str, letters: str, vendor: str) -> Q:
    """Rows whose `field` holds the letters (or digits) of `letters` in order: fgj in qfzhggj."""
    condition = Q(**{f"{field}__regex": ".*".join(letters)})  # letters and digits only: no escaping needed
    if vendor == "postgresql":
        return _holding(field, letters) & condition
    return condition


def _index_steps(build) -> tuple:
    """A migration's forwards and backwards code adding and removing the indexes `build(apps)` gives, with their
    model; on PostgreSQL only (SQLite would rebuild them whenever it alters the table)."""

    def add(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            model, indexes = build(apps)
            for index in indexes:
                schema_editor.add_index(model, index)

    def remove(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            model, indexes = build(apps)
            for index in indexes:
                schema_editor.remove_index(model, index)

    return add, remove


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

    return migrations.RunPython(*_index_steps(build), elidable=False)


def gram_indexes(app_label: str, model_name: str, fields: dict[str, str]) -> list:
    """Migration steps adding the search_grams function and a gram index on each field ({short name: field}),
    named <short name>_grams, in place of the field's trigram and character indexes (search_indexes), on
    PostgreSQL; nothing elsewhere."""
    replaced = search_indexes(app_label, model_name, fields)

    def build(apps) -> tuple:
        model = apps.get_model(app_label, model_name)
        return model, [GinIndex(Grams(F(field)), name=f"{short}_grams") for short, field in fields.items()]

    add, remove = _index_steps(build)

    def forwards(apps, schema_editor):
        replaced.reverse_code(apps, schema_editor)
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(GRAMS_FUNCTION)
        add(apps, schema_editor)

    def backwards(apps, schema_editor):
        remove(apps, schema_editor)
        replaced.code(apps, schema_editor)

    return [migrations.RunPython(forwards, backwards, elidable=False)]
