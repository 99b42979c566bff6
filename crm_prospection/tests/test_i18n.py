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
        data (regenerate it with tools/i18n when this fails). The add-on's own:
        whatever else is installed, the terms other apps add to its records (a
        model's website form label, the ratings field a mixin gives its models)
        are theirs, not the add-on's."""
        addon = self.env["ir.module.module"].search([("name", "=", "crm_prospection")])
        dependencies = addon.upstream_dependencies(exclude_states=("uninstallable",))
        closure = {"base", "crm_prospection", *dependencies.mapped("name")}
        reader = TranslationModuleReader(self.env.cr, modules=["crm_prospection"])
        sources = {
            source
            for module, kind, name, res_id, source, _value, _comments in reader
            if module == "crm_prospection"
            and source
            and (kind != "model" or self._defined_within(closure, name, res_id))
        }
        missing = sorted(sources - {entry.msgid for entry in self.pot})
        self.assertFalse(missing, f"strings missing from the .pot: {missing[:10]}")

    def _defined_within(self, modules, name, xmlid):
        """Whether the translated field ``name`` (``model,field``) of the record
        ``xmlid`` and, for a field's label, that field come from ``modules``."""
        model_name, field_name = name.split(",")
        if self.env[model_name]._fields[field_name]._module not in modules:
            return False
        record = self.env.ref(xmlid, raise_if_not_found=False)
        if model_name == "ir.model.fields.selection":
            record = record.field_id
        if record and record._name == "ir.model.fields":
            field = self.env[record.model]._fields.get(record.name)
            return field is None or field._module in modules
        return True

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
        """X-1: a French user reads the French terms of prospecting."""
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
