"""The catalogue of hostile input used by tests/test_hostile_input.py.

Add a payload here and every test that walks the catalogue tries it. Each entry
pairs the input with a fragment of the message the user must see, so a payload
that is refused for the wrong reason (or with a vague message) fails too.
"""

from __future__ import annotations

import json

from tests.factories import square

# HTML and script: breaks out of an attribute, opens a tag, runs a handler.
XSS = '"><script>alert(1)</script><img src=x onerror=alert(2)>'
# What must never reach a page unescaped (the escaped form may).
XSS_MARKERS = ("<script>alert(1)", "<img src=x")

# Cells a spreadsheet would run as a formula (OWASP "CSV injection").
FORMULAS = [
    '=HYPERLINK("http://evil.example","click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]
# E-mail addresses are free text too: these are valid addresses that start a formula.
FORMULA_EMAILS = ["=1+1@example.org", "+cmd@example.org", "-x@example.org", "@x@example.org"]


def ring(*points: tuple[float, float]) -> list[list[float]]:
    return [list(point) for point in points]


def polygon(*rings: list[list[float]]) -> str:
    return json.dumps({"type": "Polygon", "coordinates": list(rings)})


SQUARE = square(13.83, 58.72, 0.01)["coordinates"][0]
_NESTED_COLLECTION = {
    "type": "GeometryCollection",
    "geometries": [
        {"type": "GeometryCollection", "geometries": [{"type": "Polygon", "coordinates": [SQUARE]}]}
    ],
}

# (id, text posted as the boundary, fragment of the message the form must show)
BAD_BOUNDARIES: list[tuple[str, str, str]] = [
    ("not-json", "this is not json", "not valid JSON"),
    ("truncated-json", '{"type": "Polygon", "coordinates": [[[13.8', "not valid JSON"),
    ("json-array", "[]", "must be a GeoJSON object, got a list"),
    ("json-null", "null", "must be a GeoJSON object, got null"),
    ("json-number", "42", "must be a GeoJSON object, got a number"),
    ("no-type", "{}", "it has no “type”"),
    ("type-not-a-string", json.dumps({"type": ["Polygon"]}), "it has no “type”"),
    (
        "point",
        json.dumps({"type": "Point", "coordinates": [13.83, 58.72]}),
        "Polygon or MultiPolygon is expected, got Point",
    ),
    (
        "linestring",
        json.dumps({"type": "LineString", "coordinates": SQUARE}),
        "Polygon or MultiPolygon is expected, got LineString",
    ),
    (
        "nested-geometry-collection",
        json.dumps(_NESTED_COLLECTION),
        "Polygon or MultiPolygon is expected, got GeometryCollection",
    ),
    (
        "feature-collection-of-two",
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [{"type": "Feature", "geometry": json.loads(polygon(SQUARE))}] * 2,
            }
        ),
        "exactly one feature, got 2",
    ),
    ("feature-without-geometry", json.dumps({"type": "Feature"}), "has no geometry"),
    ("no-coordinates", json.dumps({"type": "Polygon"}), "has no “coordinates”"),
    (
        "coordinates-a-string",
        json.dumps({"type": "Polygon", "coordinates": "13.8,58.7"}),
        "nested wrongly",
    ),
    (
        "multipolygon-nested-too-shallow",
        json.dumps({"type": "MultiPolygon", "coordinates": [SQUARE]}),
        "nested wrongly",
    ),
    ("no-rings", json.dumps({"type": "Polygon", "coordinates": []}), "has no coordinates"),
    (
        "three-points",
        polygon(ring((13.83, 58.72), (13.84, 58.72), (13.83, 58.72))),
        "has 3 positions",
    ),
    (
        "unclosed-ring",
        polygon(ring((13.83, 58.72), (13.84, 58.72), (13.84, 58.73), (13.83, 58.73))),
        "is not closed",
    ),
    (
        "self-intersecting",
        polygon(
            ring((13.83, 58.72), (13.84, 58.73), (13.84, 58.72), (13.83, 58.73), (13.83, 58.72))
        ),
        "Edges must not cross",
    ),
    (
        "strings-as-coordinates",
        json.dumps({"type": "Polygon", "coordinates": [[["13.83", "58.72"]] * 4]}),
        "must be a number, got &quot;13.83&quot;",
    ),
    (
        "booleans-as-coordinates",
        json.dumps({"type": "Polygon", "coordinates": [[[True, False]] * 4]}),
        "must be a number, got true",
    ),
    (
        "one-number-positions",
        json.dumps({"type": "Polygon", "coordinates": [[[13.83]] * 4]}),
        "has 1 number",
    ),
    (
        "nan",
        '{"type":"Polygon","coordinates":[[[NaN,58.72],[13.84,58.72],[13.84,58.73],[NaN,58.72]]]}',
        "must be a finite number, got nan",
    ),
    (
        "infinity",
        '{"type":"Polygon","coordinates":[[[13.83,Infinity],[13.84,58.72],[13.84,58.73],'
        "[13.83,Infinity]]]}",
        "must be a finite number, got inf",
    ),
    (
        "huge-float",
        polygon(ring((1e308, 58.72), (13.84, 58.72), (13.84, 58.73), (1e308, 58.72))),
        "not longitude/latitude degrees",
    ),
    (
        "huge-integer",
        polygon([[10**400, 58.72], [13.84, 58.72], [13.84, 58.73], [10**400, 58.72]]),
        "must be a finite number",
    ),
    (
        "projected-sweref99",
        polygon(square(412000, 6510000, 1000)["coordinates"][0]),
        "SWEREF 99 TM",
    ),
    ("outside-sweden", polygon(square(2.35, 48.85, 0.01)["coordinates"][0]), "outside the"),
    (
        "swapped-lat-lon",
        polygon([[lat, lon] for lon, lat in SQUARE]),
        "look swapped",
    ),
    ("too-small", polygon(square(13.83, 58.72, 0.0001)["coordinates"][0]), "at least 1000 m²"),
    ("too-large", polygon(square(13.0, 58.0, 1.0)["coordinates"][0]), "at most 50.0 km²"),
    (
        "too-many-vertices",
        polygon([[13.83, 58.72 + i * 1e-6] for i in range(6_000)]),
        "at most 5000 are allowed",
    ),
    ("deeply-nested-arrays", "[" * 100_000 + "]" * 100_000, "not valid JSON"),
    (
        "deeply-nested-coordinates",
        '{"type":"Polygon","coordinates":' + "[" * 50_000 + "]" * 50_000 + "}",
        "not valid JSON",
    ),
    ("over-one-megabyte", "[" + "0," * 550_000 + "0]", "The boundary is too large"),
    # A JSON escape for half a UTF-16 pair is valid JSON but not encodable text:
    # echoing it back in the message must not break the page.
    ("lone-surrogate", '{"type": "\\ud800"}', "Polygon or MultiPolygon is expected"),
]

# (id, household pin fields, message fragment)
BAD_PINS: list[tuple[str, dict[str, str], str]] = [
    ("longitude-out-of-range", {"longitude": "200", "latitude": "58.71"}, "longitude/latitude"),
    ("latitude-out-of-range", {"longitude": "13.83", "latitude": "-95"}, "longitude/latitude"),
    ("outside-sweden", {"longitude": "2.35", "latitude": "48.85"}, "outside the area the service"),
    ("swapped", {"longitude": "58.71", "latitude": "13.83"}, "look swapped"),
    ("letters", {"longitude": "east", "latitude": "58.71"}, "Enter a number."),
    ("infinity", {"longitude": "inf", "latitude": "58.71"}, "Enter a number."),
    ("nan", {"longitude": "13.83", "latitude": "nan"}, "Enter a number."),
    ("huge", {"longitude": "1e999", "latitude": "58.71"}, "Enter a number."),
]

# (id, the question the report form asks "Is it one of these?" with) — each answered 400
# with nothing in it. The place is the matrix's (outside every area), unless it is the bad part.
# A NUL character is refused before any view (tests/test_hostile_parameters.py).
_PLACE = {"category": "graffiti", "longitude": "14.5", "latitude": "59.5"}
BAD_NEARBY_QUESTIONS: list[tuple[str, dict[str, str]]] = [
    ("nothing", {}),
    ("no-place", {"category": "graffiti"}),
    ("unknown-category", {**_PLACE, "category": "burglary"}),
    ("html-category", {**_PLACE, "category": XSS}),
    ("overlong-number", {**_PLACE, "longitude": "1" * 5000}),
    *[(f"pin-{name}", {**_PLACE, **pin}) for name, pin, _message in BAD_PINS],
]

# (id, circle fields of the alert form, message fragment)
BAD_CIRCLES: list[tuple[str, dict[str, str], str]] = [
    ("negative-radius", {"circle_radius": "-500"}, "greater than or equal to 1"),
    ("zero-radius", {"circle_radius": "0"}, "greater than or equal to 1"),
    ("huge-radius", {"circle_radius": "1e12"}, "at most 50000 m"),
    ("letters-radius", {"circle_radius": "far"}, "Enter a number."),
    ("infinite-radius", {"circle_radius": "inf"}, "Enter a number."),
    ("centre-outside-sweden", {"circle_longitude": "2.35", "circle_latitude": "48.85"}, "outside"),
    ("centre-out-of-range", {"circle_longitude": "13.9", "circle_latitude": "95"}, "longitude"),
]
CIRCLE = {"circle_longitude": "13.835", "circle_latitude": "58.725", "circle_radius": "300"}

# (id, typed number, message fragment) — accounts/phone.py's messages.
BAD_PHONES: list[tuple[str, str, str]] = [
    ("swedish-landline", "08-123 456 78", "cannot be sent to a landline"),
    ("too-short", "070-12", "does not exist"),
    ("letters", "call me maybe", "Use only digits"),
    ("full-width-digits", "\uff10\uff17\uff10-174 06 05", "Use only digits"),
    (
        "arabic-indic-digits",
        "\u0660\u0667\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667",
        "Use only digits",
    ),
    ("emoji-prefix", "\U0001f4f1070-174 06 05", "Use only digits"),
    ("extension", "070-174 06 05 ext 5", "Use only digits"),
    ("uk-landline", "+44 20 7946 0958", "cannot be sent to a landline"),
    ("premium-rate", "0900-123 45 67", "cannot be sent to a landline"),
    ("unknown-country-code", "+999 123 456 789", "Enter a phone number"),
    ("too-long", "+46 70 174 06 05 89 10 11 12 13 14 15 16", "too long"),
    ("html", XSS, "too long"),
]

# Addresses every e-mail field must refuse. CR/LF would be header injection.
BAD_EMAILS: list[tuple[str, str]] = [
    ("no-at", "not-an-address"),
    ("two-ats", "a@b@example.org"),
    ("no-domain", "someone@"),
    ("header-injection", "guest@example.org\r\nBcc: everyone@example.org"),
    ("html", '"><script>alert(1)</script>@example.org'),
    ("spaces", "guest @example.org"),
    ("too-long", "x" * 310 + "@example.org"),
    # Under Django's 320 but over the 254 the columns hold (a 500 on PostgreSQL once).
    ("over-the-column", "x" * 250 + "@example.org"),
]

_NOT_VALID = "it may have been used already or have expired"
_AS_PRINTED = "Enter the code as it is printed"
# (id, typed claim code, message fragment) — watch/paper: the form, then the service.
BAD_CLAIM_CODES: list[tuple[str, str, str]] = [
    ("empty", "", "This field is required."),
    ("unknown", "ABCD-EFGH-JKMN", _NOT_VALID),
    ("too-short", "ABCD-EFGH", _AS_PRINTED),
    ("ambiguous-letters", "ABCD-EFGH-IJK0", _AS_PRINTED),
    ("full-width", "\uff21\uff22\uff23\uff24-EFGH-JKMN", _AS_PRINTED),
    ("sql", "' OR 1=1 --", _AS_PRINTED),
    ("html", XSS, "at most 20 characters"),
    ("null", "ABCD\x00EFGH", "Null characters are not allowed."),
    ("too-long", "A" * 21, "at most 20 characters"),
]
_SIX_DIGITS = "The code has six digits."
# (id, typed code, message fragment) — the code a resident reads out to their area contact
# for the household's number (watch/paper, with the members' form of notifications).
BAD_VERIFICATION_CODES: list[tuple[str, str, str]] = [
    ("empty", "", "This field is required."),
    ("five-digits", "12345", _SIX_DIGITS),
    ("seven-digits", "1234567", _SIX_DIGITS),
    ("letters", "12a456", _SIX_DIGITS),
    ("full-width-digits", "\uff11\uff12\uff13\uff14\uff15\uff16", _SIX_DIGITS),
    ("arabic-indic-digits", "\u0661\u0662\u0663\u0664\u0665\u0666", _SIX_DIGITS),
    ("sql", "' OR 1=1 --", _SIX_DIGITS),
    ("html", XSS, _SIX_DIGITS),
    ("null", "123\x00456", "Null characters are not allowed."),
    ("overlong", "1" * 5000, _SIX_DIGITS),
]
# Language codes a member's choice of alert language, and the language of an alert's
# version, must refuse (notifications.alerts.languages): (id, code).
BAD_ALERT_LANGUAGES: list[tuple[str, str]] = [
    ("not-listed", "de"),
    ("upper-case", "AR"),
    ("trailing-line-break", "ar\n"),
    ("look-alike", "\u0430r"),  # a Cyrillic a
    ("html", XSS),
    ("overlong", "ar" * 600),
]
# A browser's push subscription (notifications/push/forms.py): (id, endpoint or keys
# changed from a valid one, fragment of the message). The keys are base64url.
_POINT_NOT_ON_THE_CURVE = "BA" + "A" * 85  # 0x04 and 64 zero bytes: not a P-256 point
BAD_PUSH_SUBSCRIPTIONS: list[tuple[str, dict[str, str], str]] = [
    ("plain-http", {"endpoint": "http://push.example.net/wpush/1"}, "must begin with https://"),
    ("javascript", {"endpoint": "javascript:alert(1)"}, "must begin with https://"),
    ("file", {"endpoint": "file:///etc/passwd"}, "must begin with https://"),
    ("loopback", {"endpoint": "https://127.0.0.1/wpush/1"}, "not on this computer"),
    ("loopback-v6", {"endpoint": "https://[::1]/wpush/1"}, "not on this computer"),
    ("private", {"endpoint": "https://10.1.2.3/wpush/1"}, "not on this computer"),
    ("link-local", {"endpoint": "https://169.254.169.254/latest"}, "not on this computer"),
    ("localhost", {"endpoint": "https://localhost/wpush/1"}, "not on this computer"),
    ("lan-name", {"endpoint": "https://printer.local/wpush/1"}, "not on this computer"),
    ("single-label", {"endpoint": "https://intranet/wpush/1"}, "not on this computer"),
    ("credentials", {"endpoint": "https://u:p@push.example.net/1"}, "not the address"),
    ("bad-port", {"endpoint": "https://push.example.net:99999/1"}, "not the address"),
    ("no-host", {"endpoint": "https:///wpush/1"}, "not the address"),
    ("too-long", {"endpoint": "https://push.example.net/" + "a" * 1000}, "at most 1000"),
    ("key-not-base64", {"p256dh": "!" * 87}, "not valid for push"),
    ("key-too-short", {"p256dh": "BA" + "A" * 40}, "not valid for push"),
    ("key-compressed", {"p256dh": "Ag" + "A" * 42}, "not valid for push"),
    ("key-off-curve", {"p256dh": _POINT_NOT_ON_THE_CURVE}, "not valid for push"),
    ("key-standard-base64", {"p256dh": "B+/" + "A" * 84}, "not valid for push"),
    ("auth-too-long", {"auth": "A" * 32}, "not valid for push"),
    ("auth-missing", {"auth": ""}, "not valid for push"),
    ("xss", {"endpoint": "https://push.example.net/" + XSS}, "not the address"),
]
