"""Targets and forecasts; included into the console's URLs by medtour/console/urls.py."""

from __future__ import annotations

from django.urls import path

from medtour.console.targets import views

urlpatterns = [
    path("targets/", views.overview, name="targets"),
    path("targets/scenario/", views.scenario, name="targets-scenario"),
    path("targets/new/", views.target_create, name="target-create"),
    path("targets/<int:pk>/edit/", views.target_edit, name="target-edit"),
    path("targets/<int:pk>/delete/", views.target_delete, name="target-delete"),
]
