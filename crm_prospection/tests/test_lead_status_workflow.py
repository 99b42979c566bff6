# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from ast import literal_eval

from odoo.exceptions import UserError
from odoo.tests import tagged

from ..hooks import post_init_hook
from .common import CrmLeadCase


@tagged("post_install", "-at_install")
class TestLeadStatusWorkflow(CrmLeadCase):
    def _open_leads(self):
        action = self.env.ref("crm_prospection.action_leads_open")
        return self.env["crm.lead"].search(literal_eval(action.domain))

    def _history(self):
        action = self.env.ref("crm_prospection.action_leads_history")
        return (
            self.env["crm.lead"]
            .with_context(active_test=False)
            .search(literal_eval(action.domain))
        )

    def test_new_lead_gets_lowest_open_status(self):
        """STAT-4: a new lead starts in the open status of lowest sequence."""
        lead = self._create_leads()
        self.assertEqual(lead.lead_status_id, self.status_to_process)
        self.status_marketing.sequence = 5
        self.assertEqual(self._create_leads().lead_status_id, self.status_marketing)

    def test_opportunities_carry_no_status(self):
        """STAT-5: opportunities have no lead status, also when a lead becomes one."""
        opportunity = self.env["crm.lead"].create(
            {"name": "Opp", "type": "opportunity"}
        )
        self.assertFalse(opportunity.lead_status_id)
        lead = self._create_leads()
        lead.convert_opportunity(self.env["res.partner"])
        self.assertEqual(lead.type, "opportunity")
        self.assertFalse(lead.lead_status_id)

    def test_open_leads_and_history(self):
        """STAT-3: open statuses under Leads, the others (lost included) in history."""
        unqualified = self.env["crm.lead.status"].create(
            {"name": "Unqualified", "sequence": 45, "is_open": False}
        )
        open_lead = self._create_leads()
        parked = self._create_leads(lead_status_id=unqualified.id)
        lost = self._create_leads()
        self._mark_lost(lost, self._lost_reason())
        opportunity = self.env["crm.lead"].create(
            {"name": "Opp", "type": "opportunity"}
        )

        self.assertIn(open_lead, self._open_leads())
        self.assertNotIn(parked, self._open_leads())
        history = self._history()
        self.assertIn(parked, history)
        self.assertIn(lost, history)
        self.assertNotIn(open_lead, history)
        self.assertNotIn(opportunity, history | self._open_leads())
        self.assertTrue(parked.active)

    def test_click_on_open_status(self):
        """STAT-2, STAT-5: clicking a status in the bar applies it."""
        lead = self._create_leads()
        result = lead.with_user(self.salesman_all).action_set_lead_status(
            self.status_sales.id
        )
        self.assertFalse(result)
        self.assertEqual(lead.lead_status_id, self.status_sales)

    def test_click_on_lost_asks_for_a_reason(self):
        """STAT-4: Lost opens the lost-reason dialog instead of applying at once."""
        lead = self._create_leads()
        action = lead.action_set_lead_status(self.status_lost.id)
        self.assertEqual(action["res_model"], "crm.lead.lost")
        self.assertEqual(action["context"]["default_lead_ids"], lead.ids)
        self.assertEqual(lead.lead_status_id, self.status_to_process)

    def test_lost_requires_a_reason_for_leads(self):
        """STAT-4: leads cannot be marked lost without a reason."""
        lead = self._create_leads()
        wizard = (
            self.env["crm.lead.lost"].with_context(default_lead_ids=lead.ids).create({})
        )
        self.assertTrue(wizard.requires_reason)
        with self.assertRaisesRegex(UserError, "Choose why the lead is lost"):
            wizard.action_lost_reason_apply()
        self.assertTrue(lead.active)

    def test_lost_reason_requiring_feedback(self):
        """STAT-4: a reason flagged require_feedback asks for an explanation."""
        lead = self._create_leads()
        reason = self._lost_reason("Competitor", require_feedback=True)
        with self.assertRaisesRegex(UserError, "asks for an explanation"):
            self._mark_lost(lead, reason, feedback="<p><br></p>")
        self.assertEqual(lead.lead_status_id, self.status_to_process)
        self._mark_lost(lead, reason, feedback="<p>Signed with Acme</p>")
        self.assertEqual(lead.lead_status_id, self.status_lost)

    def test_lost_archives_with_reason(self):
        """STAT-4: Lost archives the lead with its reason and probability 0."""
        lead = self._create_leads()
        reason = self._lost_reason()
        self._mark_lost(lead, reason)
        self.assertEqual(lead.lead_status_id, self.status_lost)
        self.assertFalse(lead.active)
        self.assertEqual(lead.lost_reason_id, reason)
        self.assertEqual(lead.probability, 0)
        self.assertEqual(lead.won_status, "lost")

    def test_back_from_lost_to_open_status(self):
        """STAT-3, STAT-5: choosing an open status again restores the lead."""
        lead = self._create_leads()
        self._mark_lost(lead, self._lost_reason())
        lead.action_set_lead_status(self.status_marketing.id)
        self.assertTrue(lead.active)
        self.assertFalse(lead.lost_reason_id)
        self.assertEqual(lead.lead_status_id, self.status_marketing)
        self.assertIn(lead, self._open_leads())

    def test_archive_means_lost_and_restore_reopens(self):
        """STAT-5: Odoo's archive sets Lost; restore sets the first open status."""
        lead = self._create_leads(lead_status_id=self.status_sales.id)
        lead.action_archive()
        self.assertEqual(lead.lead_status_id, self.status_lost)
        lead.action_restore()
        self.assertTrue(lead.active)
        self.assertEqual(lead.lead_status_id, self.status_to_process)
        self.assertFalse(lead.lost_reason_id)

    def test_odoo_set_lost_keeps_status_true(self):
        """STAT-5: Odoo's action_set_lost on a lead sets the Lost status."""
        lead = self._create_leads()
        reason = self._lost_reason()
        lead.action_set_lost(lost_reason_id=reason.id)
        self.assertEqual(lead.lead_status_id, self.status_lost)
        self.assertEqual(lead.lost_reason_id, reason)
        self.assertFalse(lead.active)

    def test_converted_only_through_conversion(self):
        """STAT-4, STAT-5: Converted cannot be chosen by hand, nor left."""
        lead = self._create_leads()
        with self.assertRaisesRegex(UserError, "only through the Convert button"):
            lead.action_set_lead_status(self.status_converted.id)
        with self.assertRaisesRegex(UserError, "only through the Convert button"):
            self._create_leads(lead_status_id=self.status_converted.id)
        lead._crm_mark_converted({})
        self.assertEqual(lead.lead_status_id, self.status_converted)
        self.assertTrue(lead.active)
        self.assertIn(lead, self._history())
        with self.assertRaisesRegex(UserError, "is converted"):
            lead.lead_status_id = self.status_sales
        with self.assertRaisesRegex(UserError, "is converted"):
            lead.action_archive()

    def test_status_never_empty(self):
        """STAT-5: a lead always has a status."""
        lead = self._create_leads()
        with self.assertRaisesRegex(UserError, "always has a status"):
            lead.lead_status_id = False

    def test_imported_lost_and_archived_leads(self):
        """X-4, STAT-4: importing a lost (or archived) lead stays coherent: both
        are in the history; the lost one is lost for Odoo too (probability 0),
        the archived one keeps its probability, as Odoo keeps it."""
        lost, archived = self.env["crm.lead"].create(
            [
                {"name": "Lost", "type": "lead", "lead_status_id": self.status_lost.id},
                {
                    "name": "Archived",
                    "type": "lead",
                    "active": False,
                    "probability": 15,
                },
            ]
        )
        for lead in lost | archived:
            self.assertEqual(lead.lead_status_id, self.status_lost)
            self.assertFalse(lead.active)
        self.assertEqual(lost.probability, 0)
        self.assertEqual(lost.won_status, "lost")
        self.assertEqual(archived.probability, 15)
        self.assertEqual(archived.won_status, "pending")

    def test_archive_keeps_odoos_probability_and_won(self):
        """STAT-5: Odoo's archive puts a lead in the history without losing it
        (its probability stays); a won lead archived stays won, in its status;
        moved to a won stage, a lead in Lost is active in an open status again."""
        lead, won = self._create_leads(2, probability=40)
        lead.action_archive()
        self.assertEqual(lead.lead_status_id, self.status_lost)
        self.assertEqual(lead.probability, 40)
        won.action_set_won()
        won.action_archive()
        self.assertEqual(won.won_status, "won")
        self.assertEqual(won.probability, 100)
        self.assertEqual(won.lead_status_id, self.status_to_process)
        won_stage = self.env["crm.stage"].search([("is_won", "=", True)], limit=1)
        lead.write({"stage_id": won_stage.id})
        self.assertTrue(lead.active)
        self.assertEqual(lead.lead_status_id, self.status_to_process)

    def test_merge_keeps_most_advanced_open_status(self):
        """STAT-5: merging leads keeps the most advanced open status."""
        first = self._create_leads(lead_status_id=self.status_marketing.id)
        second = self._create_leads(lead_status_id=self.status_nurturing.id)
        third = self._create_leads(lead_status_id=self.status_to_process.id)
        merged = (first | second | third).merge_opportunity(auto_unlink=False)
        self.assertEqual(merged.lead_status_id, self.status_nurturing)

    def test_kanban_columns_follow_the_list(self):
        """STAT-2, LEAD-9: the kanban shows every open status as a column under
        Leads, the others under Lead history, in sequence order."""
        call = self.env["crm.lead.status"].create({"name": "Call", "sequence": 12})
        self._create_leads()
        groups = (
            self.env["crm.lead"]
            .with_context(crm_prospection_open_statuses=True, read_group_expand=True)
            .web_read_group(
                [("type", "=", "lead"), ("lead_status_id.is_open", "=", True)],
                ["lead_status_id"],
            )["groups"]
        )
        columns = [group["lead_status_id"][0] for group in groups]
        position = columns.index
        self.assertLess(position(self.status_to_process.id), position(call.id))
        self.assertLess(position(call.id), position(self.status_marketing.id))
        self.assertNotIn(self.status_lost.id, columns)
        history_groups = (
            self.env["crm.lead"]
            .with_context(
                crm_prospection_open_statuses=False,
                active_test=False,
                read_group_expand=True,
            )
            .web_read_group(
                [("type", "=", "lead"), ("lead_status_id.is_open", "=", False)],
                ["lead_status_id"],
            )["groups"]
        )
        history_columns = {group["lead_status_id"][0] for group in history_groups}
        self.assertEqual(
            history_columns & {self.status_lost.id, self.status_converted.id},
            {self.status_lost.id, self.status_converted.id},
        )
        self.assertNotIn(self.status_to_process.id, history_columns)

    def test_salesman_moves_own_lead(self):
        """STAT-5, X-3: a salesman changes the status of his own lead."""
        lead = (
            self.env["crm.lead"]
            .with_user(self.salesman)
            .create({"name": "Mine", "type": "lead"})
        )
        lead.action_set_lead_status(self.status_nurturing.id)
        self.assertEqual(lead.lead_status_id, self.status_nurturing)


@tagged("post_install", "-at_install")
class TestInstallOnExistingLeads(CrmLeadCase):
    def test_existing_leads_get_a_status(self):
        """STAT-4: leads already there at install get the first open status, or
        Lost when archived; opportunities keep none; nothing Odoo keeps on them
        changes (an archived lead keeps its probability: Odoo does not count it
        lost) and their chatter logs nothing."""
        active, archived = self._create_leads(2, probability=30)
        archived.action_archive()
        opportunity = self.env["crm.lead"].create(
            {"name": "Opp", "type": "opportunity"}
        )
        leads = active | archived | opportunity
        self.env.flush_all()
        # As before the add-on: no status yet.
        self.env.cr.execute(
            "UPDATE crm_lead SET lead_status_id = NULL WHERE id IN %s",
            [tuple(leads.ids)],
        )
        leads.invalidate_recordset(["lead_status_id"])
        odoo_fields = ["active", "probability", "won_status", "lost_reason_id"]
        before = leads.read(odoo_fields)
        messages = leads.message_ids
        post_init_hook(self.env)
        self._end_request()
        leads.invalidate_recordset()
        self.assertEqual(active.lead_status_id, self.status_to_process)
        self.assertEqual(archived.lead_status_id, self.status_lost)
        self.assertFalse(opportunity.lead_status_id)
        self.assertEqual(leads.read(odoo_fields), before)
        self.assertEqual(archived.probability, 30)
        self.assertEqual(leads.message_ids, messages)
