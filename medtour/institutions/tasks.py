"""Background work for console uploads: checking and saving run in the task worker.

`enqueue_on_commit=False`: the upload row is already committed when the view enqueues (the
console does not wrap requests in a transaction), and tests run the tasks immediately.
"""

from __future__ import annotations

import logging

from django_tasks import task

from medtour.institutions import importing
from medtour.institutions.models import ImportStatus, InstitutionImport

logger = logging.getLogger(__name__)


def _upload(upload_id: str, status: str) -> InstitutionImport | None:
    return (
        InstitutionImport.objects.select_related("uploaded_by")
        .filter(pk=upload_id, status=status)
        .first()
    )


@task(enqueue_on_commit=False)
def check_upload(upload_id: str) -> None:
    upload = _upload(upload_id, ImportStatus.CHECKING)
    if upload is None:  # already checked, or removed as stale
        return
    try:
        importing.check_upload(upload)
    except Exception:
        logger.exception("checking institutions upload %s failed", upload_id)
        importing.fail_upload(upload)
        raise


@task(enqueue_on_commit=False)
def commit_upload(upload_id: str) -> None:
    upload = _upload(upload_id, ImportStatus.COMMITTING)
    if upload is None:
        return
    try:
        importing.commit_upload(upload)
    except Exception:
        logger.exception("saving institutions upload %s failed", upload_id)
        importing.fail_upload(upload)
        raise
