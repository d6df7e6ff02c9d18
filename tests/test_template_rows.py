"""The rows of the long lists (the inbox's lines, the area page's households and members)
answer the template engine's first lookup, ``row[name]``, with their attribute, and read
in templates exactly as attributes do (watch/rows.py)."""

import datetime as dt

import pytest
from django.template import engines
from django.utils import timezone

from notifications.inbox.selectors import InboxEntry, LineText
from watch.households.selectors import AreaHousehold, AreaMember


def household() -> AreaHousehold:
    return AreaHousehold(7, 3, "Vallgränd 13", "542 30", "Mariestad", 13.82, 58.71, None, None)


def member() -> AreaMember:
    return AreaMember("Anna Berg", "anna@example.org", "+46701740605")


def line() -> InboxEntry:
    now = timezone.now()
    return InboxEntry(
        5, "Inbrott", "", "alert", "high", False, None, "police", ["Mariestad"], "Marieholm",
        now - dt.timedelta(minutes=5), None, False, LineText(),
    )  # fmt: skip


@pytest.mark.parametrize(
    ("row", "names"),
    [
        (household(), ["street_address", "postal_code", "paper_id", "members", "remove_url"]),
        (member(), ["full_name", "email", "phone", "phone_display"]),
        (line(), ["title", "url", "read_at", "kind_label", "meta_line", "is_expired"]),
    ],
    ids=["household", "member", "inbox line"],
)
def test_a_row_answers_an_item_lookup_with_its_attribute(row, names):
    for name in names:
        assert row[name] == getattr(row, name)


def test_a_name_a_row_lacks_is_missing_to_the_template_as_before():
    with pytest.raises(AttributeError):
        household()["nothing"]

    template = engines["django"].from_string(
        "{{ row.street_address }}|{{ row.nothing }}|{{ row.nothing.deeper }}|"
        "{{ row.remove_url }}|{% for m in row.members %}{{ m.full_name }}{% endfor %}"
    )

    rendered = template.render({"row": household()})

    assert rendered == "Vallgränd 13|||/manage/memberships/7/remove/|"


def test_a_rows_values_are_escaped_as_attributes_are():
    row = AreaMember("<b>Bo</b> & co", "bo@example.org", "")

    rendered = engines["django"].from_string("{{ row.full_name }}").render({"row": row})

    assert rendered == "&lt;b&gt;Bo&lt;/b&gt; &amp; co"
