# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from lxml import etree

from odoo.tests import tagged

from .common import CrmLeadCase


@tagged("post_install", "-at_install")
class TestLabels(CrmLeadCase):
    """LEAD-8, MAIL-2, PIPE-2, GEO-2, PART-3, X-1 (issue 26, items 6 and 7): what
    the menus, lists and demo actions say and do."""

    def _run_demo_action(self, xmlid, leads):
        action = self.env.ref(xmlid, raise_if_not_found=False)
        if not action:
            self.skipTest("demo data not loaded")
        return (
            action.with_user(self.salesman_all)
            .with_context(
                active_model="crm.lead", active_ids=leads.ids, active_id=leads[:1].id
            )
            .run()
        )

    def test_set_to_nurturing_ticks_the_box_and_says_so(self):
        """LEAD-8: the demo's "Set to Nurturing" sets the status and ticks the
        Nurturing box of every selected lead, then notifies the user."""
        leads = self._create_leads(
            2, lead_status_id=self.status_sales.id, user_id=self.salesman_all.id
        )
        result = self._run_demo_action(
            "crm_prospection.action_server_lead_set_nurturing", leads
        )
        self.assertEqual(leads.lead_status_id, self.status_nurturing)
        self.assertEqual(leads.mapped("is_nurturing"), [True, True])
        self.assertEqual(result["tag"], "display_notification")
        self.assertIn("Set to Nurturing", result["params"]["message"])

    def test_assign_to_lyon_says_so(self):
        """LEAD-8: the demo's "Assign to the Lyon agency" notifies the user."""
        leads = self._create_leads(2, user_id=self.salesman_all.id)
        result = self._run_demo_action(
            "crm_prospection.action_server_lead_set_agency_lyon", leads
        )
        self.assertEqual(leads.agency_id, self.env.ref("crm_prospection.agency_lyon"))
        self.assertEqual(result["tag"], "display_notification")

    def test_one_analysis_menu_for_the_leads_report(self):
        """PIPE-2: CRM › Reporting has one menu for the leads' analysis, the
        add-on's; crm's own "Leads" report menu, the same report, is hidden."""
        visible = (
            self.env["ir.ui.menu"].with_user(self.sales_manager)._visible_menu_ids()
        )
        self.assertIn(self.env.ref("crm_prospection.menu_crm_report_leads").id, visible)
        self.assertNotIn(
            self.env.ref("crm.crm_opportunity_report_menu_lead").id, visible
        )

    def test_sent_email_is_typed_as_an_email(self):
        """MAIL-2: a sent e-mail in the e-mails tab is typed as an e-mail, not
        with mail's "Comment"."""
        lead = self._create_leads(email_from="camille@example.com")
        lead.message_post(
            body="Our offer",
            subject="Offer",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self.assertEqual(lead.crm_email_message_ids.crm_email_kind, "sent")
        arch = etree.fromstring(
            self.env["mail.message"].get_view(
                self.env.ref("crm_prospection.mail_message_view_list_crm_tab").id
            )["arch"]
        )
        self.assertTrue(arch.xpath("//field[@name='crm_email_kind']"))
        self.assertFalse(arch.xpath("//field[@name='message_type']"))

    def test_lists_use_the_interface_words(self):
        """GEO-2, PART-3, X-1: the cities' list is titled as its menu, and the columns
        say "Industry", "Origin lead" and "Zip codes of this city"."""
        menu = self.env.ref("crm_prospection.menu_crm_city")
        self.assertEqual(menu.action.name, menu.name)

        def column(model, view_xmlid, field):
            arch = etree.fromstring(
                self.env[model].get_view(self.env.ref(view_xmlid).id)["arch"]
            )
            return arch.xpath(f"//field[@name='{field}']")[0].get("string")

        self.assertEqual(
            column("crm.lead", "crm.crm_case_tree_view_oppor", "industry_id"),
            "Industry",
        )
        self.assertEqual(
            column("res.city", "base_address_extended.view_city_tree", "zip_ids"),
            "Zip codes of this city",
        )
        partner_arch = etree.fromstring(
            self.env["res.partner"].get_view(self.env.ref("base.view_partner_form").id)[
                "arch"
            ]
        )
        names = partner_arch.xpath(
            "//field[@name='origin_lead_ids']//field[@name='name']"
        )
        self.assertEqual(names[0].get("string"), "Origin lead")
