"""What the watch app holds about a person: their household and memberships, their
roles, away notices, observations and audit entries (``accounts.personal_data``).

Other people appear only as far as the member already sees them: the names of the
people in their own household, the names of areas. Audit entries keep their detail
only when they are about the member.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Q

from accounts.models import User
from accounts.personal_data import PersonalData, delete_in_chunks
from watch import permissions
from watch.audit.models import AuditAction, AuditEntry
from watch.community.models import AwayNotice, Observation, ObservationUpdate
from watch.households import services as household_services
from watch.households.models import HouseholdMember, Interest
from watch.paper import personal_data as paper
from watch.roles.models import AreaContact, Official


def export(user: User) -> dict[str, Any]:
    member = HouseholdMember.objects.filter(user=user).select_related("household").first()
    household = member.household if member else None
    return {
        "roles": _roles(user),
        "household": _household(member) if member else None,
        "memberships": list(
            household.memberships.order_by("requested_at").values(
                "area__name", "status", "requested_at", "decided_at", "ended_at", "reason"
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
                "status",
                "handled_at",
                "merged_into",
                "created_at",
            )
        ),
        # What the handlers told them about their reports (names of handlers left out).
        "observation_updates": list(
            ObservationUpdate.objects.filter(observation__reporter=user)
            .order_by("created_at", "pk")
            .values("observation", "status", "message", "merged_into", "created_at")
        ),
        "audit_entries": _audit_entries(user),
    } | paper.export(user)


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


def erase(user: User) -> None:
    """The last member out takes the household with them; roles end; interest goes;
    audit details that may quote the person (or an invitation to their address) are
    blanked, while the entries stay (who decided what, and when)."""
    household_services.leave_household(user=user)
    AreaContact.objects.filter(user=user).delete()
    Official.objects.filter(user=user).delete()
    Interest.objects.filter(registered_by=user).delete()
    AuditEntry.objects.filter(
        Q(subject=user) | Q(action=AuditAction.HOUSEHOLD_INVITED, detail__iexact=user.email)
    ).exclude(detail="").update(detail="")
    permissions.forget_roles(user)


def purge(now: datetime) -> dict[str, int]:
    """Audit entries after AUDIT_RETENTION_DAYS; observations, with their photos, after
    OBSERVATION_RETENTION_DAYS (README "Personal data")."""
    audit_cutoff = now - timedelta(days=settings.AUDIT_RETENTION_DAYS)
    observation_cutoff = now - timedelta(days=settings.OBSERVATION_RETENTION_DAYS)
    return paper.purge(now) | {
        "audit_entries": delete_in_chunks(AuditEntry.objects.filter(created_at__lt=audit_cutoff)),
        "observations": delete_in_chunks(
            Observation.objects.filter(created_at__lt=observation_cutoff), file_field="photo"
        ),
    }


PERSONAL_DATA = PersonalData(export=export, erase=erase, purge=purge)
