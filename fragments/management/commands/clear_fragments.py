from django.conf import settings
from django.core.cache import caches
from django.core.management.base import BaseCommand

from fragments import versions


class Command(BaseCommand):
    help = (
        "清除所有已保存的页面片段：此后每个页面都按数据库现有数据重新生成。"
        " Run it after changing the database outside the application (psql, a restore, a script): such writes do"
        " not move the data version, and the kept pages would show the old data until they expire (an hour)."
        " It moves the data version above every version before it, which puts every fragment every server process"
        " keeps out of reach; restore_database runs it itself."
    )

    def handle(self, *args, **options):
        version = versions.jump()
        # This process's own fragments (a shell, a test): the server processes' are out of reach through the version.
        caches[settings.FRAGMENTS_CACHE].clear()
        self.stdout.write(f"已清除保存的页面片段（数据版本 {version}），各页面将按现有数据重新生成。")
