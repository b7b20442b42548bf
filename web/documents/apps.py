from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    """发文登记: every 公文 docgen issues, its number, sign-off, seal and archived files."""

    name = "web.documents"
    verbose_name = "发文登记簿"
