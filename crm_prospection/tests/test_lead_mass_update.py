# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from unittest.mock import patch

from markupsafe import Markup

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import CrmLeadCase, mass_update


@tagged("post_install", "-at_install")
class TestLeadMassUpdate(CrmLeadCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.leads = cls._create_leads(5)
        cls.team = cls.env["crm.team"].create({"name": "Lyon team"})
        cls.industry = cls.env["res.partner.industry"].create(
            {"name": "Public sector (mass)"}
        )
        cls.agency = cls.env["crm.agency"].create({"name": "Grenoble"})

    def test_mass_update_every_field(self):
        """LEAD-8: user, team, industry, agency and status set on every lead."""
        result = mass_update(
            self.leads,
            user_id=self.salesman_all.id,
            team_id=self.team.id,
            industry_id=self.industry.id,
            agency_id=self.agency.id,
            lead_status_id=self.status_marketing.id,
        )
        for lead in self.leads:
            self.assertEqual(lead.user_id, self.salesman_all)
            self.assertEqual(lead.team_id, self.team)
            self.assertEqual(lead.industry_id, self.industry)
            self.assertEqual(lead.agency_id, self.agency)
            self.assertEqual(lead.lead_status_id, self.status_marketing)
        self.assertIn("5 records updated", result["params"]["message"])

    def test_tracking_of_each_lead(self):
        """LEAD-8: each lead's chatter logs its own former salesperson (Odoo's
        tracking), and the new salesperson is not e-mailed once per lead."""
        before = [self.salesman, self.salesman, self.sales_manager, False, False]
        for lead, user in zip(self.leads, before, strict=True):
            lead.user_id = user
        self._end_request()
        mails = self.env["mail.mail"].search_count([])
        mass_update(self.leads, user_id=self.salesman_all.id)
        self._end_request()
        for lead, user in zip(self.leads, before, strict=True):
            tracking = lead.message_ids.tracking_value_ids.filtered(
                lambda value: value.field_id.name == "user_id"
            )
            self.assertEqual(len(tracking), 1)
            self.assertEqual(tracking.old_value_integer, user and user.id)
            self.assertEqual(tracking.new_value_integer, self.salesman_all.id)
        self.assertEqual(self.env["mail.mail"].search_count([]), mails)

    def _logged(self, lead, last):
        """The messages logged on ``lead`` after the message ``last``, as
        compared with Odoo's own tracking."""
        return [
            (
                message.message_type,
                message.subtype_id,
                message.author_id,
                message.body,
                [
                    (
                        value.field_id.name,
                        value.old_value_integer,
                        value.new_value_integer,
                        value.old_value_char,
                        value.new_value_char,
                    )
                    for value in message.tracking_value_ids.sorted("id")
                ],
            )
            for message in lead.message_ids.filtered(
                lambda message: message.id > last
            ).sorted("id")
        ]

    def test_tracking_through_message_track_overrides(self):
        """LEAD-8: the mass update's tracking is mail's own ``_message_track``:
        a module overriding it (here, one that words the note and tracks one
        more field) changes the mass update's notes as it changes a write's."""
        Lead = self.registry["crm.lead"]
        original = Lead._message_track

        def message_track(records, fields_iter, initial_values_dict):
            records._track_set_log_message(Markup("<p>Reviewed by the module</p>"))
            return original(records, fields_iter, initial_values_dict)

        self._end_request()
        last = self.env["mail.message"].search([], order="id desc", limit=1).id
        with patch.object(Lead, "_message_track", message_track):
            self.leads[0].write({"user_id": self.salesman_all.id})
            mass_update(self.leads[1:3], user_id=self.salesman_all.id)
            self._end_request()
        for lead in self.leads[:3]:
            [(_type, _subtype, _author, body, tracking)] = self._logged(lead, last)
            self.assertEqual(body, "<p>Reviewed by the module</p>")
            self.assertEqual(tracking[0][0], "user_id")
            self.assertEqual(tracking[0][2], self.salesman_all.id)
        self.assertEqual(
            self._logged(self.leads[1], last), self._logged(self.leads[0], last)
        )

    def test_tracking_same_as_odoo_write(self):
        """LEAD-8: the notes of a mass update, logged in one batch, are the ones
        Odoo's own tracked write logs: same author, subtype, body and tracking
        values, in the same order (the properties of the former team included);
        a stage the change sets (a lead without stage gets the new team's first
        one) is posted under Odoo's "Stage Changed" subtype, as Odoo posts it;
        the same followers."""
        odoo_leads = self.leads[0] | self.leads[2]
        ours = self.leads[1] | self.leads[3]
        former_team = self.env["crm.team"].create(
            {
                "name": "Team with properties",
                "lead_properties_definition": [
                    {"name": "budget", "string": "Budget", "type": "char"}
                ],
            }
        )
        self.leads[:2].write({"user_id": self.salesman.id, "team_id": former_team.id})
        self.leads[:2].write({"lead_properties": {"budget": "10 k€"}})
        self.leads[2:4].write({"user_id": self.salesman.id, "stage_id": False})
        self._end_request()
        last = self.env["mail.message"].search([], order="id desc", limit=1).id
        values = {"user_id": self.salesman_all.id, "team_id": self.team.id}
        odoo_leads.with_context(mail_auto_subscribe_no_notify=True).write(values)
        mass_update(ours, **values)
        self._end_request()

        for odoo_lead, our_lead in zip(odoo_leads, ours, strict=True):
            self.assertTrue(self._logged(odoo_lead, last))
            self.assertEqual(
                self._logged(our_lead, last), self._logged(odoo_lead, last)
            )
            self.assertEqual(
                our_lead.message_partner_ids, odoo_lead.message_partner_ids
            )
        self.assertIn(
            "Properties: Budget",
            [
                info and info["desc"]
                for info in self.leads[1].message_ids.tracking_value_ids.mapped(
                    "field_info"
                )
            ],
        )
        self.assertTrue(ours[1].stage_id)
        self.assertEqual(
            self.leads[3].message_ids.filtered("tracking_value_ids").subtype_id,
            self.env.ref("crm.mt_lead_stage"),
        )

    def test_empty_values_leave_fields_alone(self):
        """LEAD-8: only the values chosen are written."""
        self.leads[0].user_id = self.salesman
        mass_update(self.leads, industry_id=self.industry.id)
        self.assertEqual(self.leads[0].user_id, self.salesman)
        with self.assertRaisesRegex(UserError, "at least one value"):
            mass_update(self.leads)

    def test_refuses_unassignable_user(self):
        """LEAD-8, CFG-1: a user outside the groups is refused, nothing written."""
        self.company.write(
            {
                "crm_assignable_users": "groups",
                "crm_assignable_group_ids": [
                    Command.set(self.env.ref("sales_team.group_sale_salesman").ids)
                ],
            }
        )
        with self.assertRaisesRegex(UserError, "cannot be assigned to leads"):
            mass_update(
                self.leads, user_id=self.employee.id, industry_id=self.industry.id
            )
        self.assertFalse(self.leads.industry_id)

    def test_refuses_team_of_another_company(self):
        """LEAD-8: a team of another company is refused with a clear message."""
        self.leads.company_id = self.company
        foreign_team = self.env["crm.team"].create(
            {"name": "Brussels", "company_id": self.company_2.id}
        )
        with self.assertRaisesRegex(UserError, "belongs to Prospection Belgium"):
            mass_update(self.leads, team_id=foreign_team.id)
        self.assertEqual(self.leads.company_id, self.company)

    def test_refuses_lost_and_converted(self):
        """LEAD-8, STAT-4: Lost and Converted are not set by a mass update."""
        for status in (self.status_lost, self.status_converted):
            with self.assertRaisesRegex(UserError, "cannot be set by a mass update"):
                mass_update(self.leads, lead_status_id=status.id)

    def test_salesman_updates_own_leads(self):
        """LEAD-8, X-3: a salesman mass-updates the leads he may write."""
        own = (
            self.env["crm.lead"]
            .with_user(self.salesman)
            .create([{"name": f"Own {i}", "type": "lead"} for i in range(3)])
        )
        mass_update(own, lead_status_id=self.status_nurturing.id)
        self.assertEqual(own.lead_status_id, self.status_nurturing)

    def test_list_multi_edit_columns(self):
        """LEAD-8: Odoo's inline multi-edit writes the same columns in one write."""
        self.leads.write(
            {"user_id": self.salesman_all.id, "lead_status_id": self.status_sales.id}
        )
        self.assertEqual(self.leads.lead_status_id, self.status_sales)
        self.assertEqual(self.leads.user_id, self.salesman_all)
