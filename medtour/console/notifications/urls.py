from django.urls import path

from medtour.console.notifications import views

urlpatterns = [
    path("mail/", views.mail_list, name="mail-list"),
    path("mail/<int:pk>/retry/", views.mail_retry, name="mail-retry"),
]
