from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "sunlight.core"
    label = "core"
    verbose_name = "核心"
