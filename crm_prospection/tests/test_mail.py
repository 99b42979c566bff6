# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import CrmLeadCase

REPLY = """Return-Path: <jeanne@bolt.example>
From: Jeanne <jeanne@bolt.example>
To: catchall@example.com
Subject: Re: {subject}
Message-ID: <reply-{uid}@bolt.example>
In-Reply-To: {parent}
References: {parent}
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Thanks, see you on Monday.
"""


@tagged("post_install", "-at_install")
class TestMail(CrmLeadCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lead = cls._create_leads(
            name="Mail lead", email_from="jeanne@bolt.example", contact_name="Jeanne"
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Jeanne", "email": "jeanne@bolt.example"}
        )
        cls.template = cls.env["mail.template"].create(
            {
                "name": "Lead follow-up",
                "model_id": cls.env["ir.model"]._get_id("crm.lead"),
                "subject": "About {{ object.name }}",
                "body_html": "<p>Hello</p>",
            }
        )

    def _send_offer(self):
        """An e-mail sent from the lead to its customer."""
        return self.lead.message_post(
            body="Hello",
            subject="Offer",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            partner_ids=self.customer.ids,
        )

    def test_create_email_offers_templates_of_the_model(self):
        """MAIL-1: the templates offered are the record's model's; the composer
        opens on the record, in the chosen language."""
        action = self.lead.action_crm_create_email()
        wizard = (
            self.env["crm.email.wizard"]
            .with_context(**action["context"])
            .create({"lang": "en_US", "template_id": self.template.id})
        )
        domain = wizard._fields["template_id"].domain
        templates = self.env["mail.template"].search([("model", "=", wizard.res_model)])
        self.assertIn(self.template, templates)
        self.assertIn("res_model", domain)
        composer_action = wizard.action_compose()
        composer = (
            self.env["mail.compose.message"]
            .with_context(**composer_action["context"])
            .create({})
        )
        self.assertEqual(composer.subject, "About Mail lead")
        composer.partner_ids = self.customer
        composer.action_send_mail()
        self.assertIn(
            "About Mail lead", self.lead.crm_email_message_ids.mapped("subject")
        )

    def test_sent_emails_tab_excludes_notes(self):
        """MAIL-2: the e-mails tab lists what was sent, not internal notes."""
        self.lead.message_post(body="internal", subtype_xmlid="mail.mt_note")
        sent = self._send_offer()
        self.assertEqual(self.lead.crm_email_message_ids, sent)

    def test_do_not_email_blocks_sending(self):
        """MAIL-3: a do-not-e-mail lead or partner is never e-mailed."""
        self.lead.do_not_email = True
        with self.assertRaisesRegex(UserError, "asked not to receive e-mails"):
            self.lead.message_post(
                body="Offer",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                partner_ids=self.customer.ids,
            )
        # A note stays possible.
        self.lead.message_post(body="Called", subtype_xmlid="mail.mt_note")
        self.customer.do_not_email = True
        other = self._create_leads(name="Other lead")
        with self.assertRaisesRegex(UserError, "Jeanne asked not to"):
            other.message_post(
                body="Offer",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                partner_ids=self.customer.ids,
            )
        with self.assertRaisesRegex(UserError, "asked not to receive e-mails"):
            self.env["crm.email.wizard"].create(
                {
                    "res_model": "crm.lead",
                    "res_id": self.lead.id,
                    "lang": "en_US",
                }
            ).action_compose()

    def test_mass_mailing_skips_do_not_email(self):
        """MAIL-3: mass mailings skip the records flagged do-not-e-mail."""
        blocked = self._create_leads(name="Blocked", email_from="no@bolt.example")
        blocked.do_not_email = True
        allowed = self._create_leads(name="Allowed", email_from="yes@bolt.example")
        composer = (
            self.env["mail.compose.message"]
            .with_context(
                default_model="crm.lead",
                default_res_ids=(blocked | allowed).ids,
                default_composition_mode="mass_mail",
            )
            .create({"subject": "News", "body": "<p>News</p>"})
        )
        mails, _messages = composer._action_send_mail()
        by_record = {mail.res_id: mail for mail in mails}
        self.assertEqual(by_record[blocked.id].state, "cancel")
        self.assertEqual(by_record[blocked.id].failure_type, "mail_bl")
        self.assertNotEqual(by_record[allowed.id].state, "cancel")

    def test_replies_land_on_the_lead(self):
        """MAIL-5: a reply to an e-mail sent from a lead is attached to the lead."""
        sent = self._send_offer()
        thread_id = self.env["mail.thread"].message_process(
            "crm.lead",
            REPLY.format(subject="Offer", uid="1", parent=sent.message_id),
        )
        self.assertEqual(thread_id, self.lead.id)
        self.assertIn("see you on Monday", self.lead.message_ids[0].body)
        self.assertIn(self.lead.message_ids[0], self.lead.crm_email_message_ids)
