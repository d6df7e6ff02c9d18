"""The numbers an alert tells members to call, 112 and the police's 114 14, are links to
tap on a phone wherever the alert's text is shown as HTML (its page, the e-mail, the
public page); a number inside another, a time, an address or a link is left alone."""

from __future__ import annotations

import pytest

from notifications import rendering


@pytest.mark.parametrize(
    ("body", "links"),
    [
        ("Ring 112 eller 114 14.", ["tel:112", "tel:11414"]),
        ("Ring 11414 om det inte brådskar", ["tel:11414"]),
        ("Ring 112:an, sedan 114 14!", ["tel:112", "tel:11414"]),
        ("Ring *112*", ["tel:112"]),
        ("Nummer 1120, 2112, 112.5 och 114 140", []),
        ("Kl. 11:14 på Storgatan 112-114", []),
        (
            "Se https://polisen.se/112 och <https://polisen.se/114-14>",
            ["https://polisen.se/114-14"],
        ),
        ("[ring polisen](tel:11414)", ["tel:11414"]),
        # A link's address and text are the author's: nothing is cut or added there.
        ("[Läs mer](https://polisen.se/sok?q=112)", ["https://polisen.se/sok?q=112"]),
        ("<https://polisen.se/?id=112>", ["https://polisen.se/?id=112"]),
        ("[Ring 112 vid fara](https://polisen.se)", ["https://polisen.se"]),
        ("`112`", ["tel:112"]),
        # Postal codes before their town, other numbers holding them, amounts, entities.
        ("Storgatan 1, 114 14 Stockholm", []),
        ("112 51 Stockholm, 112 000 kronor, 0501 112 34, #112 och &#112;", []),
    ],
)
def test_the_numbers_to_call_are_links(body, links):
    html = rendering.body_html(body)

    assert [part.split('"')[0] for part in html.split('href="')[1:]] == links


def test_a_number_link_keeps_the_number_as_written():
    html = rendering.body_html("Ring 114 14.")

    assert html == '<p>Ring <a href="tel:11414">114 14</a>.</p>'
