from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InterpretingConfig(AppConfig):
    name = "medtour.interpreting"
    verbose_name = _("medical interpreting")
