from django.urls import path

from medtour.portal import opendata, views
from medtour.portal.cases.urls import urlpatterns as cases_urls
from medtour.portal.consultations.urls import urlpatterns as consultations_urls
from medtour.portal.interpreting.urls import urlpatterns as interpreting_urls
from medtour.portal.pages.urls import urlpatterns as pages_urls
from medtour.portal.pickups.urls import urlpatterns as pickups_urls

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
    *cases_urls,
    *consultations_urls,
    *pickups_urls,
    *interpreting_urls,
    *pages_urls,
]
