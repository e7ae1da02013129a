from django.urls import path

from medtour.portal import opendata, views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("institutions/", views.institution_list, name="institutions"),
    path("institutions/<slug:code>/", views.institution_detail, name="institution"),
    path("open-data/", opendata.index, name="open_data"),
    path("open-data/<int:year>/<slug:table>/", opendata.table_page, name="open_data_table"),
    path("open-data/<int:year>/<slug:table>.csv", opendata.table_csv, name="open_data_csv"),
    path(
        "open-data/<int:year>/<slug:table>.csv-metadata.json",
        opendata.table_metadata,
        name="open_data_metadata",
    ),
]
