"""The words of the demo: municipalities and their contact people, the citizen promise,
the tip library, alerts, meetings, observations, and the names people and streets have.

Everything is fictional. Telephone numbers come from the ranges the Swedish Post and
Telecom Authority (PTS) reserves for fiction (031-390 06 00-99, 070-174 06 05-99), and
e-mail addresses use the reserved example.com domain (RFC 2606). The numbers in the
tips are real and well known: 112 (emergencies), 114 14 (the police, non-urgent),
Kvinnofridslinjen 020-50 50 50 and BRIS 116 111.
"""

# The Swedish texts use the en dash (tankstreck) on purpose.
# ruff: noqa: RUF001

from __future__ import annotations

from dataclasses import dataclass

from notifications.alerts.models import Kind, Severity
from watch.community.models import ObservationCategory, ObservationStatus
from watch.municipality_page.models import PromiseStatus

DEMO_PASSWORD = "grannsamverkan-demo"  # noqa: S105 - printed for the demo on purpose
# Officials act only with two-factor authentication; the demo ones share this TOTP secret
# (printed, to be added to an authenticator app) so the demo can be tried at once.
DEMO_TOTP_SECRET = "GRANNSAMVERKANDEMO234567"  # noqa: S105 - printed for the demo on purpose
DOMAIN = "example.com"
# 070-174 06 05 to 070-174 06 99: mobile numbers reserved for fiction.
FICTION_MOBILES = [f"+467017406{n:02d}" for n in range(5, 100)]


@dataclass(frozen=True)
class DemoMunicipality:
    name: str
    code: str
    slug: str
    households_total: int
    police: tuple[str, str, str]
    coordinator: tuple[str, str, str]


MUNICIPALITIES = (
    DemoMunicipality(
        "Mariestad",
        "1493",
        "mariestad",
        11_900,
        police=("Kim Exempelsson", "031-390 06 00", "kommunpolis.mariestad@example.com"),
        coordinator=("Robin Demosson", "031-390 06 01", "sakerhet.mariestad@example.com"),
    ),
    DemoMunicipality(
        "Töreboda",
        "1473",
        "toreboda",
        4_300,
        police=("Kim Exempelsson", "031-390 06 00", "kommunpolis.toreboda@example.com"),
        coordinator=("Alex Provsson", "031-390 06 02", "sakerhet.toreboda@example.com"),
    ),
    DemoMunicipality(
        "Gullspång",
        "1447",
        "gullspang",
        2_500,
        police=("Kim Exempelsson", "031-390 06 00", "kommunpolis.gullspang@example.com"),
        coordinator=("Sam Testsson", "031-390 06 03", "sakerhet.gullspang@example.com"),
    ),
)

HOW_TO_START = (
    "Prata med dina grannar och kontakta säkerhetssamordnaren eller kommunpolisen. Ett nytt "
    "område startar med ett möte med polisen, där ni får veta hur ni skyddar era hem och utser "
    "kontaktombud. Registrera ditt hushåll här: finns inget område där du bor ser kommunen "
    "att du är intresserad."
)
# Mariestad's citizen promise for 2020, from the source document.
PROMISE_INTRODUCTION = (
    "Under 2020 kommer polisen och Mariestads kommun att fortsätta att särskilt fokusera på "
    "ungdomar i riskzonen och på platser där ungdomar möts. Ungdomar räknas i detta löfte från "
    "13 år och uppåt. Syftet är att tidigt fånga upp individer som riskerar att dras in i "
    "narkotikamissbruk och/eller kriminalitet."
)
PROMISE_ITEMS = (
    (
        "Polisen kommer utifrån underrättelser och problembild genomföra riktade insatser och "
        "prioritera lagföring.",
        PromiseStatus.DONE,
    ),
    (
        "Parterna ska tillsammans vid minst ett tillfälle informera föräldrar och personal som "
        "möter ungdomar om hur man ser tecken på att någon riskerar hamna i missbruk. Under 2020 "
        "är temat för informationen tobak.",
        PromiseStatus.DONE,
    ),
    (
        "Kommun och polis ska söka sig till mötesplatser där ungdomar träffas och samverkan ska "
        "ske inför större evenemang.",
        PromiseStatus.IN_PROGRESS,
    ),
    (
        "Polis och kommun ska besöka platser där det säljs narkotika och identifiera åtgärder i "
        "brottsförebyggande syfte.",
        PromiseStatus.IN_PROGRESS,
    ),
    (
        "Kommunen ska sprida kunskap om hedersrelaterat våld och våld i nära relation och "
        "upplysa om vart den som är drabbad kan vända sig för att få stöd.",
        PromiseStatus.DONE,
    ),
    (
        "Kommunen ska utveckla arbetet för dokumentation av otillbörlig affischering, klotter "
        "och skadegörelse.",
        PromiseStatus.PLANNED,
    ),
)

# The seed's themes: (theme, title, text).
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

# Alerts the police and coordinators send over the year: (kind, severity, title, text).
# "{area}" becomes the area the alert is about.
POLICE_ALERTS = (
    (
        Kind.POLICE_ALERT,
        Severity.URGENT,
        "Inbrott i villor i {area}",
        "Under natten har flera villor i {area} fått besök av inbrottstjuvar som tagit sig in "
        "genom altandörrar. Har du sett något, ring polisen på 114 14. Pågående brott: ring 112.",
    ),
    (
        Kind.POLICE_ALERT,
        Severity.NORMAL,
        "Bilinbrott vid {area}",
        "Flera bilar har brutits upp på parkeringen vid {area} i natt. Lämna inga väskor eller "
        "laddare synliga i bilen. Tips till polisen på 114 14.",
    ),
    (
        Kind.POLICE_ALERT,
        Severity.URGENT,
        "Falska poliser ringer äldre i {area}",
        "Personer som utger sig för att vara poliser ringer äldre och ber om bankkoder. Polisen "
        "frågar aldrig efter koder. Lägg på och ring 114 14. Prata med äldre grannar om detta.",
    ),
    (
        Kind.WARNING,
        Severity.NORMAL,
        "Varning för falska hantverkare",
        "Personer som erbjuder billig takrengöring har setts i området och tar betalt i förskott "
        "utan att utföra arbetet. Anlita bara företag du själv har kontaktat.",
    ),
    (
        Kind.POLICE_ALERT,
        Severity.NORMAL,
        "Stölder av båtmotorer",
        "Flera utombordsmotorer har stulits från bryggor längs Vänern. Lås fast motorn och märk "
        "den. Ser du båtar som lastas nattetid, ring 114 14.",
    ),
    (
        Kind.WARNING,
        Severity.URGENT,
        "Misstänkt anlagd brand vid {area}",
        "Räddningstjänsten har släckt två containerbränder vid {area}. Har du sett någon i "
        "närheten av containrarna i kväll, ring polisen på 114 14.",
    ),
    (
        Kind.POLICE_ALERT,
        Severity.NORMAL,
        "Cykelstölder vid stationen",
        "Många cyklar har stulits vid stationen den senaste veckan. Lås fast cykeln i ett fast "
        "föremål och registrera ramnumret.",
    ),
    (
        Kind.INFORMATION,
        Severity.INFO,
        "Polisen på plats i {area} i kväll",
        "Kommunpolisen går runt i {area} i kväll mellan 18 och 20. Kom gärna fram och prata.",
    ),
)
# Messages an area contact sends to their own area.
CONTACT_MESSAGES = (
    (
        "Container för trädgårdsavfall",
        "På lördag står en container för trädgårdsavfall vid lekplatsen. Passa på att städa "
        "undan stegar och verktyg som står framme – de lockar inbrottstjuvar.",
    ),
    (
        "Håll koll på varandras hus i sommar",
        "Många reser bort i juli. Lägg gärna in en bortaanmälan här så vet grannarna när de "
        "ska hålla lite extra koll.",
    ),
    (
        "Ny skylt för grannsamverkan",
        "Nu sitter de nya skyltarna uppe vid infarterna. Tack till alla som hjälpte till!",
    ),
)

MEETING_TEXTS = (
    "Kommunpolisen berättar om läget i området och om hur vi skyddar våra hem. Kaffe finns.",
    "Vi går igenom året som gått och väljer kontaktombud för nästa år.",
    "Säkerhetssamordnaren visar hur man gör en bortaanmälan och en observation i tjänsten.",
)
MEETING_PLACES = ("Föreningshuset", "Skolans matsal", "Församlingshemmet", "Biblioteket")

OBSERVATIONS = {
    ObservationCategory.GRAFFITI: (
        "Nytt klotter på elskåpet vid busshållplatsen.",
        "Klotter på gavelväggen mot cykelvägen.",
        "Taggar på tunneln under järnvägen.",
    ),
    ObservationCategory.FLY_POSTING: (
        "Affischer uppsatta på alla lyktstolpar längs gatan.",
        "Klistermärken över hela busskuren.",
    ),
    ObservationCategory.VANDALISM: (
        "Krossad ruta i busskuren.",
        "Sönderslagna lampor på lekplatsen.",
        "Välta blomlådor vid torget.",
    ),
    ObservationCategory.SUSPICIOUS: (
        "En skåpbil utan skyltar har stått vid återvinningen i tre kvällar.",
        "Två personer gick runt och kände på bildörrar vid 02-tiden.",
    ),
    ObservationCategory.OTHER: (
        "Gatlyktan vid korsningen är trasig, det är mörkt på vägen till skolan.",
        "Övergivna cyklar vid stationen sedan flera veckor.",
    ),
}

# What the coordinator told the reporter, by the status it moved the report to. In
# Swedish, like the rest of the demo's content.
OBSERVATION_ANSWERS: dict[str, str] = {
    ObservationStatus.HANDLING: "Tack! Vi har beställt sanering; det brukar ta en vecka.",
    ObservationStatus.HANDLED: "Åtgärdat. Tack för att du hörde av dig.",
    ObservationStatus.POLICE: (
        "Vi har lämnat din rapport till polisen. Har du mer att berätta, ring 114 14."
    ),
}

# Members' answers to police alerts, and the police's answers to them.
REPLIES = (
    "Jag såg en vit skåpbil utan dekaler stå länge vid återvinningen i går kväll, runt 22.30.",
    "Vi hörde glas krossas vid tvåtiden i natt, kanske från förskolan.",
    "Min granne har en kamera mot gatan. Ska jag be henne titta?",
    "Någon provade handtaget på vårt förråd i natt. Inget verkar saknas.",
)
REPLY_ANSWERS = (
    "Tack, det hjälper oss. Vi har lagt det till ärendet.",
    "Ja, be henne gärna spara filmen och ring 114 14, så hämtar vi den.",
)

DECLINE_REASONS = (
    "Adressen ligger utanför området.",
    "Hushållet är redan med i grannområdet.",
    "Vi kunde inte nå er för ett första samtal – hör av er igen.",
)
AWAY_NOTES = (
    "Grannen i nummer 7 tömmer brevlådan.",
    "Bilen står kvar på uppfarten, nyckel hos familjen mittemot.",
    "Ingen hemma – ring oss om något händer.",
    "",
)

FIRST_NAMES = (
    "Anna",
    "Erik",
    "Maria",
    "Lars",
    "Karin",
    "Anders",
    "Eva",
    "Johan",
    "Sara",
    "Per",
    "Emma",
    "Karl",
    "Lena",
    "Mikael",
    "Kerstin",
    "Nils",
    "Ingrid",
    "Oskar",
    "Elin",
    "Mats",
    "Sofia",
    "Jonas",
    "Linnea",
    "Björn",
    "Hanna",
    "Gustav",
    "Ida",
    "Olof",
    "Amira",
    "Yusuf",
    "Leila",
    "Ahmed",
    "Aino",
    "Mikko",
    "Sanna",
    "Tomas",
    "Britt",
    "Göran",
    "Helena",
    "Daniel",
)
LAST_NAMES = (
    "Andersson",
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Larsson",
    "Olsson",
    "Persson",
    "Svensson",
    "Gustafsson",
    "Pettersson",
    "Jonsson",
    "Lindberg",
    "Lindqvist",
    "Bergström",
    "Holm",
    "Sandberg",
    "Ekström",
    "Hassan",
    "Ali",
    "Virtanen",
    "Korhonen",
    "Björk",
    "Wallin",
    "Engström",
    "Lund",
    "Forsberg",
    "Sjöberg",
    "Dahl",
    "Nyberg",
)
STREET_WORDS = (
    "Lärk",
    "Tall",
    "Björk",
    "Rönn",
    "Ek",
    "Lönn",
    "Sälg",
    "Hassel",
    "Lind",
    "Alm",
    "Kastanj",
    "Syren",
    "Fläder",
    "Hägg",
    "Ask",
    "Gran",
    "Körsbärs",
    "Äppel",
    "Plommon",
    "Lingon",
    "Blåbärs",
    "Smultron",
    "Vall",
    "Äng",
    "Back",
    "Skogs",
    "Sjö",
    "Strand",
)
STREET_KINDS = ("vägen", "gatan", "stigen", "gränd")
