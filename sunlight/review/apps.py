from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewConfig(AppConfig):
    """Legal review of major enforcement decisions (REV-1..13)."""

    name = "sunlight.review"
    label = "review"
    verbose_name = _("法制审核")
    default_auto_field = "django.db.models.BigAutoField"
