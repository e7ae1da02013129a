from django.urls import path

from medtour.console import views
from medtour.console.people.urls import urlpatterns as people_urls
from medtour.console.registry.urls import urlpatterns as registry_urls

app_name = "console"
urlpatterns = [
    path("", views.home, name="home"),
    *registry_urls,
    *people_urls,
]
