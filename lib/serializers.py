"""JSON dumps (`manage.py dumpdata --natural-foreign`) that survive agency merges.

A merged agency is deleted, but the history rows of its duties, aliases and notes keep its id: that is how an
agency's 变更记录 still names it. No natural key can name a row that is gone, so Django's serializer failed
("Agency matching query does not exist") on any database where agencies had been merged. Here a reference to
a row that is gone is written as its id, which loaddata reads as it is; every other reference is written as
Django writes it. Registered for the "json" format in settings (SERIALIZATION_MODULES).
"""

from django.core.exceptions import ObjectDoesNotExist
from django.core.serializers import json

Deserializer = json.Deserializer


class Serializer(json.Serializer):
    def handle_fk_field(self, obj, field):
        try:
            super().handle_fk_field(obj, field)
        except ObjectDoesNotExist:
            self._current[field.name] = self._value_from_field(obj, field)
