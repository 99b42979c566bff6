# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re
from datetime import date

from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from ..hooks import post_init_hook
from .common import CrmLeadCase


@tagged("post_install", "-at_install")
class TestOpportunity(CrmLeadCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.partner = cls.env["res.partner"].create(
            {
                "name": "Opp Industries",
                "is_company": True,
                "comment": "<p>Buys its catalogs every spring.</p>",
            }
        )
        cls.contact = cls.env["res.partner"].create(
            {"name": "Olga Buyer", "parent_id": cls.partner.id}
        )
        cls.product = cls.env["product.product"].create(
            {"name": "Catalog printing", "list_price": 1000, "taxes_id": False}
        )
        cls.won_stage = cls.env["crm.stage"].search([("is_won", "=", True)], limit=1)
        cls.plan_quarterly = cls.env["crm.recurring.plan"].create(
            {"name": "Every quarter", "number_of_months": 3}
        )

    @classmethod
    def _create_opportunity(cls, **values):
        return cls.env["crm.lead"].create(
            dict(
                {
                    "name": "Catalogs 2027",
                    "type": "opportunity",
                    "partner_id": cls.contact.id,
                },
                **values,
            )
        )

    def _order(self, opportunity, price=1000):
        return self.env["sale.order"].create(
            {
                "partner_id": opportunity.partner_id.id,
                "opportunity_id": opportunity.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": self.product.id,
                            "product_uom_qty": 1,
                            "price_unit": price,
                        }
                    )
                ],
            }
        )

    # ------------------------------------------------------------------
    # OPP-1: stages, several opportunities, lost
    # ------------------------------------------------------------------

    def test_several_opportunities_per_partner(self):
        """OPP-1: a partner has several opportunities, listed on its form."""
        first = self._create_opportunity()
        second = self._create_opportunity(name="Brochures 2027")
        self.assertEqual(self.partner.crm_opportunity_ids, first | second)

    def test_last_won_stage_protected(self):
        """OPP-1: stages are configurable, but the last won stage can be neither
        deleted nor unflagged; with another won stage, it can."""
        Stage = self.env["crm.stage"]
        won_stages = Stage.search([("is_won", "=", True)])
        (won_stages - self.won_stage).write({"is_won": False})
        with self.assertRaisesRegex(UserError, "last won stage"):
            self.won_stage.is_won = False
        with self.assertRaisesRegex(UserError, "last won stage"):
            self.won_stage.unlink()
        other = Stage.create({"name": "Signed", "sequence": 90, "is_won": True})
        with self.assertRaisesRegex(UserError, "last won stage"):
            (self.won_stage | other).write({"is_won": False})
        self.won_stage.write({"is_won": False, "name": "Almost won"})
        self.assertFalse(self.won_stage.is_won)
        with self.assertRaisesRegex(UserError, "Signed is the last won stage"):
            other.unlink()
        opportunity = self._create_opportunity()
        opportunity.action_set_won()
        self.assertEqual(opportunity.stage_id, other)
        self.assertEqual(opportunity.won_status, "won")

    def test_lost_opportunity(self):
        """OPP-1: an opportunity is lost the Odoo way (reason, archived, probability
        0), without a lead status, and restored from the opportunity."""
        opportunity = self._create_opportunity()
        reason = self._lost_reason("Chose a competitor")
        self._mark_lost(opportunity, reason)
        self.assertFalse(opportunity.active)
        self.assertEqual(opportunity.lost_reason_id, reason)
        self.assertEqual(opportunity.won_status, "lost")
        self.assertFalse(opportunity.lead_status_id)
        opportunity.action_restore()
        self.assertTrue(opportunity.active)
        self.assertEqual(opportunity.won_status, "pending")

    # ------------------------------------------------------------------
    # OPP-2: reference, type of need, amounts
    # ------------------------------------------------------------------

    def test_reference_from_sequence(self):
        """OPP-2: each opportunity gets the next reference (O0001…); leads get none
        until they become opportunities; a copy gets a new one; the reference finds
        the opportunity."""
        first, second = self._create_opportunity() | self._create_opportunity()
        for opportunity in first | second:
            self.assertRegex(opportunity.opportunity_ref, r"^O\d{4,}$")
        number = int(first.opportunity_ref[1:])
        self.assertEqual(second.opportunity_ref, f"O{number + 1:04d}")
        copy = first.copy()
        self.assertNotIn(copy.opportunity_ref, (False, first.opportunity_ref))
        lead = self._create_leads()
        self.assertFalse(lead.opportunity_ref)
        lead.type = "opportunity"
        self.assertRegex(lead.opportunity_ref, r"^O\d{4,}$")
        own = (
            self.env["crm.lead"]
            .with_user(self.salesman)
            .create({"name": "Own opportunity", "type": "opportunity"})
        )
        self.assertRegex(own.opportunity_ref, r"^O\d{4,}$")
        found = self.env["crm.lead"].name_search(first.opportunity_ref)
        self.assertEqual([record_id for record_id, _name in found], first.ids)

    def test_existing_opportunities_numbered_at_install(self):
        """OPP-2: opportunities already there when the add-on installs get their
        reference from the post-init hook (the sequence is loaded after them)."""
        opportunity = self._create_opportunity()
        self.env.cr.execute(
            "UPDATE crm_lead SET opportunity_ref = NULL WHERE id = %s",
            [opportunity.id],
        )
        opportunity.invalidate_recordset(["opportunity_ref"])
        post_init_hook(self.env)
        self.assertRegex(opportunity.opportunity_ref, r"^O\d{4,}$")
        self.assertFalse(
            self.env["crm.lead"]
            .with_context(active_test=False)
            .search_count(
                [("type", "=", "opportunity"), ("opportunity_ref", "=", False)]
            )
        )

    def test_reference_unique(self):
        """OPP-2: two opportunities never share a reference."""
        first, second = self._create_opportunity() | self._create_opportunity()
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            second.opportunity_ref = first.opportunity_ref
            second.flush_recordset()

    def test_need_type_and_amounts(self):
        """OPP-2: type of need, probability, best and worst cases in the company's
        currency; worst ≤ expected ≤ best."""
        opportunity = self._create_opportunity(
            need_type="renewal",
            probability=40,
            amount_worst_case=8000,
            expected_revenue=10000,
            amount_best_case=15000,
        )
        self.assertEqual(opportunity.need_type, "renewal")
        self.assertEqual(
            opportunity._fields["amount_best_case"].get_currency_field(opportunity),
            "company_currency",
        )
        self.assertEqual(opportunity.company_currency, self.env.company.currency_id)
        self.assertEqual(
            opportunity._fields["amount_worst_case"].get_currency_field(opportunity),
            "company_currency",
        )

    def test_amounts_validation(self):
        """OPP-2: no negative amount; worst case ≤ expected revenue ≤ best case,
        0 meaning "not estimated"; leads are not checked."""
        opportunity = self._create_opportunity(expected_revenue=1000)
        # 0 is "not estimated": any estimated amounts in order are accepted.
        opportunity.write({"amount_worst_case": 800, "amount_best_case": 0})
        opportunity.write({"amount_best_case": 1500})
        opportunity.write({"expected_revenue": 0})
        opportunity.write({"expected_revenue": 1500})
        for values in (
            {"amount_worst_case": 1600},
            {"amount_best_case": 1200},
            {"expected_revenue": 0, "amount_worst_case": 2000},
        ):
            with self.assertRaisesRegex(
                ValidationError, "worst case ≤ expected revenue ≤ best case"
            ):
                opportunity.write(values)
        for field_name in ("amount_worst_case", "expected_revenue", "amount_best_case"):
            with self.assertRaisesRegex(ValidationError, "cannot be negative"):
                opportunity.write({field_name: -1})
        with self.assertRaisesRegex(ValidationError, "worst case"):
            self._create_opportunity(expected_revenue=100, amount_worst_case=500)
        lead = self._create_leads(expected_revenue=100, amount_worst_case=500)
        self.assertEqual(lead.amount_worst_case, 500)
        with self.assertRaisesRegex(ValidationError, "worst case"):
            lead.type = "opportunity"

    def test_amounts_shown_and_summed(self):
        """OPP-2: the amounts are on the form and the kanban cards, summed in the
        list and in grouped reads (pivot, graph)."""
        opportunities = self._create_opportunity(
            amount_worst_case=100, expected_revenue=150, amount_best_case=200
        ) | self._create_opportunity(
            amount_worst_case=10, expected_revenue=20, amount_best_case=30
        )
        [(worst, best)] = self.env["crm.lead"]._read_group(
            [("id", "in", opportunities.ids)],
            aggregates=["amount_worst_case:sum", "amount_best_case:sum"],
        )
        self.assertEqual((worst, best), (110, 230))
        Lead = self.env["crm.lead"]
        form = Lead.get_view(self.env.ref("crm.crm_lead_view_form").id, "form")["arch"]
        for name in ("amount_worst_case", "amount_best_case", "need_type"):
            self.assertIn(f'name="{name}"', form)
        kanban = Lead.get_view(
            self.env.ref("crm.crm_case_kanban_view_leads").id, "kanban"
        )["arch"]
        self.assertIn('name="amount_best_case"', kanban)
        self.assertIn('name="amount_worst_case"', kanban)
        list_arch = Lead.get_view(
            self.env.ref("crm.crm_case_tree_view_oppor").id, "list"
        )["arch"]
        for name in ("amount_worst_case", "amount_best_case"):
            self.assertRegex(list_arch, rf'name="{name}"[^>]* sum=')

    def test_order_above_best_case(self):
        """OPP-2, OPP-5: an order confirmed above the best case raises the best case
        with the expected revenue (sale_crm), instead of failing."""
        opportunity = self._create_opportunity(
            expected_revenue=1000, amount_best_case=1200
        )
        self._order(opportunity, price=1500).action_confirm()
        self.assertEqual(opportunity.expected_revenue, 1500)
        self.assertEqual(opportunity.amount_best_case, 1500)

    # ------------------------------------------------------------------
    # OPP-3, CFG-4: recurring revenue
    # ------------------------------------------------------------------

    def test_recurring_duration_default(self):
        """OPP-3, CFG-4: a recurring revenue lasts the company's default duration,
        or the plan's months when the company has none; a duration set stays."""
        self.company.crm_recurring_default_duration = 24
        opportunity = self._create_opportunity(
            recurring_revenue=100,
            recurring_plan=self.plan_quarterly.id,
            recurring_start_date=date(2026, 1, 15),
        )
        self.assertEqual(opportunity.recurring_duration, 24)
        self.assertEqual(opportunity.recurring_end_date, date(2028, 1, 15))
        self.company.crm_recurring_default_duration = 0
        quarterly = self._create_opportunity(
            recurring_revenue=100, recurring_plan=self.plan_quarterly.id
        )
        self.assertEqual(quarterly.recurring_duration, 3)
        self.assertFalse(quarterly.recurring_end_date, "no start, no end")
        quarterly.recurring_plan = self.env["crm.recurring.plan"].create(
            {"name": "Every year", "number_of_months": 12}
        )
        self.assertEqual(quarterly.recurring_duration, 3, "a duration set stays")
        one_shot = self._create_opportunity(recurring_start_date=date(2026, 1, 1))
        self.assertFalse(one_shot.recurring_duration)
        self.assertFalse(one_shot.recurring_end_date)

    def test_recurring_dates_round_trip(self):
        """OPP-3: the end date follows start and duration; an end date set by hand
        gives the duration in months begun, and stays as set."""
        opportunity = self._create_opportunity(
            recurring_revenue=100,
            recurring_plan=self.plan_quarterly.id,
            recurring_start_date=date(2026, 1, 1),
            recurring_duration=6,
        )
        self.assertEqual(opportunity.recurring_end_date, date(2026, 7, 1))
        opportunity.recurring_end_date = date(2026, 12, 31)
        self.assertEqual(opportunity.recurring_duration, 12)
        self.assertEqual(opportunity.recurring_end_date, date(2026, 12, 31))
        opportunity.recurring_duration = 18
        self.assertEqual(opportunity.recurring_end_date, date(2027, 7, 1))
        opportunity.recurring_start_date = date(2026, 3, 1)
        self.assertEqual(opportunity.recurring_end_date, date(2027, 9, 1))
        opportunity.recurring_end_date = date(2027, 9, 1)
        self.assertEqual(opportunity.recurring_duration, 18)
        created = self._create_opportunity(
            recurring_start_date=date(2026, 1, 10),
            recurring_end_date=date(2026, 4, 10),
        )
        self.assertEqual(created.recurring_duration, 3)
        with self.assertRaisesRegex(ValidationError, "must end after it starts"):
            opportunity.recurring_end_date = date(2026, 2, 1)
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            opportunity.recurring_duration = -1
            opportunity.flush_recordset()

    def test_recurring_tab_in_form(self):
        """OPP-3, CFG-4: with recurring revenues on, the form's Recurring tab shows
        the duration following the end date as it is typed."""
        self._set_feature_group("group_use_recurring_revenues", True)
        opportunity = self._create_opportunity()
        with Form(opportunity) as form:
            form.recurring_revenue = 500
            form.recurring_plan = self.plan_quarterly
            self.assertEqual(form.recurring_duration, 12, "the company's default")
            form.recurring_start_date = date(2026, 1, 1)
            self.assertEqual(form.recurring_end_date, date(2027, 1, 1))
            form.recurring_end_date = date(2026, 9, 30)
            self.assertEqual(form.recurring_duration, 9)
            self.assertEqual(form.recurring_end_date, date(2026, 9, 30))
        self.assertEqual(opportunity.recurring_duration, 9)
        self.assertEqual(opportunity.recurring_end_date, date(2026, 9, 30))

    # ------------------------------------------------------------------
    # OPP-4, CFG-2: the customer's description
    # ------------------------------------------------------------------

    def test_customer_description(self):
        """OPP-4, CFG-2: the partner's notes and the origin lead's description are
        shown on the opportunity when its company's setting is on."""
        self.company.crm_show_partner_description = False  # demo data turns it on
        lead = self._create_leads(description="<p>Wants 5,000 catalogs.</p>")
        opportunity = self._create_opportunity(origin_lead_id=lead.id)
        self.assertIn("every spring", opportunity.partner_description)
        self.assertIn("5,000 catalogs", opportunity.origin_lead_description)
        self.assertFalse(opportunity.show_partner_description, "hidden when off")
        self.company.crm_show_partner_description = True
        opportunity.invalidate_recordset(["show_partner_description"])
        self.assertTrue(opportunity.show_partner_description)
        belgian = self._create_opportunity(
            company_id=self.company_2.id, team_id=False, user_id=False
        )
        self.assertFalse(belgian.show_partner_description, "its company decides")
        view = self.env["crm.lead"].get_view(
            self.env.ref("crm.crm_lead_view_form").id, "form"
        )["arch"]
        self.assertRegex(
            view,
            r'name="crm_customer_description"[^>]*'
            r'invisible="type == \'lead\' or not show_partner_description"',
        )

    # ------------------------------------------------------------------
    # OPP-5, CFG-7: quotations, events, closing on order
    # ------------------------------------------------------------------

    def test_quotation_and_event_at_any_stage(self):
        """OPP-5: a quotation and an event can be created from an opportunity in
        any stage, won included."""
        opportunity = self._create_opportunity()
        opportunity.action_set_won()
        action = opportunity.action_sale_quotations_new()
        self.assertEqual(action["res_model"], "sale.order")
        order = (
            self.env["sale.order"]
            .with_context(**action["context"])
            .create({"order_line": [Command.create({"product_id": self.product.id})]})
        )
        self.assertEqual(order.opportunity_id, opportunity)
        self.assertEqual(order.partner_id, self.contact)
        event_action = opportunity.with_context(
            crm_event_type="call"
        ).action_crm_new_event()
        event = (
            self.env["calendar.event"]
            .with_context(**event_action["context"])
            .create({"start": "2026-06-01 09:00:00", "stop": "2026-06-01 10:00:00"})
        )
        self.assertEqual(event.opportunity_id, opportunity)
        self.assertIn(self.contact, event.partner_ids)

    def test_close_opportunity_on_order(self):
        """CFG-7, OPP-5: with the setting on, confirming an order marks its
        opportunity won, once, with a message; cancelling an order does not."""
        self.company.crm_close_opportunity_on_order = True
        opportunity = self._create_opportunity()
        first, second = self._order(opportunity) | self._order(opportunity)
        first.action_confirm()
        self.assertEqual(opportunity.won_status, "won")
        self.assertTrue(opportunity.stage_id.is_won)
        messages = opportunity.message_ids.filtered(
            lambda message: "Won: its order" in (message.body or "")
        )
        self.assertEqual(len(messages), 1)
        self.assertIn(first.name, messages.body)
        second.action_confirm()
        self.assertEqual(
            len(
                opportunity.message_ids.filtered(
                    lambda message: "Won: its order" in (message.body or "")
                )
            ),
            1,
            "won once",
        )
        pending = self._create_opportunity(name="Posters 2027")
        cancelled = self._order(pending)
        cancelled.action_cancel()
        self.assertEqual(pending.won_status, "pending")
        lost = self._create_opportunity(name="Flyers 2027")
        lost.action_set_lost()
        self._order(lost).action_confirm()
        self.assertEqual(lost.won_status, "won", "the order proves it won")
        self.assertTrue(lost.active)

    def test_order_keeps_opportunity_open_by_default(self):
        """CFG-7: off by default, confirming an order leaves the opportunity open."""
        self.assertFalse(
            self.env["res.company"]
            .create({"name": "New Co"})
            .crm_close_opportunity_on_order
        )
        self.company.crm_close_opportunity_on_order = False
        opportunity = self._create_opportunity()
        self._order(opportunity).action_confirm()
        self.assertEqual(opportunity.won_status, "pending")

    def test_reference_shown(self):
        """OPP-2: the reference is in the list, the search and the form."""
        Lead = self.env["crm.lead"]
        search = Lead.get_view(
            self.env.ref("crm.view_crm_case_opportunities_filter").id, "search"
        )["arch"]
        self.assertIn('name="opportunity_ref"', search)
        list_arch = Lead.get_view(
            self.env.ref("crm.crm_case_tree_view_oppor").id, "list"
        )["arch"]
        self.assertTrue(re.search(r'name="opportunity_ref"', list_arch))
