from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    """Enforcement cases from start to archive (REC-1..16, DIS-2, DIS-4)."""

    name = "sunlight.cases"
    label = "cases"
    verbose_name = _("案件办理")
    default_auto_field = "django.db.models.BigAutoField"
