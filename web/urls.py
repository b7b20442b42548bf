"""URLs of docgen's web layer."""

from django.contrib import admin
from django.urls import include, path

from web.accounts.forms import ThrottledAdminAuthenticationForm
from web.api.api import api
from web.api.health import health

admin.site.site_header = "docgen 知识产权保护工作体系登记与公文管理"
admin.site.site_title = "docgen"
admin.site.index_title = "登记簿与名录"
admin.site.login_form = ThrottledAdminAuthenticationForm  # says, in Chinese, when a login is locked

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("health", health, name="health"),
    path("", include("web.pages.urls")),
]
