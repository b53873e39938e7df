from django.apps import AppConfig


class FragmentsConfig(AppConfig):
    name = "fragments"
    verbose_name = "页面缓存"

    def ready(self):
        from django.db.backends.signals import connection_created

        from .versions import watch

        # Every database connection, made by a request, a command or the task worker, reports its writes.
        connection_created.connect(watch, dispatch_uid="fragments.watch")
