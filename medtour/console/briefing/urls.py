"""The briefing screens; included into the console's URLs by medtour/console/urls.py."""

from __future__ import annotations

from django.urls import path

from medtour.console.briefing import views

urlpatterns = [
    path("briefing/", views.briefing_page, name="briefing"),
    path("briefing/download/", views.briefing_download, name="briefing-download"),
]
