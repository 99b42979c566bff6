# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from lxml import html

from odoo.tests import tagged

from .common import CrmProspectionCase


@tagged("post_install", "-at_install")
class TestEnvelope(CrmProspectionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.partner_id.write(
            {"street": "1 Sender Street", "zip": "75001", "city": "Paris"}
        )
        cls.belgium = cls.env.ref("base.be")
        cls.partners = cls.env["res.partner"].create(
            [
                {
                    "name": "Recipient One",
                    "street": "Rue Royale 10",
                    "zip": "1000",
                    "city": "Bruxelles",
                    "country_id": cls.belgium.id,
                },
                {"name": "Recipient Two", "street": "Meir 2", "city": "Antwerpen"},
            ]
        )

    def _envelopes(self, report, records):
        content, _type = self.env["ir.actions.report"]._render_qweb_html(
            report, records.ids
        )
        return html.fromstring(content).find_class("o_crm_envelope")

    @staticmethod
    def _text(envelope, part):
        return " ".join(envelope.find_class(part)[0].text_content().split())

    def test_partner_envelopes(self):
        """GEO-4: one envelope per partner, sender and recipient addresses."""
        envelopes = self._envelopes(
            "crm_prospection.report_partner_envelope", self.partners
        )
        self.assertEqual(len(envelopes), 2)
        sender = self._text(envelopes[0], "o_crm_envelope_sender")
        self.assertIn(self.company.name, sender)
        self.assertIn("1 Sender Street", sender)
        recipient = self._text(envelopes[0], "o_crm_envelope_recipient")
        self.assertIn("Recipient One", recipient)
        self.assertIn("Rue Royale 10", recipient)
        self.assertIn("1000 Bruxelles", recipient)
        # GEO-4: a letter abroad names the country in capitals.
        self.assertIn("BELGIUM", recipient)
        self.assertIn("Meir 2", self._text(envelopes[1], "o_crm_envelope_recipient"))

    def test_paper_format(self):
        """GEO-4: a DL envelope, 220 x 110 mm, landscape."""
        report = self.env.ref("crm_prospection.report_partner_envelope")
        paper = report.paperformat_id
        self.assertEqual(
            (paper.format, paper.page_height, paper.page_width, paper.orientation),
            ("custom", 220, 110, "Landscape"),
        )
        self.assertEqual(report.binding_model_id.model, "res.partner")

    def test_lead_envelope(self):
        """GEO-4: a lead's envelope goes to the lead's own address."""
        lead = self.env["crm.lead"].create(
            {
                "name": "Toys for Brussels",
                "type": "lead",
                "partner_name": "Brussels Toys",
                "contact_name": "Anna Lead",
                "street": "Grand-Place 1",
                "zip": "1000",
                "city": "Bruxelles",
                "country_id": self.belgium.id,
            }
        )
        (envelope,) = self._envelopes("crm_prospection.report_lead_envelope", lead)
        recipient = self._text(envelope, "o_crm_envelope_recipient")
        for expected in (
            "Brussels Toys",
            "Anna Lead",
            "Grand-Place 1",
            "1000 Bruxelles",
        ):
            self.assertIn(expected, recipient)
        self.assertIn(self.company.name, self._text(envelope, "o_crm_envelope_sender"))
