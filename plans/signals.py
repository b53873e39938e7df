"""What plans announces to the apps built on it (progress). plans imports none of them: they listen.

plan_stored: sent by plans.ingestion.loader once a plan's rows are stored (created or updated), inside the
transaction that stored them, so whatever a receiver writes is rolled back with a dry run or a failed ingest.
Arguments: `plan`, `created` (True for a new plan).
"""

from django.dispatch import Signal

plan_stored = Signal()
