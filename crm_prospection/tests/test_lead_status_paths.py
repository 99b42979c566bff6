# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import CrmLeadCase, convert


@tagged("post_install", "-at_install")
class TestLeadStatusPaths(CrmLeadCase):
    """STAT-4, STAT-5, CONV-5: the status rules hold on what is stored, whatever
    brought the values: the context's defaults, name_create, import, copy."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.partner = cls.env["res.partner"].create({"name": "Forged partner"})
        cls.other_lead = cls._create_leads(name="Not an opportunity")

    def _forged_contexts(self):
        return {
            "converted status": {"default_lead_status_id": self.status_converted.id},
            "converted partner": {"default_converted_partner_id": self.partner.id},
            "converted contact": {"default_converted_contact_id": self.partner.id},
            "converted into a lead": {
                "default_converted_opportunity_id": self.other_lead.id
            },
            "converted with its partner": {
                "default_lead_status_id": self.status_converted.id,
                "default_converted_partner_id": self.partner.id,
            },
        }

    def _leads_named(self, name):
        return (
            self.env["crm.lead"]
            .with_context(active_test=False)
            .search([("name", "=", name)])
        )

    @mute_logger("odoo.sql_db")
    def test_defaults_never_make_a_converted_lead(self):
        """STAT-4, CONV-5: a salesman and a manager, through create,
        name_create and the importer, get a clear refusal and no lead."""
        for user in (self.salesman, self.sales_manager):
            for label, context in self._forged_contexts().items():
                Lead = (
                    self.env["crm.lead"]
                    .with_user(user)
                    .with_context(default_type="lead", **context)
                )
                with self.subTest(user=user.login, path="create", context=label):
                    with self.assertRaises(ValidationError):
                        Lead.create({"name": "Forged", "type": "lead"})
                with self.subTest(user=user.login, path="name_create", context=label):
                    with self.assertRaises(ValidationError):
                        Lead.name_create("Forged")
                with self.subTest(user=user.login, path="load", context=label):
                    result = Lead.load(["name", "type"], [["Forged", "lead"]])
                    self.assertFalse(result["ids"])
                    self.assertEqual(result["messages"][0]["type"], "error")
                self.assertFalse(self._leads_named("Forged"))

    def test_import_refuses_a_converted_status(self):
        """STAT-4: an imported lead cannot come in Converted."""
        result = (
            self.env["crm.lead"]
            .with_user(self.sales_manager)
            .load(
                ["name", "type", "lead_status_id/id"],
                [["Imported", "lead", "crm_prospection.lead_status_converted"]],
            )
        )
        self.assertFalse(result["ids"])
        self.assertFalse(self._leads_named("Imported"))

    def test_default_lost_is_archived_without_probability(self):
        """STAT-4: a lead created Lost (e.g. in the Lost column of the history)
        is archived with a probability of 0."""
        for user in (self.salesman, self.sales_manager):
            with self.subTest(user=user.login):
                lead = (
                    self.env["crm.lead"]
                    .with_user(user)
                    .with_context(default_lead_status_id=self.status_lost.id)
                    .create({"name": "Lost at birth", "type": "lead"})
                )
                self.assertEqual(lead.lead_status_id, self.status_lost)
                self.assertFalse(lead.active)
                self.assertEqual(lead.probability, 0)

    def test_default_archived_is_lost(self):
        """STAT-3, STAT-5: a lead created archived is in the history (Lost),
        never an archived lead in To be processed."""
        for user in (self.salesman, self.sales_manager):
            with self.subTest(user=user.login):
                lead = (
                    self.env["crm.lead"]
                    .with_user(user)
                    .with_context(default_active=False)
                    .create({"name": "Archived at birth", "type": "lead"})
                )
                self.assertFalse(lead.active)
                self.assertEqual(lead.lead_status_id, self.status_lost)
                named = (
                    self.env["crm.lead"]
                    .with_user(user)
                    .with_context(default_active=False, default_type="lead")
                    .name_create("Archived by name")
                )
                named_lead = self.env["crm.lead"].browse(named[0])
                self.assertEqual(named_lead.lead_status_id, self.status_lost)

    def test_copy_of_converted_lead_is_open(self):
        """STAT-4, CONV-5: duplicating a converted lead gives an open lead,
        converted into nothing."""
        lead = self._create_leads(
            name="To convert",
            lead_status_id=self.status_sales.id,
            contact_name="Jean Dupont",
        )
        convert(lead)
        self.assertEqual(lead.lead_status_id, self.status_converted)
        copy = lead.copy()
        self.assertEqual(copy.lead_status_id, self.status_to_process)
        self.assertFalse(copy.converted_partner_id)
        self.assertFalse(copy.converted_opportunity_id)

    def test_conversion_still_sets_converted(self):
        """CONV-5: the conversion itself is not refused by the rules."""
        lead = self._create_leads(name="Converted", lead_status_id=self.status_sales.id)
        convert(lead, create_opportunity=True, opportunity_name="Its opportunity")
        self.assertEqual(lead.lead_status_id, self.status_converted)
        self.assertTrue(lead.converted_partner_id)
        self.assertEqual(lead.converted_opportunity_id.type, "opportunity")


@tagged("post_install", "-at_install")
class TestLeadStatusPathsHttp(CrmLeadCase, HttpCase):
    """STAT-4, CONV-5 over HTTP (Odoo 19's JSON-2 API, as the web client's
    create, web_save, name_create and import call it): a salesman and a manager
    create no Converted lead, whatever defaults their context carries."""

    def _json2(self, user, method, **params):
        key = (
            self.env["res.users.apikeys"]
            .with_user(user)
            .sudo()
            ._generate(None, "paths test", fields.Datetime.now() + timedelta(days=1))
        )
        return self.url_open(
            f"/json/2/crm.lead/{method}",
            json=params,
            headers={"Authorization": f"bearer {key}"},
        )

    @mute_logger("odoo.http")
    def test_every_path_refuses_a_converted_default(self):
        partner = self.env["res.partner"].create({"name": "Forged partner"})
        contexts = [
            {"default_lead_status_id": self.status_converted.id},
            {"default_converted_partner_id": partner.id},
        ]
        calls = {
            "create": {"vals_list": [{"name": "Forged", "type": "lead"}]},
            "web_save": {
                "ids": [],
                "vals": {"name": "Forged", "type": "lead"},
                "specification": {"lead_status_id": {}},
            },
            "name_create": {"name": "Forged"},
        }
        for user in (self.salesman, self.sales_manager):
            for context in contexts:
                context = dict(context, default_type="lead")
                for method, params in calls.items():
                    with self.subTest(user=user.login, method=method, ctx=context):
                        response = self._json2(user, method, context=context, **params)
                        self.assertEqual(response.status_code, 422, response.text)
                        self.assertEqual(
                            response.json()["name"], "odoo.exceptions.ValidationError"
                        )
                        self.assertIn("Convert", response.json()["message"])
                with self.subTest(user=user.login, method="load", ctx=context):
                    response = self._json2(
                        user,
                        "load",
                        fields=["name", "type"],
                        data=[["Forged", "lead"]],
                        context=context,
                    )
                    self.assertEqual(response.status_code, 200, response.text)
                    self.assertFalse(response.json()["ids"])
        self.assertFalse(
            self.env["crm.lead"]
            .with_context(active_test=False)
            .search([("name", "=", "Forged")])
        )

    def test_defaults_of_an_ordinary_status_still_work(self):
        """STAT-2: the kanban's quick create in a column (a default status) is
        not refused."""
        response = self._json2(
            self.salesman,
            "name_create",
            name="Quick",
            context={
                "default_type": "lead",
                "default_lead_status_id": self.status_marketing.id,
            },
        )
        self.assertEqual(response.status_code, 200, response.text)
        lead = self.env["crm.lead"].browse(response.json()[0])
        self.assertEqual(lead.lead_status_id, self.status_marketing)
