from django.urls import path

from medtour.api.v1 import api

urlpatterns = [path("", api.urls)]
