"""Reads about one person: everything the service holds about a member, for export.

Other people appear only as far as the member already sees them: the first
names of the people in their own household, the names of areas. Audit entries
keep their detail only when they are about the member.
"""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress

from accounts.models import User
from notifications.alerts.models import Delivery
from notifications.notices.models import OutboundEmail
from notifications.preferences.models import MemberSettings, Preference
from watch.audit.models import AuditEntry
from watch.community.models import AwayNotice, Observation
from watch.households.models import HouseholdMember, Interest
from watch.roles.models import AreaContact, Official


def personal_data(user: User) -> dict[str, Any]:
    """All data held about ``user``, as JSON-ready values; a fixed number of queries."""
    member = HouseholdMember.objects.filter(user=user).select_related("household").first()
    household = member.household if member else None
    return {
        "account": {
            "email": user.email,
            "full_name": user.full_name,
            "phone": user.phone,
            "language": user.language,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
            "email_addresses": list(
                EmailAddress.objects.filter(user=user).values("email", "verified", "primary")
            ),
        },
        "roles": _roles(user),
        "household": _household(member) if member else None,
        "memberships": list(
            household.memberships.order_by("requested_at").values(
                "area__name",
                "status",
                "requested_at",
                "decided_at",
                "ended_at",
                "reason",
            )
        )
        if household
        else [],
        "interest": list(
            Interest.objects.filter(household=household).values(
                "municipality__name", "may_contact", "created_at"
            )
        )
        if household
        else [],
        "away_notices": list(
            AwayNotice.objects.filter(household=household).values(
                "starts_on", "ends_on", "tell_neighbours", "note", "created_at"
            )
        )
        if household
        else [],
        "preferences": list(
            Preference.objects.filter(user=user)
            .order_by("kind")
            .values("kind", "email", "sms", "inapp")
        ),
        "member_settings": MemberSettings.objects.filter(user=user)
        .values("quiet_hours_enabled", "quiet_hours_start", "quiet_hours_end", "verified_phone")
        .first(),
        "deliveries": list(
            Delivery.objects.filter(user=user)
            .order_by("created_at", "pk")
            .values(
                "alert__title",
                "channel",
                "status",
                "reason",
                "created_at",
                "sent_at",
                "read_at",
            )
        ),
        "account_emails": list(
            OutboundEmail.objects.filter(user=user)
            .order_by("created_at", "pk")
            .values("to", "template", "status", "created_at", "sent_at")
        ),
        "observations": list(
            Observation.objects.filter(reporter=user)
            .order_by("observed_at")
            .values(
                "category",
                "observed_at",
                "municipality__name",
                "area__name",
                "longitude",
                "latitude",
                "description",
                "photo",
                "handled_at",
                "created_at",
            )
        ),
        "audit_entries": _audit_entries(user),
    }


def _household(member: HouseholdMember) -> dict[str, Any]:
    household = member.household
    return {
        "street_address": household.street_address,
        "postal_code": household.postal_code,
        "town": household.town,
        "longitude": household.longitude,
        "latitude": household.latitude,
        "created_at": household.created_at,
        "joined_at": member.joined_at,
        "share_contact_details": member.share_contact_details,
        # The other people of the household: names only, as on the household page.
        "other_members": list(
            household.members.exclude(pk=member.pk)
            .order_by("user__full_name")
            .values_list("user__full_name", flat=True)
        ),
    }


def _roles(user: User) -> dict[str, Any]:
    official = Official.objects.filter(user=user).first()
    return {
        "area_contact_for": list(
            AreaContact.objects.filter(user=user)
            .order_by("appointed_at")
            .values("area__name", "is_main", "appointed_at")
        ),
        "official": {
            "kind": official.kind,
            "municipalities": list(official.municipalities.values_list("name", flat=True)),
        }
        if official
        else None,
    }


def _audit_entries(user: User) -> list[dict[str, Any]]:
    entries = (
        AuditEntry.objects.filter(actor=user) | AuditEntry.objects.filter(subject=user)
    ).order_by("created_at", "pk")
    return [
        {
            "action": row["action"],
            "created_at": row["created_at"],
            "by_me": row["actor_id"] == user.pk,
            "about_me": row["subject_id"] == user.pk,
            "area": row["area__name"],
            "municipality": row["municipality__name"],
            # Details of other entries may name someone else (an invited address).
            "detail": row["detail"] if row["subject_id"] == user.pk else "",
        }
        for row in entries.values(
            "action",
            "created_at",
            "actor_id",
            "subject_id",
            "area__name",
            "municipality__name",
            "detail",
        )
    ]
