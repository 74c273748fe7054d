from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvidenceConfig(AppConfig):
    """AV records and the two-copy evidence store (REC-5, REC-6, REC-13)."""

    name = "sunlight.evidence"
    label = "evidence"
    verbose_name = _("音像记录")
    default_auto_field = "django.db.models.BigAutoField"
