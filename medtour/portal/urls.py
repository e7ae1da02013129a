from django.urls import path

from medtour.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("institutions/", views.institution_list, name="institutions"),
    path("institutions/<slug:code>/", views.institution_detail, name="institution"),
]
