from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "sunlight.registry"
    label = "registry"
