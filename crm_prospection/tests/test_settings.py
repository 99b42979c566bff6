# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from lxml import etree
from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger
from odoo.tools.safe_eval import safe_eval

from ..models.crm_assignable_mixin import ASSIGNABLE_USER_DOMAIN
from .common import CrmProspectionCase

COMPANY_VALUES = {
    "crm_show_partner_description": True,
    "crm_recurring_default_duration": 24,
    "crm_close_opportunity_on_order": True,
    "crm_map_provider": "google",
}


@tagged("post_install", "-at_install")
class TestSettings(CrmProspectionCase):
    def _settings(self, company):
        return self.env["res.config.settings"].with_company(company).create({})

    def test_values_saved_per_company(self):
        """CFG-2, CFG-4, CFG-6, CFG-7, CFG-9: each value is saved per company."""
        template = self.env.ref("calendar.calendar_template_meeting_invitation")
        values = dict(COMPANY_VALUES, crm_meeting_template_id=template.id)
        self.env["res.config.settings"].with_company(self.company_2).create(
            values
        ).execute()

        reloaded = self._settings(self.company_2)
        for field, value in COMPANY_VALUES.items():
            self.assertEqual(reloaded[field], value, field)
        self.assertEqual(reloaded.crm_meeting_template_id, template)
        # A company nobody configured has the defaults.
        untouched = self._settings(self.env["res.company"].create({"name": "Fresh"}))
        self.assertFalse(untouched.crm_show_partner_description)
        self.assertFalse(untouched.crm_close_opportunity_on_order)
        self.assertEqual(untouched.crm_recurring_default_duration, 12)
        self.assertEqual(untouched.crm_map_provider, "osm")
        self.assertFalse(untouched.crm_meeting_template_id)

    def test_event_templates_limited_to_events(self):
        """CFG-6: the template pickers offer templates of events only."""
        domain = self.env["res.company"]._fields["crm_event_template_id"].domain
        templates = self.env["mail.template"].search(domain)
        self.assertTrue(templates)
        self.assertEqual(
            set(templates.mapped("model")) - {"calendar.event", "calendar.attendee"},
            set(),
        )

    def test_group_switches_apply_to_everyone(self):
        """CFG-3, CFG-5, CFG-8: switches imply their group to every internal user."""
        switches = {
            "group_crm_catalog": "crm_prospection.group_crm_catalog",
            "group_crm_agency": "crm_prospection.group_crm_agency",
            "group_partner_subsidiary": "crm_prospection.group_partner_subsidiary",
            "group_partner_delegation": "crm_prospection.group_partner_delegation",
        }
        for field, xmlid in switches.items():
            self._set_feature_group(field, True)
            self.assertTrue(self.salesman.has_group(xmlid), field)
            self.assertTrue(self._settings(self.company)[field], field)
            self._set_feature_group(field, False)
            self.salesman.invalidate_recordset()
            self.assertFalse(self.salesman.has_group(xmlid), field)

    def test_menus_follow_their_group(self):
        """CFG-3, CFG-5: Catalog types and Agencies menus show only when on."""
        Menu = self.env["ir.ui.menu"]
        agency_menu = self.env.ref("crm_prospection.menu_crm_agency")
        catalog_menu = self.env.ref("crm_prospection.menu_crm_catalog_type")
        manager_menus = Menu.with_user(self.sales_manager)

        self._set_feature_group("group_crm_agency", False)
        self._set_feature_group("group_crm_catalog", False)
        Menu.env.registry.clear_cache()
        visible = manager_menus._visible_menu_ids()
        self.assertNotIn(agency_menu.id, visible)
        self.assertNotIn(catalog_menu.id, visible)

        self._set_feature_group("group_crm_agency", True)
        self._set_feature_group("group_crm_catalog", True)
        Menu.env.registry.clear_cache()
        visible = manager_menus._visible_menu_ids()
        self.assertIn(agency_menu.id, visible)
        self.assertIn(catalog_menu.id, visible)

    def test_recurring_duration_never_negative(self):
        """CFG-4: a negative default duration is refused."""
        with (
            self.assertRaises(IntegrityError),
            mute_logger("odoo.sql_db"),
            self.cr.savepoint(),
        ):
            self.company.crm_recurring_default_duration = -1
            self.company.flush_recordset()


@tagged("post_install", "-at_install")
class TestAssignableUsers(CrmProspectionCase):
    """CFG-1 on leads, opportunities and partners."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {
                "crm_assignable_users": "groups",
                "crm_assignable_group_ids": [
                    Command.set(cls.env.ref("sales_team.group_sale_salesman").ids)
                ],
            }
        )

    def _picker_users(self, record):
        """The users the picker offers: the field's domain, on the record."""
        field = record._fields["user_id"]
        domain = safe_eval(
            field.domain,
            {
                "crm_assignable_group_ids": record.crm_assignable_group_ids.ids,
                "company_id": record.company_id.id,
            },
        )
        return self.env["res.users"].search(domain)

    def test_picker_offers_allowed_users_only(self):
        """CFG-1: the picker offers users of the chosen groups, not the others."""
        lead = self.env["crm.lead"].create({"name": "Picker", "type": "lead"})
        partner = self.env["res.partner"].create({"name": "Picker partner"})
        for record in (lead, partner):
            offered = self._picker_users(record)
            self.assertIn(self.salesman, offered)
            self.assertIn(self.sales_manager, offered)
            self.assertNotIn(self.employee, offered)

    def test_pickers_use_the_fields_domain(self):
        """CFG-1: every salesperson picker of the forms and lists (partners,
        leads, the conversion and mass update wizards) evaluates the one domain
        its field declares: no view sets a domain of its own."""
        pickers = (
            ("res.partner", "base.view_partner_form", "form", "user_id"),
            ("res.partner", "base.view_partner_tree", "list", "user_id"),
            ("crm.lead", "crm_prospection.crm_lead_view_form_lead", "form", "user_id"),
            (
                "crm.lead.convert",
                "crm_prospection.crm_lead_convert_view_form",
                "form",
                "user_id",
            ),
            (
                "crm.lead.convert",
                "crm_prospection.crm_lead_convert_view_form",
                "form",
                "opportunity_user_id",
            ),
            (
                "crm.lead.mass.update",
                "crm_prospection.crm_lead_mass_update_view_form",
                "form",
                "user_id",
            ),
        )
        for model, xmlid, view_type, name in pickers:
            with self.subTest(view=xmlid, field=name):
                Model = self.env[model]
                self.assertEqual(Model._fields[name].domain, ASSIGNABLE_USER_DOMAIN)
                views = Model.get_views([(self.env.ref(xmlid).id, view_type)])
                arch = etree.fromstring(views["views"][view_type]["arch"])
                nodes = arch.xpath(f"//field[@name='{name}']")
                self.assertTrue(nodes)
                for node in nodes:
                    self.assertIsNone(node.get("domain"))
                # The web client has what the domain needs.
                self.assertIn(
                    "crm_assignable_group_ids", views["models"][model]["fields"]
                )

    def test_all_users_offers_every_internal_user(self):
        """CFG-1: 'all users' offers every internal user, no portal user."""
        self.company.crm_assignable_users = "all"
        lead = self.env["crm.lead"].create({"name": "All", "type": "lead"})
        offered = self._picker_users(lead)
        self.assertIn(self.employee, offered)
        self.assertIn(self.salesman, offered)
        self.assertFalse(offered.filtered("share"))

    def test_outsider_refused_on_save(self):
        """CFG-1: a user outside the groups is refused with a clear message."""
        lead = self.env["crm.lead"].create(
            {"name": "Refused", "type": "opportunity", "user_id": self.salesman.id}
        )
        with self.assertRaisesRegex(ValidationError, "Eli Plain Employee cannot be"):
            lead.user_id = self.employee
        with self.assertRaisesRegex(ValidationError, "Assignable users"):
            self.env["res.partner"].create(
                {"name": "Refused partner", "user_id": self.employee.id}
            )

    def test_setting_is_per_company(self):
        """CFG-1: the other company keeps 'all users'."""
        lead = self.env["crm.lead"].create(
            {
                "name": "Belgian lead",
                "type": "lead",
                "company_id": self.company_2.id,
                "user_id": self.user_company_2.id,
            }
        )
        self.employee.company_ids |= self.company_2
        lead.user_id = self.employee
        self.assertEqual(lead.user_id, self.employee)

    def test_default_outside_leaves_field_empty(self):
        """CFG-1: a lead created by a user outside the groups is left unassigned."""
        lead = (
            self.env["crm.lead"]
            .with_user(self.sales_manager)
            .create({"name": "Mine", "type": "lead"})
        )
        self.assertEqual(lead.user_id, self.sales_manager)
        self.company.crm_assignable_group_ids = self.env.ref(
            "sales_team.group_sale_salesman_all_leads"
        ) - self.env.ref("sales_team.group_sale_manager")
        lead = (
            self.env["crm.lead"]
            .with_user(self.salesman)
            .create({"name": "Not assignable", "type": "lead"})
        )
        self.assertFalse(lead.user_id)

    def test_automatic_assignment_skips_outsiders(self):
        """CFG-1: team auto-assignment leaves leads unassigned rather than refused."""
        team = self.env["crm.team"].create({"name": "Outsiders"})
        leads = self.env["crm.lead"].create(
            [
                {"name": f"Auto {i}", "type": "opportunity", "user_id": False}
                for i in range(2)
            ]
        )
        leads._handle_salesmen_assignment(
            user_ids=(self.employee | self.salesman).ids, team_id=team.id
        )
        self.assertEqual(leads.user_id, self.salesman)
        self.assertEqual(leads.team_id, team)

    def test_contact_does_not_inherit_outsider(self):
        """CFG-1: a contact only takes its company's salesperson when allowed."""
        self.company.crm_assignable_users = "all"
        company = self.env["res.partner"].create(
            {"name": "Parent", "is_company": True, "user_id": self.employee.id}
        )
        self.company.crm_assignable_users = "groups"
        contact = self.env["res.partner"].create(
            {"name": "Child", "parent_id": company.id}
        )
        self.assertFalse(contact.user_id)
