from pathlib import Path

import pytest
from babel.messages.pofile import read_po

LOCALE = Path(__file__).resolve().parents[2] / "locale"


@pytest.mark.parametrize("language", ["lt", "sl", "sv"])
def test_every_interface_string_is_translated(language):
    with (LOCALE / language / "LC_MESSAGES" / "django.po").open("rb") as po_file:
        catalog = read_po(po_file)
    missing = [
        message.id
        for message in catalog
        if message.id
        and (
            message.fuzzy
            or not message.string
            or (isinstance(message.string, tuple) and not all(message.string))
        )
    ]
    assert not missing, f"{language}: {len(missing)} untranslated, e.g. {missing[:5]}"


@pytest.mark.parametrize("language", ["lt", "sl", "sv"])
def test_compiled_catalogue_is_up_to_date(language):
    directory = LOCALE / language / "LC_MESSAGES"
    assert (directory / "django.mo").stat().st_mtime >= (directory / "django.po").stat().st_mtime
