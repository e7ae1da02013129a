"""Reporting screens; included into the console's URLs by medtour/console/urls.py."""

from __future__ import annotations

from django.urls import path

from medtour.console.reporting import aggregates, periods, submissions, uploads

urlpatterns = [
    path("reporting/submissions/", submissions.submission_list, name="submission-list"),
    path("reporting/upload/", uploads.upload, name="submission-upload"),
    path("reporting/record/", uploads.record_new, name="submission-record"),
    path("reporting/template/", uploads.template_download, name="records-template"),
    path(
        "reporting/submissions/<int:pk>/", submissions.submission_detail, name="submission-detail"
    ),
    path(
        "reporting/submissions/<int:pk>/refused.<str:file_format>",
        submissions.refused_download,
        name="submission-refused",
    ),
    path(
        "reporting/submissions/<int:pk>/annotated/",
        uploads.annotated,
        name="submission-annotated",
    ),
    path(
        "reporting/submissions/<int:pk>/commit/",
        submissions.submission_commit,
        name="submission-commit",
    ),
    path(
        "reporting/submissions/<int:pk>/discard/",
        submissions.submission_discard,
        name="submission-discard",
    ),
    path(
        "reporting/submissions/<int:pk>/approve/",
        submissions.submission_approve,
        name="submission-approve",
    ),
    path(
        "reporting/submissions/<int:pk>/return/",
        submissions.submission_return,
        name="submission-return",
    ),
    path(
        "reporting/submissions/<int:pk>/lock/", submissions.submission_lock, name="submission-lock"
    ),
    path(
        "reporting/submissions/<int:pk>/resubmit/",
        submissions.submission_resubmit,
        name="submission-resubmit",
    ),
    path("reporting/periods/", periods.period_list, name="period-list"),
    path("reporting/periods/<int:pk>/missing/", periods.period_missing, name="period-missing"),
    path("reporting/periods/<int:pk>/remind/", periods.period_remind, name="period-remind"),
    path("reporting/aggregates/", aggregates.aggregate_list, name="aggregate-list"),
    path("reporting/aggregates/new/", aggregates.aggregate_create, name="aggregate-create"),
    path("reporting/aggregates/import/", aggregates.aggregate_import, name="aggregate-import"),
    path("reporting/aggregates/<int:pk>/", aggregates.aggregate_edit, name="aggregate-edit"),
    path(
        "reporting/aggregates/<int:pk>/delete/",
        aggregates.aggregate_delete,
        name="aggregate-delete",
    ),
]
