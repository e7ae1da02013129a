from django.urls import path

from medtour.console import views
from medtour.console.people.urls import urlpatterns as people_urls
from medtour.console.registry.urls import urlpatterns as registry_urls
from medtour.console.reporting.urls import urlpatterns as reporting_urls

app_name = "console"
urlpatterns = [
    path("", views.home, name="home"),
    *registry_urls,
    *reporting_urls,
    *people_urls,
]
