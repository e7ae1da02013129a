"""The scoping layer: what each role may see and change.

Every query that returns data a user may not see starts here (docs/architecture.md). Capabilities
are plain functions of the user so that views, the API, commands and tests ask the same question.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from medtour.accounts.models import STAFF_ROLES, Role
from medtour.institutions.actors import is_command_line
from medtour.institutions.models import Facilitator, Institution, RegistrationStatus
from medtour.reference.models import District

if TYPE_CHECKING:
    from medtour.accounts.models import User
    from medtour.audit.models import AuditEvent
    from medtour.records.models import Submission

CITY_WIDE_READERS = frozenset(
    {
        Role.CITY_ANALYST,
        Role.ADMINISTRATOR,
        Role.CALL_CENTER_AGENT,
        Role.SERVICE_COORDINATOR,
    }
)


def _role(user: Any) -> str | None:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    return str(user.role)


def is_staff_user(user: Any) -> bool:
    return _role(user) in STAFF_ROLES


def is_administrator(user: Any) -> bool:
    return _role(user) == Role.ADMINISTRATOR


def public_institutions() -> QuerySet[Institution]:
    """What anyone, signed in or not, may see: active institutions with a valid registration."""
    return Institution.objects.filter(
        is_active=True, registration_status=RegistrationStatus.REGISTERED
    )


def visible_institutions(user: Any) -> QuerySet[Institution]:
    role = _role(user)
    if role in CITY_WIDE_READERS:
        return Institution.objects.all()
    if role == Role.DISTRICT_OFFICER:
        return Institution.objects.filter(district_id=user.district_id)
    if role == Role.INSTITUTION_STAFF:
        return Institution.objects.filter(pk=user.institution_id)
    return Institution.objects.none()


def can_view_facilitators(user: Any) -> bool:
    """Facilitators are the city's business partners: every staff role but institution staff."""
    return _role(user) in STAFF_ROLES - {Role.INSTITUTION_STAFF}


def visible_facilitators(user: Any) -> QuerySet[Facilitator]:
    if can_view_facilitators(user):
        return Facilitator.objects.all()
    return Facilitator.objects.none()


def can_register_institution(user: Any, district_id: int | None = None) -> bool:
    """Administrators register anywhere; a district officer only in their own district."""
    role = _role(user)
    if role == Role.ADMINISTRATOR:
        return True
    if role == Role.DISTRICT_OFFICER:
        return district_id is None or district_id == user.district_id
    return False


def can_edit_institution(user: Any, institution: Institution) -> bool:
    """Registry fields: administrators, and district officers within their district."""
    role = _role(user)
    if role == Role.ADMINISTRATOR:
        return True
    return role == Role.DISTRICT_OFFICER and institution.district_id == user.district_id


def can_edit_institution_profile(user: Any, institution: Institution) -> bool:
    """The public profile, contacts and languages: also the institution's own staff."""
    if can_edit_institution(user, institution):
        return True
    return _role(user) == Role.INSTITUTION_STAFF and institution.pk == user.institution_id


def can_manage_facilitators(user: Any) -> bool:
    return is_administrator(user)


def can_manage_users(user: Any) -> bool:
    return is_administrator(user)


def can_view_audit_log(user: Any) -> bool:
    return is_administrator(user)


def visible_users(user: Any) -> QuerySet[User]:
    from medtour.accounts.models import User

    if can_manage_users(user):
        return User.objects.all()
    return User.objects.none()


def visible_audit_events(user: Any) -> QuerySet[AuditEvent]:
    """The whole audit log for administrators; nothing for anyone else."""
    from medtour.audit.models import AuditEvent

    if can_view_audit_log(user):
        return AuditEvent.objects.all()
    return AuditEvent.objects.none()


def own_sign_in_events(user: Any) -> QuerySet[AuditEvent]:
    """Sign-ins to one's own account (successful and failed), so people can spot misuse."""
    from medtour.audit.models import AuditAction, AuditEvent

    if _role(user) is None:
        return AuditEvent.objects.none()
    return AuditEvent.objects.filter(
        target_type=user._meta.label_lower,
        target_id=str(user.pk),
        action__in=[AuditAction.SIGN_IN, AuditAction.SIGN_IN_FAILED],
    )


# Foreign-patient submissions ---------------------------------------------------------------

# Call-centre agents and coordinators help patients; patient records are none of their business.
SUBMISSION_READERS = frozenset(
    {Role.INSTITUTION_STAFF, Role.DISTRICT_OFFICER, Role.CITY_ANALYST, Role.ADMINISTRATOR}
)
# Who watches deadlines: the district for its institutions, the city for all.
DEADLINE_WATCHERS = frozenset({Role.DISTRICT_OFFICER, Role.CITY_ANALYST, Role.ADMINISTRATOR})


def can_view_submissions(user: Any) -> bool:
    return _role(user) in SUBMISSION_READERS


def can_submit_records(user: Any) -> bool:
    """Only an institution's own staff report its patients."""
    return _role(user) == Role.INSTITUTION_STAFF and user.institution_id is not None


def owns(user: Any, submission: Submission) -> bool:
    return can_submit_records(user) and submission.institution_id == user.institution_id


def can_review(user: Any, submission: Submission) -> bool:
    """Approving and returning: the district officer of the institution's district."""
    return (
        _role(user) == Role.DISTRICT_OFFICER
        and submission.institution.district_id == user.district_id
    )


def can_lock(user: Any) -> bool:
    """The city administrator locks approved submissions: the city closes its own books."""
    return _role(user) == Role.ADMINISTRATOR


def can_manage_periods(user: Any) -> bool:
    return _role(user) == Role.ADMINISTRATOR


def can_watch_deadlines(user: Any) -> bool:
    return _role(user) in DEADLINE_WATCHERS


def can_send_reminders(user: Any) -> bool:
    """Analysts read; officers and the administrator chase institutions."""
    return _role(user) in {Role.DISTRICT_OFFICER, Role.ADMINISTRATOR}


# Aggregate returns (totals where no records exist) -----------------------------------------

if TYPE_CHECKING:
    from medtour.records.models import AggregateReturn

# Totals are the district's and the city's statistics, not an institution's business.
AGGREGATE_READERS = frozenset({Role.DISTRICT_OFFICER, Role.CITY_ANALYST, Role.ADMINISTRATOR})


def can_view_aggregates(user: Any) -> bool:
    return _role(user) in AGGREGATE_READERS


def can_write_aggregates(user: Any) -> bool:
    """Administrators and district officers enter totals; analysts read them."""
    return _role(user) in {Role.DISTRICT_OFFICER, Role.ADMINISTRATOR}


def can_write_aggregate_cell(user: Any, district_id: int | None) -> bool:
    """Administrators for the city (DISTRICT_ID None) and every district; an officer for their
    own district only."""
    role = _role(user)
    if role == Role.ADMINISTRATOR:
        return True
    if role == Role.DISTRICT_OFFICER:
        return district_id is not None and district_id == user.district_id
    return False


def visible_aggregate_returns(user: Any) -> QuerySet[AggregateReturn]:
    """The city's totals for analysts and administrators; an officer's own district's only."""
    from medtour.records.models import AggregateReturn

    role = _role(user)
    if role in {Role.CITY_ANALYST, Role.ADMINISTRATOR}:
        return AggregateReturn.objects.all()
    if role == Role.DISTRICT_OFFICER:
        return AggregateReturn.objects.filter(district_id=user.district_id)
    return AggregateReturn.objects.none()


# Statistics --------------------------------------------------------------------------------

# Public figures go through open data only; agents and coordinators serve patients.
STATISTICS_READERS = frozenset(
    {Role.CITY_ANALYST, Role.ADMINISTRATOR, Role.DISTRICT_OFFICER, Role.INSTITUTION_STAFF}
)


@dataclass(frozen=True)
class StatisticsScope:
    """The records a user's statistics cover: the whole city, one district or one institution."""

    district_id: int | None = None
    institution_id: int | None = None

    @property
    def is_city(self) -> bool:
        return self.district_id is None and self.institution_id is None


def can_view_statistics(user: Any) -> bool:
    return _role(user) in STATISTICS_READERS


def statistics_scope(user: Any) -> StatisticsScope:
    """City for analysts, administrators and commands (USER None); a district officer's
    district; institution staff's institution. Anyone else: PermissionDenied."""
    if user is None:
        return StatisticsScope()
    role = _role(user)
    if role in {Role.CITY_ANALYST, Role.ADMINISTRATOR}:
        return StatisticsScope()
    if role == Role.DISTRICT_OFFICER and user.district_id is not None:
        return StatisticsScope(district_id=user.district_id)
    if role == Role.INSTITUTION_STAFF and user.institution_id is not None:
        return StatisticsScope(institution_id=user.institution_id)
    raise PermissionDenied(_("Your role cannot see the statistics."))


# Areas: the city's and the districts' statistics as a whole (briefings, targets and forecasts).
# Analysts read the city and every district; a district officer reads and plans their own
# district; administrators do everything. Institution staff, agents, coordinators and patients
# have none: these are the city's and districts' planning, resting on figures they may not read.
AREA_READERS = frozenset({Role.CITY_ANALYST, Role.ADMINISTRATOR})


def visible_areas(user: Any) -> list[str | None]:
    """The areas USER may look at: None (the city) and district codes."""
    role = _role(user)
    if role in AREA_READERS:
        return [None, *District.objects.order_by("code").values_list("code", flat=True)]
    if role == Role.DISTRICT_OFFICER and user.district_id is not None:
        return [District.objects.get(pk=user.district_id).code]
    return []


def can_view_areas(user: Any) -> bool:
    role = _role(user)
    if role == Role.DISTRICT_OFFICER:
        return user.district_id is not None
    return role in AREA_READERS


def can_view_area(user: Any, area: str | None) -> bool:
    return area in visible_areas(user)


def can_edit_targets(user: Any, area: str | None = None) -> bool:
    """AREA None asks "any area at all?" for menus; a code asks about that district."""
    if is_command_line(user):
        return True
    role = _role(user)
    if role == Role.ADMINISTRATOR:
        return True
    if role != Role.DISTRICT_OFFICER or user.district_id is None:
        return False
    return area is None or District.objects.filter(pk=user.district_id, code=area).exists()


def can_edit_area(user: Any, area: str | None) -> bool:
    """Whether USER may create or change a target of AREA (None: the city itself)."""
    if area is None:
        return is_command_line(user) or _role(user) == Role.ADMINISTRATOR
    return can_edit_targets(user, area)
