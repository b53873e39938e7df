from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from . import health

admin.site.site_header = f"{settings.SITE_NAME} 管理后台"
admin.site.site_title = settings.SITE_NAME
admin.site.index_title = "数据管理"

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("agencies/", include("agencies.urls")),
    path("progress/", include("progress.urls")),
    path("", include("plans.urls")),
]
