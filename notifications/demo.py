"""Demo content of the notifications app: the seed themes of the tip library and a
few sent alerts, so the inbox and the delivery reports are not empty after the quick start.

Tips are content, not schema, so they are loaded here rather than by a data
migration. ``load_tips`` looks each tip up by its title: loading twice changes
nothing, and a tip a coordinator has edited keeps their text.

The telephone numbers are real and well known: 112 (emergencies), 114 14 (the
police, non-urgent), Kvinnofridslinjen 020-50 50 50 (free, around the clock) and
BRIS 116 111 (children and young people).
"""

# The Swedish texts use the en dash (tankstreck) on purpose.
# ruff: noqa: RUF001

from __future__ import annotations

from accounts.models import User
from notifications.alerts import services as alert_services
from notifications.alerts.models import Alert, Kind, Severity, TargetKind
from notifications.tips.models import Tip
from watch.areas.models import Municipality

TIPS: tuple[tuple[str, str, str], ...] = (
    (
        "Inbrott",
        "Inbrott under semestern",
        "Inbrottstjuvar letar efter hus som ser tomma ut. Be en granne att tömma "
        "brevlådan, ta in reklam och gärna parkera på din uppfart medan du är borta. "
        "Använd timer till lampor och radio så att det ser ut som att någon är hemma. "
        "Berätta inte om dina resplaner på sociala medier förrän du är hemma igen. "
        "Märk och fotografera dina värdesaker, och lås in stegar och verktyg som kan "
        "användas för att ta sig in. Ser du något misstänkt hos en granne, ring polisen "
        "på 114 14 – eller 112 om brottet pågår.",
    ),
    (
        "Droger och tobak",
        "Droger och tobak bland unga – tecken att vara uppmärksam på",
        "Tecken kan vara nya kompisar som du inte får träffa, ändrade sovvanor, att "
        "pengar eller saker försvinner hemma, en ovanlig lukt på kläder eller i rummet "
        "och att ditt barn drar sig undan familjen. Ett enskilt tecken behöver inte "
        "betyda något, men flera tillsammans är ett skäl att reagera. Prata med ditt "
        "barn i lugn och ro: fråga, lyssna och visa att du bryr dig i stället för att "
        "anklaga. Du kan få råd av skolsköterskan, kommunens fältassistenter (fältare) "
        "eller socialtjänsten – du behöver inte vara säker för att höra av dig. Håll "
        "också utkik efter kommunens informationskvällar för föräldrar.",
    ),
    (
        "Klotter och skadegörelse",
        "Klotter och skadegörelse – dokumentera och anmäl",
        "Fotografera klottret eller skadan, både på nära håll och så att platsen syns. "
        "Skriv upp när och var du upptäckte det, och om du såg någon i närheten. "
        "Anmäl till polisen på 114 14 eller på polisen.se: anmälningarna visar var det "
        "behövs insatser. Tala också om det för kommunen eller fastighetsägaren, så att "
        "det kan saneras snabbt – klotter som tas bort fort lockar mindre till nytt "
        "klotter. Ingrip inte själv, men ring 112 om skadegörelsen pågår.",
    ),
    (
        "Våld i nära relation",
        "Hedersrelaterat våld och våld i nära relation – här finns hjälp",
        "Är du eller någon du känner utsatt för våld, hot eller kontroll från en partner, "
        "en förälder eller andra släktingar finns det hjälp att få. Är någon i akut fara, "
        "ring 112. Kvinnofridslinjen svarar dygnet runt på 020-50 50 50, och samtalet är "
        "gratis. Socialtjänsten i din kommun kan ge stöd och skydd, också till den som "
        "lever med hedersrelaterat förtryck. Barn och unga kan prata anonymt med BRIS på "
        "116 111. Hör du som granne att någon skadas, ring 112 – hellre en gång för mycket.",
    ),
)


def load_tips() -> list[Tip]:
    """The seed tips of the library, created if missing (by title)."""
    return [
        Tip.objects.get_or_create(title=title, defaults={"theme": theme, "body": body})[0]
        for theme, title, body in TIPS
    ]


# (kind, severity, title, body): sent by the demo police officer to all of Mariestad.
ALERTS: tuple[tuple[str, str, str, str], ...] = (
    (
        Kind.POLICE_ALERT,
        Severity.URGENT,
        "Inbrott i villor i Marieholm",
        "Under natten har tre villor i Marieholm fått besök av inbrottstjuvar. Har du sett "
        "något, ring polisen på 114 14. Pågående brott: ring 112.",
    ),
    (
        Kind.INFORMATION,
        Severity.INFO,
        "Ny kontaktperson i Ekudden",
        "Området Ekudden har fått en ny kontaktperson. Välkommen!",
    ),
)


def load_alerts(police: User, municipality: Municipality, tips: list[Tip]) -> list[Alert]:
    """Send the demo alerts and the first tip once (looked up by title) to ``municipality``."""
    messages = [*ALERTS, (Kind.TIP, Severity.INFO, tips[0].title, tips[0].body)]
    alerts = []
    for kind, severity, title, body in messages:
        alert = Alert.objects.filter(title=title).first()
        if alert is None:
            alert = Alert.objects.create(
                author=police,
                kind=kind,
                severity=severity,
                title=title,
                body=body,
                target_kind=TargetKind.MUNICIPALITIES,
                is_public=kind != Kind.INFORMATION,
            )
            alert.target_municipalities.add(municipality)
            alert_services.send_alert(actor=police, alert=alert)
        alerts.append(alert)
    return alerts
