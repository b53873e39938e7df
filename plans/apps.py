from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = "实施方案"

    def ready(self):
        from agencies.dependants import register

        from .agency_records import PlanRecords

        # Duties, notes and appendix rows follow their agency when agencies split or merge.
        register(PlanRecords())
