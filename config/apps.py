"""The third-party apps under the names a 系统管理员 reads in the admin (their own names are English)."""

from axes.apps import AppConfig as AxesAppConfig
from django_tasks_db.apps import TasksAppConfig


class AxesConfig(AxesAppConfig):
    verbose_name = "登录安全"


class TasksDatabaseConfig(TasksAppConfig):
    verbose_name = "后台任务"
