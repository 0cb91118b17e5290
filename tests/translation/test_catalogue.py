"""The Spanish catalogue covers every string of the code: gettext's own tools, on a copy of the project."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

BASE = Path(settings.BASE_DIR)
SOURCES = ["config", "exchange", "inventory", "web", "templates", "locale", "manage.py"]


def gettext_tool(*arguments) -> str:
    return subprocess.run(arguments, check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def fresh_catalogue(tmp_path_factory) -> Path:
    """The catalogue as `make messages` would leave it after extracting the strings of the code as it is."""
    if shutil.which("msgattrib") is None:
        pytest.skip("needs gettext's tools")
    copy = tmp_path_factory.mktemp("project")
    for name in SOURCES:
        source = BASE / name
        if source.is_dir():
            shutil.copytree(source, copy / name, ignore=shutil.ignore_patterns("__pycache__", "static"))
        else:
            shutil.copy(source, copy / name)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "es", "--no-location", "--ignore=.venv", "--ignore=bench"],
        cwd=copy,
        check=True,
        capture_output=True,
    )
    return copy / "locale" / "es" / "LC_MESSAGES" / "django.po"


def entries(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("msgid ") and line != 'msgid ""']


def test_every_string_of_the_code_has_a_spanish_translation(fresh_catalogue):
    untranslated = gettext_tool("msgattrib", "--untranslated", "--no-obsolete", str(fresh_catalogue))

    assert entries(untranslated) == []


def test_no_translation_is_left_fuzzy(fresh_catalogue):
    fuzzy = gettext_tool("msgattrib", "--only-fuzzy", "--no-obsolete", str(fresh_catalogue))

    assert entries(fuzzy) == []
