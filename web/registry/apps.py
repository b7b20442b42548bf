from django.apps import AppConfig


class RegistryConfig(AppConfig):
    """登记: what the districts report — stations, contact points, enterprises, teams, 骨干 — with history."""

    name = "web.registry"
    verbose_name = "知识产权保护工作体系名录"
