"""Statistics screens; included into the console's URLs by medtour/console/urls.py."""

from __future__ import annotations

from django.urls import path

from medtour.console.statistics import views

urlpatterns = [
    path("statistics/", views.statistics_home, name="statistics"),
    path("statistics/city/", views.city_dashboard, name="statistics-city"),
    path("statistics/district/<str:code>/", views.district_dashboard, name="statistics-district"),
    path(
        "statistics/institution/<str:code>/",
        views.institution_dashboard,
        name="statistics-institution",
    ),
    path(
        "statistics/charts/<slug:panel>.<slug:file_format>",
        views.chart_download,
        name="statistics-chart",
    ),
    path("statistics/table/", views.table_explorer, name="statistics-table"),
    path(
        "statistics/table.<slug:file_format>",
        views.table_download,
        name="statistics-table-download",
    ),
]
