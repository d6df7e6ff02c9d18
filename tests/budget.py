"""Counting what a person does in the browser: the action budgets of the role tests.

An action is what costs a person effort: a click, a key press, filling one field or
choosing in one list. Going to a page by its address and reading are free. Each role's
main task has a budget (README "Each role's way through the site").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page, Position


@dataclass
class Actions:
    page: Page
    count: int = 0

    def click(self, target: Locator, *, position: Position | None = None) -> None:
        self.count += 1
        target.click(position=position)

    def fill(self, target: Locator, value: str) -> None:
        self.count += 1
        target.fill(value)

    def select(self, target: Locator, value: Any) -> None:
        self.count += 1
        target.select_option(value)

    def check(self, target: Locator) -> None:
        self.count += 1
        target.check()

    def press(self, key: str) -> None:
        self.count += 1
        self.page.keyboard.press(key)
