"""Segment counting (GSM 03.38 / UCS-2) and shortening alerts to fit a segment budget."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from notifications.sms.segments import count_segments, fit_to_segments

LINK = "https://grannsamverkan.example/a/1234"
SWEDISH_ALERT = (
    "Inbrott i villa på Björkvägen under eftermiddagen. Gärningspersonerna tog sig in "
    "via altandörren och försvann i en mörk bil. Polisen vill ha tips från boende som "
    "sett något misstänkt mellan kl 13 och 17. Ring 114 14 och uppge diarienummer. "
) * 3


def test_160_gsm_characters_fit_in_one_segment() -> None:
    assert count_segments("a" * 160) == ("GSM-7", 1)


def test_161_gsm_characters_need_two_segments() -> None:
    assert count_segments("a" * 161) == ("GSM-7", 2)


def test_concatenated_gsm_segments_hold_153_septets() -> None:
    assert count_segments("a" * 306) == ("GSM-7", 2)
    assert count_segments("a" * 307) == ("GSM-7", 3)


def test_70_ucs2_characters_fit_in_one_segment() -> None:
    assert count_segments("ж" * 70) == ("UCS-2", 1)


def test_71_ucs2_characters_need_two_segments() -> None:
    assert count_segments("ж" * 71) == ("UCS-2", 2)


def test_concatenated_ucs2_segments_hold_67_units() -> None:
    assert count_segments("ж" * 134) == ("UCS-2", 2)
    assert count_segments("ж" * 135) == ("UCS-2", 3)


@pytest.mark.parametrize("char", list("€[]{}^~\\|"))
def test_extension_character_counts_as_two_septets(char: str) -> None:
    assert count_segments("a" * 158 + char) == ("GSM-7", 1)
    assert count_segments("a" * 159 + char) == ("GSM-7", 2)


def test_extension_character_is_not_split_across_the_153_boundary() -> None:
    # 306 septets either way, but ESC+€ cannot straddle two parts: 152 + € moves the
    # € into part two, which then overflows into a third.
    assert count_segments("a" * 151 + "€" + "a" * 153) == ("GSM-7", 2)
    assert count_segments("a" * 152 + "€" + "a" * 152) == ("GSM-7", 3)


def test_swedish_letters_stay_gsm7() -> None:
    # 160 of them still fit in one SMS: each is a single septet, not a Unicode unit.
    assert count_segments("åäöÅÄÖ" * 26 + "åäöÅ") == ("GSM-7", 1)


def test_one_emoji_forces_ucs2() -> None:
    assert count_segments("Inbrott på gatan 🚨")[0] == "UCS-2"


def test_emoji_counts_as_two_utf16_units() -> None:
    assert count_segments("a" * 68 + "🚨") == ("UCS-2", 1)
    assert count_segments("a" * 69 + "🚨") == ("UCS-2", 2)


def test_emoji_is_not_split_across_the_67_boundary() -> None:
    assert count_segments("a" * 66 + "🚨" + "a" * 66) == ("UCS-2", 3)
    assert count_segments("a" * 65 + "🚨" + "a" * 67) == ("UCS-2", 2)


def test_short_text_is_returned_unchanged() -> None:
    text = "Misstänkt person på Ekvägen, ring 112 vid pågående brott."
    assert fit_to_segments(text, 1, LINK) == text


def test_text_exactly_at_the_limit_is_unchanged() -> None:
    text = "a " * 229 + "a"  # 459 septets = 3 * 153
    assert fit_to_segments(text, 3, LINK) == text


@pytest.mark.parametrize("max_segments", [1, 2, 3, 4])
def test_shortened_text_fits_and_ends_with_the_link(max_segments: int) -> None:
    result = fit_to_segments(SWEDISH_ALERT, max_segments, LINK)
    assert count_segments(result)[1] <= max_segments
    assert result.endswith(f"... {LINK}")


def test_shortened_text_uses_all_the_room_it_can() -> None:
    result = fit_to_segments(SWEDISH_ALERT, 2, LINK)
    kept = result.removesuffix(f"... {LINK}")
    next_word = SWEDISH_ALERT[len(kept) :].split()[0]
    assert count_segments(f"{kept} {next_word}... {LINK}")[1] > 2


def test_shortened_text_is_cut_on_a_word_boundary() -> None:
    kept = fit_to_segments(SWEDISH_ALERT, 1, LINK).removesuffix(f"... {LINK}")
    assert SWEDISH_ALERT.startswith(kept)
    assert SWEDISH_ALERT[len(kept)] in " .,"


def test_shortened_gsm_text_stays_gsm7() -> None:
    # "…" is not in GSM 03.38; using it would halve the room for the alert.
    assert count_segments(fit_to_segments(SWEDISH_ALERT, 2, LINK))[0] == "GSM-7"


def test_shortened_ucs2_text_uses_the_single_character_ellipsis() -> None:
    result = fit_to_segments("Varning 🚨 " + SWEDISH_ALERT, 2, LINK)
    assert result.endswith(f"… {LINK}")
    assert count_segments(result) == ("UCS-2", 2)


def test_shortened_text_without_link_ends_with_ellipsis() -> None:
    result = fit_to_segments(SWEDISH_ALERT, 1)
    assert result.endswith("...")
    assert count_segments(result)[1] == 1


def test_single_overlong_word_is_cut_hard() -> None:
    assert fit_to_segments("x" * 500, 1) == "x" * 157 + "..."


def test_max_segments_defaults_to_the_setting(settings) -> None:
    settings.SMS_MAX_SEGMENTS = 1
    assert count_segments(fit_to_segments(SWEDISH_ALERT, link=LINK))[1] == 1


def test_link_too_long_for_the_budget_is_an_error() -> None:
    with pytest.raises(ValueError, match="link"):
        fit_to_segments(SWEDISH_ALERT, 1, "https://example.org/" + "x" * 200)


_WORDS = st.sampled_from(
    ["inbrott", "på", "Åsgatan", "bil", "€", "[obs]", "ring", "114", "114.", "🚨", "ж", "\n"]
)


@hypothesis_settings(database=None, max_examples=150, deadline=None)
@given(
    words=st.lists(_WORDS, min_size=1, max_size=400),
    max_segments=st.integers(min_value=1, max_value=5),
    link=st.sampled_from([None, LINK, "https://x.se/a/1?ref=~abc"]),
)
def test_fit_to_segments_always_fits(words: list[str], max_segments: int, link: str | None) -> None:
    text = " ".join(words)
    result = fit_to_segments(text, max_segments, link)
    assert count_segments(result)[1] <= max_segments
    if result != text and link:
        assert result.endswith(f" {link}")
