from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "sunlight.catalog"
    label = "catalog"
