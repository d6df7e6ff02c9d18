"""``{% link_url %}`` and ``{% pk_url %}`` (watch/templatetags/links.py) give what
``{% url %}`` gives, for every use of them in the site's templates."""

import re
from pathlib import Path

import pytest
from django.template import engines
from django.urls import NoReverseMatch, reverse

from watch.shortcuts import link_url, pk_url

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
USE = re.compile(r"{% (link_url|pk_url) '([^']+)'")


def uses() -> list[tuple[str, str]]:
    found = {
        (tag, name)
        for template in TEMPLATES.rglob("*.html")
        for tag, name in USE.findall(template.read_text())
    }
    return sorted(found)


def test_the_pages_use_both():
    tags = {tag for tag, _name in uses()}

    assert tags == {"link_url", "pk_url"}


@pytest.mark.parametrize(("tag", "name"), uses())
def test_each_use_is_the_url_django_reverses(tag, name):
    if tag == "link_url":
        assert link_url(name) == reverse(name)
    else:
        # An <int:pk> and nothing else: the pk's digits stand in the reversed URL's place.
        assert pk_url(name, 4711) == reverse(name, args=[4711])
        assert pk_url(name, 4712) == reverse(name, args=[4712])


def test_the_tags_render_as_url_does():
    template = engines["django"].from_string(
        "{% load links %}{% link_url 'watch:home' %}|{% pk_url 'watch:manage_area' area %}|"
        "{% url 'watch:home' %}|{% url 'watch:manage_area' area %}"
    )

    ours_home, ours_area, home, area = template.render({"area": 8}).split("|")

    assert (ours_home, ours_area) == (home, area)


def test_an_unknown_name_is_refused_as_url_refuses_it():
    template = engines["django"].from_string("{% load links %}{% pk_url 'watch:nothing' 3 %}")

    with pytest.raises(NoReverseMatch):
        template.render({})
