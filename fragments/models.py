from django.db import models


class DataVersion(models.Model):
    """One row: a number that grows after every transaction that wrote the application's data.

    Written only by fragments.versions (after the writer's commit), read once per request that keeps fragments.
    """

    value = models.BigIntegerField()

    class Meta:
        verbose_name = "数据版本"
        verbose_name_plural = verbose_name

    def __str__(self):
        return str(self.value)


class ScopeVersion(models.Model):
    """A number per scope (a plan: plan:12; the agencies' 任务清单: agencies) that grows after every transaction
    that wrote that plan's rows and nothing else a page shows (fragments.versions)."""

    scope = models.CharField(max_length=40)
    value = models.BigIntegerField()

    class Meta:
        verbose_name = "数据版本（按方案）"
        verbose_name_plural = verbose_name
        constraints = [models.UniqueConstraint(fields=["scope"], name="scope_version_unique_scope")]

    def __str__(self):
        return f"{self.scope}={self.value}"
