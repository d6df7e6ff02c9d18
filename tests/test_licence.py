"""The project says one licence everywhere: the EUPL-1.2 text in LICENSE, the same in
pyproject.toml, and a line in the README."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_licence_text_pyproject_and_readme_agree():
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")

    assert text.startswith("EUROPEAN UNION PUBLIC LICENCE v. 1.2\n")
    assert "All other changes or additions to this Appendix require" in text  # whole, to the end
    assert project["license"] == {"text": "EUPL-1.2"}
    assert "European Union Public Licence v. 1.2 (EUPL-1.2)" in readme
    assert "[`LICENSE`](LICENSE)" in readme
