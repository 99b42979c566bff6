# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import tagged

from ..hooks import post_init_hook, uninstall_hook
from .common import CrmLeadCase


@tagged("post_install", "-at_install")
class TestInstallHooks(CrmLeadCase):
    """STAT-4, OPP-2: installing on a database with leads and opportunities;
    uninstalling gives Odoo's own lead entry points back."""

    def test_post_init_hook(self):
        """STAT-4, OPP-2: leads already there get the first open status (Lost when
        archived), opportunities a reference; running it again changes nothing."""
        Lead = self.env["crm.lead"].with_context(active_test=False)
        open_lead, archived_lead, opportunity = Lead.create(
            [
                {"name": "Old open lead", "type": "lead"},
                {"name": "Old archived lead", "type": "lead", "active": False},
                {"name": "Old opportunity", "type": "opportunity"},
            ]
        )
        partner = self.env["res.partner"].create({"name": "Old partner"})
        converted = self._create_leads(lead_status_id=self.status_nurturing.id)
        # As they were before the add-on: no status, no reference.
        records = open_lead | archived_lead | opportunity
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE crm_lead SET lead_status_id = NULL, opportunity_ref = NULL "
            "WHERE id IN %s",
            [tuple(records.ids)],
        )
        records.invalidate_recordset()
        self.assertFalse(records.lead_status_id)

        post_init_hook(self.env)
        records.invalidate_recordset()
        self.assertEqual(open_lead.lead_status_id, self.status_to_process)
        self.assertTrue(open_lead.active)
        self.assertEqual(archived_lead.lead_status_id, self.status_lost)
        self.assertFalse(archived_lead.active)
        self.assertFalse(opportunity.lead_status_id)
        self.assertRegex(opportunity.opportunity_ref, r"^O\d{4,}$")
        # Records that had their values keep them; partners are untouched.
        self.assertEqual(converted.lead_status_id, self.status_nurturing)
        self.assertTrue(partner.exists())

        reference = opportunity.opportunity_ref
        post_init_hook(self.env)
        records.invalidate_recordset()
        self.assertEqual(opportunity.opportunity_ref, reference)
        self.assertEqual(open_lead.lead_status_id, self.status_to_process)

    def test_uninstall_hook(self):
        """STAT-3, MAIL-1: uninstalling shows Odoo's Leads menu, its mass
        conversion and its lead e-mail template again."""
        menu = self.env.ref("crm.crm_menu_leads")
        mass_convert = self.env.ref("crm.action_crm_send_mass_convert")
        # crm's demo template: there only with crm's demo data.
        welcome = (
            self.env.ref("crm.mail_template_demo_crm_lead", raise_if_not_found=False)
            or self.env["mail.template"]
        )
        self.assertFalse(menu.active)
        self.assertFalse(mass_convert.binding_model_id)
        self.assertFalse(welcome.active)
        uninstall_hook(self.env)
        self.assertTrue(menu.active)
        self.assertEqual(welcome.mapped("active"), [True] * len(welcome))
        self.assertEqual(
            mass_convert.binding_model_id, self.env.ref("crm.model_crm_lead")
        )
