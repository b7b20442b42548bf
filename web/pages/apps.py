from django.apps import AppConfig


class PagesConfig(AppConfig):
    """页面: what staff, district clerks, the signing leader and the sign shop use in the browser."""

    name = "web.pages"
    label = "pages"
    verbose_name = "页面"
