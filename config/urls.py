from django.contrib import admin
from django.urls import include, path

from . import health

admin.site.site_header = "碳达峰实施方案责任分工管理"
admin.site.site_title = "责任分工管理"
admin.site.index_title = "数据管理"

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("agencies/", include("agencies.urls")),
    path("progress/", include("progress.urls")),
    path("", include("plans.urls")),
]
