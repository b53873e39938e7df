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
