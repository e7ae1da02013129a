"""Demo accounts: one per role, with published passwords, for demonstration servers only.

The management commands `seed_demo_users`, `demo_logins` and `demo_totp` are thin wrappers around
this module; they refuse to run with DEBUG off unless told it really is a demo.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from medtour.accounts.models import MFA_REQUIRED_ROLES, Role, User
from medtour.accounts.services import USER_AUDIT_FIELDS
from medtour.audit.models import AuditAction
from medtour.audit.services import diff, record_event, snapshot
from medtour.institutions.models import Institution
from medtour.reference.models import District

DEMO_PASSWORD = "medtour-demo-2025"
# Base32, as authenticator apps expect; published in docs/accounts-and-roles.md.
DEMO_TOTP_SECRET = "MEDTOURDEMO2FA7Q"
DEMO_DISTRICT_CODE = "11680"  # Gangnam-gu
SEEDER_LABEL = "seed_demo_users"


@dataclass(frozen=True)
class DemoAccount:
    role: Role
    email: str
    first_name: str
    last_name: str

    @property
    def uses_totp(self) -> bool:
        return self.role in MFA_REQUIRED_ROLES


DEMO_ACCOUNTS = (
    DemoAccount(Role.PATIENT, "patient@medtour.example", "Aigerim", "Demo"),
    DemoAccount(Role.INSTITUTION_STAFF, "clinic@medtour.example", "Minji", "Demo"),
    DemoAccount(Role.DISTRICT_OFFICER, "gangnam@medtour.example", "Jihoon", "Demo"),
    DemoAccount(Role.CITY_ANALYST, "analyst@medtour.example", "Seoyeon", "Demo"),
    DemoAccount(Role.CALL_CENTER_AGENT, "callcenter@medtour.example", "Dmitry", "Demo"),
    DemoAccount(Role.SERVICE_COORDINATOR, "coordinator@medtour.example", "Yuki", "Demo"),
    DemoAccount(Role.ADMINISTRATOR, "admin@medtour.example", "Wei", "Demo"),
)
DEMO_EMAILS = {account.email for account in DEMO_ACCOUNTS}


class DemoSetupError(Exception):
    """The demo cannot be seeded yet (e.g. the reference data is not loaded)."""


@dataclass(frozen=True)
class SeedResult:
    account: DemoAccount
    status: str  # one of SEED_STATUSES
    note: str = ""


SEED_STATUSES = {
    "created": _("created"),
    "updated": _("updated"),
    "unchanged": _("unchanged"),
    "skipped": _("skipped"),
}


def seed_demo_users() -> list[SeedResult]:
    """Create or repair the demo accounts; a second run changes nothing."""
    district = District.objects.filter(code=DEMO_DISTRICT_CODE).first()
    if district is None:
        raise DemoSetupError(
            _("District %(code)s is not in the database; run load_reference first.")
            % {"code": DEMO_DISTRICT_CODE}
        )
    institution = Institution.objects.filter(district=district).order_by("code").first()
    results = []
    with transaction.atomic():
        for account in DEMO_ACCOUNTS:
            if account.role == Role.INSTITUTION_STAFF and institution is None:
                results.append(
                    SeedResult(
                        account,
                        "skipped",
                        str(
                            _(
                                "No institution in district %(code)s yet, so there is no "
                                "institution staff demo account; run seed_demo_registry, "
                                "then seed_demo_users again."
                            )
                            % {"code": DEMO_DISTRICT_CODE}
                        ),
                    )
                )
                continue
            results.append(_seed(account, district, institution))
    return results


def _scope(account: DemoAccount, district: District, institution: Institution | None) -> dict:
    return {
        "district": district if account.role == Role.DISTRICT_OFFICER else None,
        "institution": institution if account.role == Role.INSTITUTION_STAFF else None,
    }


def _seed(account: DemoAccount, district: District, institution: Institution | None) -> SeedResult:
    wanted: dict[str, Any] = {
        "role": account.role,
        "first_name": account.first_name,
        "last_name": account.last_name,
        "is_active": True,
        **_scope(account, district, institution),
    }
    user = User.objects.filter(email__iexact=account.email).first()
    if user is None:
        user = User(email=account.email, **wanted)
        user.set_password(DEMO_PASSWORD)
        user.save()
        _ensure_verified_email(user)
        _ensure_totp(user, account)
        record_event(
            actor=None,
            actor_label=SEEDER_LABEL,
            action=AuditAction.CREATE,
            target=user,
            changes=diff({}, snapshot(user, USER_AUDIT_FIELDS)),
        )
        return SeedResult(account, "created")

    before = snapshot(user, USER_AUDIT_FIELDS)
    for name, value in wanted.items():
        setattr(user, name, value)
    changes = diff(before, snapshot(user, USER_AUDIT_FIELDS))
    repaired = False
    if not user.check_password(DEMO_PASSWORD):
        user.set_password(DEMO_PASSWORD)
        repaired = True
    if changes or repaired:
        user.save()
    repaired = _ensure_verified_email(user) or repaired
    repaired = _ensure_totp(user, account) or repaired
    if changes:
        record_event(
            actor=None,
            actor_label=SEEDER_LABEL,
            action=AuditAction.UPDATE,
            target=user,
            changes=changes,
        )
    return SeedResult(account, "updated" if changes or repaired else "unchanged")


def _ensure_verified_email(user: User) -> bool:
    address = EmailAddress.objects.filter(user=user, email__iexact=user.email).first()
    if address is None:
        EmailAddress.objects.filter(user=user, primary=True).update(primary=False)
        EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
        return True
    if address.verified and address.primary:
        return False
    address.verified = address.primary = True
    address.save(update_fields=["verified", "primary"])
    return True


def _ensure_totp(user: User, account: DemoAccount) -> bool:
    if not account.uses_totp:
        return False
    existing = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if existing is not None:
        if decrypt(existing.data["secret"]) == DEMO_TOTP_SECRET:
            return False
        existing.delete()
    TOTP.activate(user, DEMO_TOTP_SECRET)
    return True


def current_totp_code(email: str) -> str:
    """The six digits an authenticator app shows now for a demo account."""
    if email.lower() not in DEMO_EMAILS:
        raise DemoSetupError(
            _("%(email)s is not a demo account; codes are only shown for demo accounts.")
            % {"email": email}
        )
    authenticator = Authenticator.objects.filter(
        user__email__iexact=email, type=Authenticator.Type.TOTP
    ).first()
    if authenticator is None:
        raise DemoSetupError(
            _("%(email)s has no authenticator app; run seed_demo_users first.") % {"email": email}
        )
    secret = decrypt(authenticator.data["secret"])
    return format_hotp_value(hotp_value(secret, int(time.time()) // mfa_settings.TOTP_PERIOD))


def demo_accounts_in_database() -> dict[str, User]:
    users = User.objects.filter(email__in=DEMO_EMAILS).select_related("district", "institution")
    return {user.email: user for user in users}
