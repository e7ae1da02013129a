from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PickupsConfig(AppConfig):
    name = "medtour.pickups"
    verbose_name = _("airport pick-ups")
