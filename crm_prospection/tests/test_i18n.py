# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from pathlib import Path

import polib

from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import TranslationModuleReader

I18N = Path(__file__).resolve().parent.parent / "i18n"


@tagged("post_install", "-at_install")
class TestTranslations(TransactionCase):
    """X-1: every string of the add-on is in the .pot and translated in French."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pot = polib.pofile(str(I18N / "crm_prospection.pot"))
        cls.french = polib.pofile(str(I18N / "fr.po"))

    def test_pot_follows_the_code(self):
        """X-1: the .pot holds every translatable source string of the code and
        data (regenerate it with tools/i18n when this fails)."""
        reader = TranslationModuleReader(self.env.cr, modules=["crm_prospection"])
        sources = {
            source
            for module, _type, _name, _res_id, source, _value, _comments in reader
            if module == "crm_prospection" and source
        }
        missing = sorted(sources - {entry.msgid for entry in self.pot})
        self.assertFalse(missing, f"strings missing from the .pot: {missing[:10]}")

    def test_french_is_complete(self):
        """X-1: every .pot entry has a French translation."""
        translated = {entry.msgid for entry in self.french if entry.msgstr.strip()}
        untranslated = [
            entry.msgid for entry in self.pot if entry.msgid not in translated
        ]
        self.assertFalse(
            untranslated, f"{len(untranslated)} untranslated: {untranslated[:10]}"
        )

    def test_french_shows_in_the_client(self):
        """X-1: a French user reads the seed's vocabulary."""
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(
            ["crm_prospection"], ["fr_FR"], overwrite=True
        )
        status = self.env.ref("crm_prospection.lead_status_converted")
        self.assertEqual(status.with_context(lang="fr_FR").name, "Converti")
        field = (
            self.env["crm.lead"].with_context(lang="fr_FR")._fields["is_key_account"]
        )
        self.assertEqual(
            field._description_string(self.env(context={"lang": "fr_FR"})), "Compte clé"
        )
