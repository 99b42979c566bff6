# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from unittest.mock import patch

from odoo.tests import HttpCase, tagged

from odoo.addons.base.models.ir_actions_report import IrActionsReport

from .common import activate_french


@tagged("post_install", "-at_install")
class TestUiFrench(HttpCase):
    """X-1, X-5: the French web client at the form's usual width, the chatter
    beside the form."""

    browser_size = "1440x900"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        activate_french(cls.env)
        cls.env.ref("base.user_admin").write({"lang": "fr_FR", "tz": "Europe/Paris"})

    def test_lead_status_bar_and_call_form(self):
        """STAT-2, EVT-1, EVT-3: at 1440 px every status of the path is in the bar
        (two statuses of one's own included), none behind "...", on one line; a
        long title is not cut; a call's form
        says call; the recurrence's weekdays and summary are French."""
        Status = self.env["crm.lead.status"].with_context(lang="fr_FR")
        Status.create(
            [
                {"name": "Relance téléphonique", "sequence": 25, "is_open": True},
                {"name": "Rappel du prospect", "sequence": 45, "is_open": True},
            ]
        )
        self.env["crm.lead"].create(
            {
                "name": "Piste de la barre : demande de catalogues pour 25 "
                "commerciaux de la région lyonnaise",
                "type": "lead",
                "user_id": False,
                "lead_status_id": self.env.ref(
                    "crm_prospection.lead_status_to_process"
                ).id,
            }
        )
        self.start_tour("/odoo", "crm_prospection_french_lead", login="admin")

    def test_envelope_without_pdf_printer(self):
        """GEO-4: the partner form's Envelope button; without wkhtmltopdf the
        notice is plain words and the envelope opens as a page."""
        self.env["res.partner"].create(
            {
                "name": "Enveloppe SARL",
                "is_company": True,
                "is_prospect": True,
                "street": "1 rue de la Poste",
                "zip": "69002",
                "city": "Lyon",
                "country_id": self.env.ref("base.fr").id,
            }
        )
        with patch.object(
            IrActionsReport, "get_wkhtmltopdf_state", lambda self: "install"
        ):
            self.start_tour("/odoo", "crm_prospection_french_envelope", login="admin")

    def test_email_then_convert_one_contact(self):
        """MAIL-1, CONV-3, CONV-5, LEAD-6, in French, e-mail first: a tag's
        colour chosen from the lead; a lead e-mailed from "Créer un email" then
        converted has one contact, its own, which the conversion completed (the
        phone typed in the window) and the converted lead points at."""
        lead = self.env["crm.lead"].create(
            {
                "name": "Piste courriel puis conversion",
                "type": "lead",
                "tag_ids": [(0, 0, {"name": "Atelier bois", "color": 2})],
                "first_name": "Camille",
                "last_name": "Roux",
                "partner_name": "Roux Ateliers",
                "email_from": "camille.roux@roux-ateliers.example.com",
                "lang_id": self.env.ref("base.lang_fr").id,
                "user_id": self.env.ref("base.user_admin").id,
                "lead_status_id": self.env.ref(
                    "crm_prospection.lead_status_sales_qualification"
                ).id,
            }
        )
        self.start_tour("/odoo", "crm_prospection_email_then_convert", login="admin")
        contacts = self.env["res.partner"].search([("name", "=", "Camille Roux")])
        self.assertEqual(len(contacts), 1)
        self.assertEqual(lead.converted_contact_id, contacts)
        self.assertEqual(lead.partner_id, contacts)
        self.assertEqual(contacts.parent_id, lead.converted_partner_id)
        self.assertEqual(contacts.lang, "fr_FR")
        self.assertEqual(contacts.phone, "+33 4 78 00 00 09")
        self.assertEqual(lead.tag_ids.color, 10)

    def test_french_day_meeting_email_conversion(self):
        """Issue 26 (MAIL-1, EVT-1, CONV-2), in a database created in English
        with a French salesperson: a lead without language, its meeting dialog
        discarded (nothing made), the meeting planned (its French contact made
        and invited), an e-mail written in French from a French composer, the
        conversion proposing French: one French contact, a French prospect."""
        self.env["ir.default"].set("res.partner", "lang", "en_US")
        self.env.ref("base.main_company")._crm_set_partner_lang(False)
        lead = self.env["crm.lead"].create(
            {
                "name": "Journée française",
                "type": "lead",
                "first_name": "Claire",
                "last_name": "Fontaine",
                "partner_name": "Fontaine Textiles",
                "email_from": "claire.fontaine@fontaine-textiles.example.com",
                "user_id": self.env.ref("base.user_admin").id,
                "lead_status_id": self.env.ref(
                    "crm_prospection.lead_status_sales_qualification"
                ).id,
            }
        )
        self.assertFalse(lead.lang_id)
        self.start_tour(
            "/odoo", "crm_prospection_french_day", login="admin", timeout=300
        )
        contacts = self.env["res.partner"].search([("name", "=", "Claire Fontaine")])
        self.assertEqual(len(contacts), 1)
        self.assertEqual(contacts.lang, "fr_FR")
        self.assertEqual(lead.lang_id.code, "fr_FR")
        meeting = self.env["calendar.event"].search(
            [("name", "=", "Réunion de découverte")]
        )
        self.assertEqual(len(meeting), 1)
        self.assertIn(contacts, meeting.partner_ids)
        self.assertEqual(lead.converted_contact_id, contacts)
        self.assertEqual(lead.converted_partner_id.lang, "fr_FR")
