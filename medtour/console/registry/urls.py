from django.urls import path

from medtour.console.registry import facilitators, institutions, transfers

urlpatterns: list = [
    path("institutions/", institutions.institution_list, name="institution-list"),
    path("institutions/new/", institutions.institution_register, name="institution-register"),
    path("institutions/<int:pk>/", institutions.institution_detail, name="institution-detail"),
    path("institutions/<int:pk>/edit/", institutions.institution_edit, name="institution-edit"),
    path(
        "institutions/<int:pk>/deactivate/",
        institutions.institution_deactivate,
        name="institution-deactivate",
    ),
    path(
        "institutions/<int:pk>/reactivate/",
        institutions.institution_reactivate,
        name="institution-reactivate",
    ),
    path("institutions/import/", transfers.import_upload, name="institution-import"),
    path(
        "institutions/import/<uuid:pk>/",
        transfers.import_preview,
        name="institution-import-preview",
    ),
    path(
        "institutions/import/<uuid:pk>/commit/",
        transfers.import_commit,
        name="institution-import-commit",
    ),
    path(
        "institutions/export.<str:file_format>",
        transfers.export,
        name="institution-export",
    ),
    path("facilitators/", facilitators.facilitator_list, name="facilitator-list"),
    path("facilitators/new/", facilitators.facilitator_register, name="facilitator-register"),
    path("facilitators/<int:pk>/", facilitators.facilitator_detail, name="facilitator-detail"),
    path("facilitators/<int:pk>/edit/", facilitators.facilitator_edit, name="facilitator-edit"),
    path(
        "facilitators/<int:pk>/deactivate/",
        facilitators.facilitator_deactivate,
        name="facilitator-deactivate",
    ),
    path(
        "facilitators/<int:pk>/reactivate/",
        facilitators.facilitator_reactivate,
        name="facilitator-reactivate",
    ),
]
