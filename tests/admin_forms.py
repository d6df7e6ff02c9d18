"""The admin's change forms as a browser sends them, for tests that change one field."""

from __future__ import annotations

from html.parser import HTMLParser

from django.test import Client


class ChangeForm(HTMLParser):
    """What a browser sends from the admin's change form as the page shows it."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.data: dict[str, str | list[str]] = {}
        self._select: str | None = None
        self._textarea: str | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        name = values.get("name", "")
        if tag == "input" and name and values.get("type") not in {"submit", "file"}:
            if values.get("type") != "checkbox":
                self.data[name] = values.get("value", "")
            elif "checked" in values:
                self.data[name] = values.get("value", "on")
        elif tag == "select" and name:
            self._select = name
            self.data[name] = [] if "multiple" in values else ""
        elif tag == "option" and self._select and "selected" in values:
            chosen = self.data[self._select]
            value = values.get("value", "")
            if isinstance(chosen, list):
                chosen.append(value)
            else:
                self.data[self._select] = value
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.data[self._textarea] = f"{self.data[self._textarea]}{data.removeprefix(chr(10))}"


def change_form(client: Client, url: str) -> dict[str, str | list[str]]:
    data = ChangeForm(client.get(url).content.decode()).data
    # An empty row as the admin's "Add another" button makes it, left for the test.
    return {name: value for name, value in data.items() if "__prefix__" not in name}
