"""The translation files of crm_ext agree with its template."""
import pathlib

import pytest
from babel.messages.pofile import read_po

I18N = pathlib.Path(__file__).resolve().parent.parent / "crm_ext" / "i18n"


def msgids(catalog):
    return {message.id for message in catalog if message.id}


def load(name):
    with open(str(I18N / name), "rb") as handle:
        return read_po(handle)


@pytest.mark.parametrize("lang, script", [("zh_CN", "Hans"), ("zh_TW", "Hant")])
def test_every_term_is_translated(lang, script):
    template = load("crm_ext.pot")
    catalog = load("%s.po" % lang)
    assert msgids(catalog) == msgids(template)
    untranslated = [m.id for m in catalog if m.id and not m.string]
    assert untranslated == []
    assert (catalog.locale.territory, catalog.locale.script) == (lang[3:], script)
