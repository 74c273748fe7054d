from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "sunlight.org"
    label = "org"
