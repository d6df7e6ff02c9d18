"""Every model of the app, for Django's registry, which imports ``watch.models``.

The models live with their features (``watch.areas.models`` and so on); code imports
them from there, never from here.
"""

from watch.areas.models import Municipality, WatchArea
from watch.audit.models import AuditEntry
from watch.community.models import AwayNotice, Meeting, Observation
from watch.households.models import Household, HouseholdMember, Interest, Membership
from watch.municipality_page.models import CitizenPromise, MunicipalityContact, PromiseItem
from watch.paper.models import Letter, PaperHousehold, PaperText, SaidNo
from watch.roles.models import AreaContact, Official
from watch.signs.models import Sign, SignReport

__all__ = [
    "AreaContact",
    "AuditEntry",
    "AwayNotice",
    "CitizenPromise",
    "Household",
    "HouseholdMember",
    "Interest",
    "Letter",
    "Meeting",
    "Membership",
    "Municipality",
    "MunicipalityContact",
    "Observation",
    "Official",
    "PaperHousehold",
    "PaperText",
    "PromiseItem",
    "SaidNo",
    "Sign",
    "SignReport",
    "WatchArea",
]
