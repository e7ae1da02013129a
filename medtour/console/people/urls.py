from django.urls import path

from medtour.console.people import views

urlpatterns = [
    path("people/", views.user_list, name="people_users"),
    path("people/new/", views.user_create, name="people_user_create"),
    path("people/<int:pk>/", views.user_edit, name="people_user_edit"),
    path("people/<int:pk>/deactivate/", views.user_deactivate, name="people_user_deactivate"),
    path("people/<int:pk>/reactivate/", views.user_reactivate, name="people_user_reactivate"),
    path("people/<int:pk>/invite/", views.user_invite, name="people_user_invite"),
    path(
        "people/<int:pk>/reset-second-factor/",
        views.user_reset_second_factor,
        name="people_user_reset_second_factor",
    ),
    path(
        "people/institution-options/",
        views.institution_options,
        name="people_institution_options",
    ),
    path("audit/", views.audit_log, name="audit_log"),
    path("account/", views.my_account, name="my_account"),
]
