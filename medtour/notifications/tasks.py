"""Background delivery of outgoing e-mail (services.mail_deliver does the work).

`enqueue_on_commit=False`: `mail_queue` already enqueues from `transaction.on_commit`, and the
retry is enqueued by the worker itself, outside any transaction.
"""

from __future__ import annotations

from django_tasks import task

from medtour.notifications import services


@task(enqueue_on_commit=False)
def deliver_mail(mail_id: int) -> str:
    return services.mail_deliver(mail_id)
