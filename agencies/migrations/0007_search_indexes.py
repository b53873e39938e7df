"""Agency search on PostgreSQL: pg_trgm, and trigram and character indexes on names, full names, aliases and
pinyin initials (lib/search.py)."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

from lib.search import search_indexes


class Migration(migrations.Migration):
    dependencies = [
        ("agencies", "0006_national_region"),
    ]

    operations = [
        # Django runs it on PostgreSQL only; pg_trgm is a trusted extension, so the database owner may create it.
        TrigramExtension(),
        search_indexes(
            "agencies", "Agency", {"agency_name": "name", "agency_full_name": "full_name", "agency_initials": "initials"}
        ),
        search_indexes("agencies", "AgencyAlias", {"alias_name": "name", "alias_initials": "initials"}),
    ]
