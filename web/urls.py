"""URLs of docgen's web layer."""

from django.contrib import admin
from django.urls import path

admin.site.site_header = "docgen 知识产权保护工作体系登记与公文管理"
admin.site.site_title = "docgen"
admin.site.index_title = "登记簿与名录"

urlpatterns = [
    path("admin/", admin.site.urls),
]
