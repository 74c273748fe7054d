from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "sunlight.access"
    label = "access"
