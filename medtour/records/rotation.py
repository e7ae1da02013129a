"""Rotating the pseudonym key without the raw IDs (docs/privacy.md, "Rotation").

While `PSEUDONYM_PREVIOUS_KEY` is set, every import hashes each ID under both keys, matches
stored records under either, moves the records it meets to the new key, and keeps a link
old -> new for everyone it saw. `apply_links` then moves the remaining records of those people,
wherever and whenever they were reported. `finish_rotation` drops the links; records of people
not seen during the rotation keep their old pseudonym and version for good.
"""

from __future__ import annotations

from typing import Any

from django.db import connection, transaction
from django.db.models import Count

from medtour.audit.models import AuditAction
from medtour.audit.services import record_event
from medtour.records.models import PatientRecord, PseudonymLink
from medtour.records.pseudonyms import current_key


def rotation_status() -> dict[int, int]:
    """Records per key version."""
    rows = PatientRecord.objects.values("pseudonym_version").annotate(records=Count("id"))
    return {row["pseudonym_version"]: row["records"] for row in rows.order_by("pseudonym_version")}


def apply_links(actor: Any = None) -> int:
    """Move every record whose old pseudonym has a link to its new pseudonym; returns how many."""
    version = current_key().version
    records = connection.ops.quote_name(PatientRecord._meta.db_table)
    links = connection.ops.quote_name(PseudonymLink._meta.db_table)
    match = (
        f"FROM {links} AS link WHERE link.old_version = {records}.pseudonym_version "
        f"AND link.old_pseudonym = {records}.pseudonym AND link.new_version = %s"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {records} SET pseudonym = (SELECT link.new_pseudonym {match}), "
            f"pseudonym_version = %s WHERE pseudonym_version < %s AND EXISTS (SELECT 1 {match})",
            [version, version, version, version],
        )
        moved = cursor.rowcount
        record_event(
            actor=actor,
            action=AuditAction.UPDATE,
            changes={"pseudonyms_rekeyed": moved, "key_version": version},
            actor_label=getattr(actor, "label", ""),
            target_label="pseudonym key rotation",
        )
    return moved


def finish_rotation(actor: Any = None) -> int:
    """Apply the links one last time and drop them; returns the records left on older keys."""
    apply_links(actor)
    version = current_key().version
    with transaction.atomic():
        dropped, _by_model = PseudonymLink.objects.all().delete()
        left = PatientRecord.objects.filter(pseudonym_version__lt=version).count()
        record_event(
            actor=actor,
            action=AuditAction.UPDATE,
            changes={"links_dropped": dropped, "records_on_older_keys": left},
            actor_label=getattr(actor, "label", ""),
            target_label="pseudonym key rotation",
        )
    return left
