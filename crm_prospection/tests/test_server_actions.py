# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import CrmLeadCase


@tagged("post_install", "-at_install")
class TestServerActions(CrmLeadCase):
    """CONV-1, CONV-6, LEAD-8: the leads' Action menu runs server actions, the
    add-on's own and the "Update Record" ones a consultant adds without code."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.qualified = cls._create_leads(
            2, lead_status_id=cls.status_sales.id, user_id=cls.salesman_all.id
        )
        cls.new_lead = cls._create_leads(
            lead_status_id=cls.status_to_process.id, user_id=cls.salesman_all.id
        )

    def _run(self, xmlid, leads, user=None):
        action = self.env.ref(xmlid)
        self.assertEqual(action.binding_model_id.model, "crm.lead")
        self.assertIn("list", action.binding_view_types)
        self.assertIn("form", action.binding_view_types)
        action = action.with_user(user or self.salesman_all)
        return action.with_context(
            active_model="crm.lead", active_ids=leads.ids, active_id=leads[:1].id
        ).run()

    def test_convert_opens_the_wizard_on_the_selected_leads(self):
        """CONV-1, CONV-6: Convert opens the conversion of the selected leads; a
        single lead not qualified yet is refused at once."""
        result = self._run("crm_prospection.action_server_lead_convert", self.qualified)
        self.assertEqual(result["res_model"], "crm.lead.convert")
        wizard = (
            self.env["crm.lead.convert"]
            .with_user(self.salesman_all)
            .with_context(**result["context"])
            .new({})
        )
        self.assertEqual(wizard.lead_ids._origin, self.qualified)
        with self.assertRaisesRegex(UserError, "Sales qualification"):
            self._run("crm_prospection.action_server_lead_convert", self.new_lead)
        # A batch opens all the same: the wizard names the leads it cannot convert.
        result = self._run(
            "crm_prospection.action_server_lead_convert",
            self.qualified | self.new_lead,
        )
        self.assertEqual(
            result["context"]["default_lead_ids"], (self.qualified | self.new_lead).ids
        )

    def test_mass_update_opens_the_wizard_on_the_selected_leads(self):
        """LEAD-8: Mass update opens the wizard on the selected leads."""
        leads = self.qualified | self.new_lead
        result = self._run("crm_prospection.action_server_lead_mass_update", leads)
        self.assertEqual(result["res_model"], "crm.lead.mass.update")
        wizard = (
            self.env["crm.lead.mass.update"]
            .with_user(self.salesman_all)
            .with_context(**result["context"])
            .create({"user_id": self.salesman.id})
        )
        self.assertEqual(wizard.lead_ids, leads)
        wizard.action_apply()
        self.assertEqual(leads.user_id, self.salesman)

    def test_wizard_actions_are_no_longer_bound(self):
        """The Action menu shows each entry once: the wizards' own actions are not
        bound to leads any more."""
        bindings = self.env["ir.actions.actions"]._get_bindings("crm.lead")["action"]
        names = [binding["name"] for binding in bindings]
        self.assertEqual(names.count("Convert"), 1)
        self.assertEqual(names.count("Mass update"), 1)
        self.assertNotIn("Convert lead", names)

    def test_update_record_action_made_without_code(self):
        """LEAD-8: an "Update Record" server action made in the interface sets a
        value on every selected lead, through the status rules (a converted lead
        keeps its status)."""
        action = self.env["ir.actions.server"].create(
            {
                "name": "Set to Nurturing (test)",
                "model_id": self.env["ir.model"]._get_id("crm.lead"),
                "binding_model_id": self.env["ir.model"]._get_id("crm.lead"),
                "state": "object_write",
                "update_path": "lead_status_id",
                "evaluation_type": "value",
                "value": str(self.status_nurturing.id),
            }
        )
        action.with_user(self.salesman_all).with_context(
            active_model="crm.lead", active_ids=self.qualified.ids
        ).run()
        self.assertEqual(self.qualified.lead_status_id, self.status_nurturing)
        self.assertEqual(self.new_lead.lead_status_id, self.status_to_process)
        converted = self._create_leads(user_id=self.salesman_all.id)
        converted._crm_mark_converted({})
        with self.assertRaisesRegex(UserError, "is converted"):
            action.with_context(active_model="crm.lead", active_ids=converted.ids).run()

    def test_demo_update_record_actions(self):
        """LEAD-8: the demo's two mass updates made without code do what their
        names say on the selected leads."""
        nurturing = self.env.ref(
            "crm_prospection.action_server_lead_set_nurturing",
            raise_if_not_found=False,
        )
        if not nurturing:
            self.skipTest("demo data not loaded")
        # A "Multi Actions" of "Update Record" ones (and their notification).
        self.assertEqual(nurturing.state, "multi")
        self.assertIn("object_write", nurturing.child_ids.mapped("state"))
        self._run("crm_prospection.action_server_lead_set_nurturing", self.qualified)
        self.assertEqual(self.qualified.lead_status_id, self.status_nurturing)
        self.assertEqual(self.new_lead.lead_status_id, self.status_to_process)
        lyon = self.env.ref("crm_prospection.agency_lyon")
        self._run(
            "crm_prospection.action_server_lead_set_agency_lyon",
            self.qualified | self.new_lead,
        )
        self.assertEqual((self.qualified | self.new_lead).agency_id, lyon)
