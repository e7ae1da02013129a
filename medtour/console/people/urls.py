from django.urls import path

from medtour.console.people import views

urlpatterns = [
    path("people/", views.user_list, name="user-list"),
    path("people/new/", views.user_create, name="user-create"),
    path("people/<int:pk>/", views.user_edit, name="user-edit"),
    path("people/<int:pk>/deactivate/", views.user_deactivate, name="user-deactivate"),
    path("people/<int:pk>/reactivate/", views.user_reactivate, name="user-reactivate"),
    path("people/<int:pk>/invite/", views.user_invite, name="user-invite"),
    path(
        "people/<int:pk>/reset-second-factor/",
        views.user_reset_second_factor,
        name="user-reset-second-factor",
    ),
    path(
        "people/institution-options/",
        views.institution_options,
        name="user-institution-options",
    ),
    path("audit/", views.audit_log, name="audit-log"),
    path("account/", views.my_account, name="my-account"),
]
