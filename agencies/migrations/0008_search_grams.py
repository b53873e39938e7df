"""Agency search on PostgreSQL: one gram index (characters and two-character pieces) on names, full names and
aliases in place of their trigram and character indexes, as tasks have (plans/0019). A short form such as 住建 or
财政 was answered from the character index by some three thousand agencies holding both characters apart
(住房和城乡建设局), each read and rechecked: 18 ms of a 37 ms search at national scale. Initials keep theirs: the
letters of fgj are looked for in order, not side by side (lib/search.py)."""

from django.db import migrations

from lib.search import gram_indexes


class Migration(migrations.Migration):
    dependencies = [("agencies", "0007_search_indexes")]

    operations = [
        *gram_indexes("agencies", "Agency", {"agency_name": "name", "agency_full_name": "full_name"}),
        *gram_indexes("agencies", "AgencyAlias", {"alias_name": "name"}),
    ]
