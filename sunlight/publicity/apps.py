from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicityConfig(AppConfig):
    """Ex-post publication, redaction, public search and open data (PUB-1..12)."""

    name = "sunlight.publicity"
    label = "publicity"
    verbose_name = _("信息公示")
    default_auto_field = "django.db.models.BigAutoField"
