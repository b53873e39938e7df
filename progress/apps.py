from django.apps import AppConfig


class ProgressConfig(AppConfig):
    name = "progress"
    verbose_name = "督办"

    def ready(self):
        from agencies.dependants import register
        from plans import task_records
        from plans.signals import plan_stored
        from progress.agency_records import ProgressRecords
        from progress.task_records import people_work_on_tasks
        from progress.writing.deadlines import derive_on_ingest

        # Deadlines and milestones follow the text each time a plan is stored.
        plan_stored.connect(derive_on_ingest, dispatch_uid="progress.derive_on_ingest")
        # Reports, contributions and 催办 follow their agency when agencies split or merge.
        register(ProgressRecords())
        # A task with reports or a closing is kept when a new text of its plan drops it.
        task_records.register("progress", people_work_on_tasks)
