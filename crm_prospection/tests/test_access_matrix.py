# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""X-3: who may do what with what the add-on adds, as one table.

Every cell is tried for real, as that user, in a savepoint rolled back afterwards:
``Y`` the operation went through, ``N`` it was refused with an ``AccessError``,
``!Name`` any other exception (always a failure). The test compares the whole
table with ``EXPECTED`` and prints every cell that differs, then the whole table
as found, ready to paste.
"""

import base64
from datetime import timedelta
from unittest.mock import patch

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import Form, HttpCase, tagged
from odoo.tests.common import JsonRpcException, get_db_name
from odoo.tools import mute_logger

from odoo.addons.mail.tests.common import mail_new_test_user

from .common import FR_LINE, PDF, CrmLeadCase, Undo, convert, mass_update

# Columns: the sales roles, the users without sales rights, and an administrator of
# Settings (base.group_system) without sales rights.
ROLES = {
    "s": "salesman (own documents)",
    "a": "salesman (all documents)",
    "m": "sales manager",
    "e": "internal user without sales rights",
    "p": "portal user",
    "u": "public user",
    "x": "settings administrator without sales rights",
}
OPERATIONS = ("read", "create", "write", "unlink")
START, STOP = "2026-06-01 09:00:00", "2026-06-01 10:00:00"

# Model (or extended model: the fields the add-on adds) -> one string per operation
# (read, create, write, unlink), one letter per role in the order of ROLES.
# "-": not applicable.
EXPECTED_MODELS = {
    #                               s a m e p u x
    "crm.lead.status": ("YYYYNNY", "NNYNNNN", "NNYNNNN", "NNYNNNN"),
    "crm.agency": ("YYYYNNY", "NNYNNNY", "NNYNNNY", "NNYNNNY"),
    "crm.region": ("YYYYNNY", "NNYNNNY", "NNYNNNY", "NNYNNNY"),
    "crm.catalog.type": ("YYYYNNY", "NNYNNNN", "NNYNNNN", "NNYNNNN"),
    "crm.catalog": ("YYYNNNN", "NNYNNNN", "NNYNNNN", "NNYNNNN"),
    "res.partner.delegation": ("YYYYNNY", "YYYNNNN", "YYYNNNN", "YYYNNNN"),
    "crm.lead (own lead)": ("YYYNNNN", "YYYNNNN", "YYYNNNN", "NNYNNNN"),
    "crm.lead (another salesman's)": ("NYYNNNN", "-------", "NYYNNNN", "NNYNNNN"),
    "res.partner (added fields)": ("YYYYNNY", "YYYNNNY", "YYYNNNY", "NNNNNNY"),
    "calendar.event (added fields)": ("YYYYNNY", "YYYYNNY", "YYYYNNY", "YYYYNNY"),
}
# Wizard or server-side action -> one letter per role: could that user run it?
EXPECTED_ACTIONS = {
    #                                                  s a m e p u x
    "crm.lead.convert: action_convert": "YYYNNNN",
    "crm.lead.mass.update: action_apply": "YYYNNNN",
    "crm.pipeline.tracking: counts and lists": "YYYNNNN",
    "crm.city.import: action_import": "NNNNNNY",
    "crm.email.wizard: action_compose": "YYYNNNN",
    "crm.lead.lost: action_lost_reason_apply": "YYYNNNN",
    "crm.lead: action_convert": "YYYNNNN",
    "crm.lead: action_set_lead_status": "YYYNNNN",
    "crm.lead: action_crm_view_events": "YYYNNNN",
    "calendar.event: action_crm_done": "YYYYNNY",
    "crm.catalog: send by e-mail": "YYYNNNN",
    "crm.partner.map: get_map_data": "YYYYNNY",
    "res.partner: action_crm_view_events": "YYYYNNY",
    "server action: Geolocate": "YYYNNNN",
    "report: partner envelope": "YYYYNNY",
    "report: lead envelope": "YYYNNNN",
}


@tagged("post_install", "-at_install")
class TestAccessMatrix(CrmLeadCase):
    """X-3: access rights and record rules of every model, field set, wizard and
    action the add-on adds, for each sales role, internal users without sales
    rights, portal and public users."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.customer = env["res.partner"].create(
            {
                "name": "Matrix Customer SA",
                "is_company": True,
                "is_prospect": True,
                "lead_score": "3",
                "city": "Lyon",
                "country_id": env.ref("base.fr").id,
                "partner_latitude": 45.76,
                "partner_longitude": 4.83,
            }
        )
        cls.supplier = env["res.partner"].create(
            {"name": "Matrix Head Office", "is_company": True}
        )
        cls.portal = mail_new_test_user(
            env,
            login="cp_portal",
            name="Pat Portal",
            groups="base.group_portal",
            parent_id=cls.customer.id,
        )
        cls.public = env.ref("base.public_user")
        cls.settings_admin = mail_new_test_user(
            env,
            login="cp_settings",
            name="Sid Settings",
            groups="base.group_system",
            company_id=cls.company.id,
        )
        cls.users = {
            "s": cls.salesman,
            "a": cls.salesman_all,
            "m": cls.sales_manager,
            "e": cls.employee,
            "p": cls.portal,
            "u": cls.public,
            "x": cls.settings_admin,
        }
        cls.status = env["crm.lead.status"].create(
            {"name": "Matrix status", "sequence": 35}
        )
        cls.agency = env["crm.agency"].create(
            {"name": "Matrix agency", "company_id": cls.company.id}
        )
        cls.region = env["crm.region"].create(
            {"name": "Matrix region", "country_id": env.ref("base.fr").id}
        )
        cls.catalog_type = env["crm.catalog.type"].create({"name": "Matrix type"})
        cls.catalog = env["crm.catalog"].create(
            {
                "name": "Matrix catalog",
                "catalog_type_id": cls.catalog_type.id,
                "pdf_file": base64.b64encode(PDF),
                "pdf_filename": "matrix.pdf",
            }
        )
        cls.delegation = env["res.partner.delegation"].create(
            {
                "partner_id": cls.customer.id,
                "delegate_id": cls.supplier.id,
                "delegation_type": "invoicing",
            }
        )
        cls.own_lead, cls.other_lead = env["crm.lead"].create(
            [
                {
                    "name": "Matrix lead",
                    "type": "lead",
                    "partner_name": "Matrix Lead SARL",
                    "contact_name": "Lou Matrix",
                    "email_from": "lou@matrix-lead.example.com",
                    "street": "1 rue du Test",
                    "city": "Lyon",
                    "user_id": cls.salesman.id,
                    "lead_status_id": cls.status_sales.id,
                },
                {
                    "name": "Matrix lead of another salesman",
                    "type": "lead",
                    "user_id": cls.salesman_all.id,
                    "lead_status_id": cls.status_sales.id,
                },
            ]
        )
        cls.event = env["calendar.event"].create(
            {
                "name": "Matrix meeting",
                "start": START,
                "stop": STOP,
                "opportunity_id": cls.own_lead.id,
                "user_id": cls.salesman.id,
                "partner_ids": [
                    Command.set((cls.portal | cls.salesman).partner_id.ids)
                ],
            }
        )
        cls.lost_reason = cls._lost_reason("Matrix reason")

    # ------------------------------------------------------------------
    # What each cell does
    # ------------------------------------------------------------------

    def _model_specs(self):
        """Model -> (record, fields read, values created, values written)."""
        Status = self.status_nurturing
        return {
            "crm.lead.status": (
                self.status,
                ["name", "sequence", "is_open", "code", "allow_conversion"],
                {"name": "Matrix new status"},
                {"name": "Matrix renamed status"},
            ),
            "crm.agency": (
                self.agency,
                ["name", "code", "company_id", "user_ids"],
                {"name": "Matrix new agency", "company_id": self.company.id},
                {"code": "MTX"},
            ),
            "crm.region": (
                self.region,
                ["name", "code", "country_id", "state_ids"],
                {"name": "Matrix new region", "country_id": self.region.country_id.id},
                {"code": "MTX"},
            ),
            "crm.catalog.type": (
                self.catalog_type,
                ["name", "sequence"],
                {"name": "Matrix new type"},
                {"sequence": 5},
            ),
            "crm.catalog": (
                self.catalog,
                ["name", "catalog_type_id", "pdf_filename", "description"],
                {
                    "name": "Matrix new catalog",
                    "pdf_file": base64.b64encode(PDF),
                    "pdf_filename": "new.pdf",
                },
                {"description": "Updated"},
            ),
            "res.partner.delegation": (
                self.delegation,
                ["partner_id", "delegate_id", "delegation_type"],
                {
                    "partner_id": self.customer.id,
                    "delegate_id": self.supplier.id,
                    "delegation_type": "delivery",
                },
                {"delegation_type": "payment"},
            ),
            "crm.lead (own lead)": (
                self.own_lead,
                [
                    "lead_status_id",
                    "first_name",
                    "lead_score",
                    "agency_id",
                    "date_next_event",
                    "converted_partner_id",
                ],
                {"name": "Matrix new lead", "type": "lead", "lead_score": "2"},
                {"lead_status_id": Status.id, "lead_score": "4"},
            ),
            "crm.lead (another salesman's)": (
                self.other_lead,
                ["lead_status_id", "lead_score", "date_next_event"],
                None,
                {"lead_status_id": Status.id, "lead_score": "4"},
            ),
            "res.partner (added fields)": (
                self.customer,
                [
                    "is_prospect",
                    "lead_score",
                    "agency_id",
                    "is_key_account",
                    "do_not_call",
                    "date_next_event",
                ],
                {"name": "Matrix new partner", "is_prospect": True, "lead_score": "1"},
                {"lead_score": "5", "is_key_account": True},
            ),
            "calendar.event (added fields)": (
                self.event,
                # Not crm_state: guests see whether the event they attend took
                # place, as Odoo shows them the event itself.
                [
                    "crm_event_type",
                    "crm_priority",
                    "call_direction",
                    "crm_reminder_date",
                ],
                {
                    "name": "Matrix new call",
                    "start": START,
                    "stop": STOP,
                    "crm_event_type": "call",
                    "crm_priority": "high",
                },
                {"crm_priority": "urgent", "call_direction": "inbound"},
            ),
        }

    def _model_operation(self, env, spec, operation):
        record, read_fields, create_values, write_values = spec
        Model = env[record._name]
        if operation == "read":
            Model.browse(record.id).read(read_fields)
        elif operation == "create":
            Model.create(create_values)
        elif operation == "write":
            Model.browse(record.id).write(write_values)
        else:
            Model.browse(record.id).unlink()

    def _actions(self):
        """Action -> function of the user's environment that runs it."""
        lead_ids = self.own_lead.ids

        def convert_lead(env):
            convert(env["crm.lead"].browse(lead_ids), create_opportunity=True)

        def mass_update_lead(env):
            mass_update(
                env["crm.lead"].browse(lead_ids),
                lead_status_id=self.status_nurturing.id,
            )

        def pipeline_tracking(env):
            wizard = env["crm.pipeline.tracking"].create({"target": "lead"})
            wizard.read(["record_count", "opportunity_count", "event_count"])
            wizard.action_open_records()
            wizard.action_open_events()

        def city_import(env):
            env["crm.city.import"].create(
                {
                    "mode": "file",
                    "file": base64.b64encode(FR_LINE.encode()),
                    "filename": "FR.txt",
                }
            ).action_import()

        def email(env):
            env["crm.email.wizard"].create(
                {"res_model": "crm.lead", "res_id": lead_ids[0], "lang": "en_US"}
            ).action_compose()

        def lost(env):
            env["crm.lead.lost"].with_context(default_lead_ids=lead_ids).create(
                {"lost_reason_id": self.lost_reason.id}
            ).action_lost_reason_apply()

        def send_catalog(env):
            action = env["crm.catalog"].browse(self.catalog.id).action_send_by_email()
            composer = Form(
                env["mail.compose.message"].with_context(**action["context"])
            )
            composer.partner_ids.add(self.customer)
            composer.save().action_send_mail()

        def geolocate(env):
            action = env.ref("crm_prospection.action_partner_geolocate")
            action.with_env(env).with_context(
                active_model="res.partner", active_ids=self.customer.ids
            ).run()

        def envelope(report, record):
            def render(env):
                env["ir.actions.report"]._render_qweb_html(report, record.ids)

            return render

        return {
            "crm.lead.convert: action_convert": convert_lead,
            "crm.lead.mass.update: action_apply": mass_update_lead,
            "crm.pipeline.tracking: counts and lists": pipeline_tracking,
            "crm.city.import: action_import": city_import,
            "crm.email.wizard: action_compose": email,
            "crm.lead.lost: action_lost_reason_apply": lost,
            "crm.lead: action_convert": lambda env: (
                env["crm.lead"].browse(lead_ids).action_convert()
            ),
            "crm.lead: action_set_lead_status": lambda env: (
                env["crm.lead"]
                .browse(lead_ids)
                .action_set_lead_status(self.status_nurturing.id)
            ),
            "crm.lead: action_crm_view_events": lambda env: (
                env["crm.lead"].browse(lead_ids).action_crm_view_events()
            ),
            "calendar.event: action_crm_done": lambda env: (
                env["calendar.event"].browse(self.event.id).action_crm_done()
            ),
            "crm.catalog: send by e-mail": send_catalog,
            "crm.partner.map: get_map_data": lambda env: env[
                "crm.partner.map"
            ].get_map_data(),
            "res.partner: action_crm_view_events": lambda env: (
                env["res.partner"].browse(self.customer.id).action_crm_view_events()
            ),
            "server action: Geolocate": geolocate,
            "report: partner envelope": envelope(
                "crm_prospection.report_partner_envelope", self.customer
            ),
            "report: lead envelope": envelope(
                "crm_prospection.report_lead_envelope", self.own_lead
            ),
        }

    def _attempt(self, user, function):
        """``Y``, ``N`` (AccessError) or ``!Exception`` for one cell."""
        env = self.env(user=user, context=dict(self.env.context, lang="en_US"))
        try:
            with self.env.cr.savepoint():
                function(env)
                env.flush_all()
                raise Undo
        except Undo:
            return "Y"
        except AccessError:
            return "N"
        except Exception as error:  # noqa: BLE001 - reported in the table
            return f"!{type(error).__name__}: {error}".splitlines()[0][:120]

    def _row(self, function):
        return [self._attempt(user, function) for user in self.users.values()]

    @staticmethod
    def _letters(cells):
        return "".join(cell if len(cell) == 1 else "!" for cell in cells)

    def _compare(self, title, expected, found):
        """Fail with every differing cell and the whole table found."""
        differences = []
        for (name, column), want in expected.items():
            got = found[name, column]
            for role, want_cell, got_cell in zip(ROLES, want, got, strict=True):
                if want_cell != "-" and want_cell != got_cell:
                    differences.append(
                        f"  {name} / {column} / {ROLES[role]}: expected "
                        f"{want_cell}, found {got_cell}"
                    )
        if differences:
            table = "\n".join(
                f"  {name} / {column}: {self._letters(found[name, column])}"
                for name, column in expected
            )
            self.fail(
                f"{title}: {len(differences)} cell(s) differ:\n"
                + "\n".join(differences)
                + f"\nTable found (roles {''.join(ROLES)}):\n{table}"
            )

    # ------------------------------------------------------------------
    # Tests
    # ------------------------------------------------------------------

    def test_models(self):
        """X-3: read / create / write / unlink of every model the add-on adds and
        of the fields it adds to leads, partners and events, per role; portal and
        public users read nothing of the add-on's."""
        expected, found = {}, {}
        for name, spec in self._model_specs().items():
            for operation, letters in zip(
                OPERATIONS, EXPECTED_MODELS[name], strict=True
            ):
                if set(letters) == {"-"}:
                    continue
                expected[name, operation] = letters
                found[name, operation] = self._row(
                    lambda env, spec=spec, operation=operation: self._model_operation(
                        env, spec, operation
                    )
                )
        self.assertEqual(len(expected), 39)
        self._compare("Models", expected, found)

    def test_actions(self):
        """X-3, CONV-1, LEAD-8, PIPE-1, GEO-2, GEO-3, GEO-4, MAIL-1, CAT-1: the
        wizards and actions run for the roles allowed to, and are refused to the
        others (city import: settings administrators only)."""
        actions = self._actions()
        self.assertEqual(set(actions), set(EXPECTED_ACTIONS))
        expected, found = {}, {}
        # No request leaves the test: geolocation answers "not found".
        with patch.object(
            type(self.env["base.geocoder"]), "geo_find", return_value=None
        ):
            for name, function in actions.items():
                expected[name, "run"] = EXPECTED_ACTIONS[name]
                found[name, "run"] = self._row(function)
        self._compare("Actions", expected, found)


@tagged("post_install", "-at_install")
class TestLeadAccess(CrmLeadCase):
    """X-3 on leads: own documents, all documents, manager."""

    def test_own_documents_only(self):
        """X-3: a salesman (own documents) sees his and unassigned leads only."""
        mine = self._create_leads(user_id=self.salesman.id)
        others = self._create_leads(user_id=self.salesman_all.id)
        unassigned = self._create_leads(user_id=False)
        visible = (
            self.env["crm.lead"]
            .with_user(self.salesman)
            .search([("id", "in", (mine | others | unassigned).ids)])
        )
        self.assertEqual(visible, mine | unassigned)
        with self.assertRaises(AccessError):
            others.with_user(self.salesman).write(
                {"lead_status_id": self.status_sales.id}
            )

    def test_all_documents(self):
        """X-3: a salesman (all documents) works on every lead."""
        others = self._create_leads(user_id=self.salesman.id)
        others.with_user(self.salesman_all).write(
            {"lead_status_id": self.status_nurturing.id}
        )
        self.assertEqual(others.lead_status_id, self.status_nurturing)

    def test_statuses_configured_by_managers_only(self):
        """X-3: only sales managers configure statuses and lost reasons."""
        with self.assertRaises(AccessError):
            self.env["crm.lead.status"].with_user(self.salesman_all).create(
                {"name": "X"}
            )
        status = (
            self.env["crm.lead.status"]
            .with_user(self.sales_manager)
            .create({"name": "Qualification call", "sequence": 15})
        )
        self.assertTrue(status)

    def test_multi_company_leads(self):
        """X-3: leads of another company stay out of reach."""
        foreign = self._create_leads(company_id=self.company_2.id, user_id=False)
        visible = (
            self.env["crm.lead"]
            .with_user(self.salesman_all)
            .search([("id", "=", foreign.id)])
        )
        self.assertFalse(visible)


@tagged("post_install", "-at_install")
class TestAccessRpc(CrmLeadCase, HttpCase):
    """X-3 through Odoo's external APIs: what the matrix refuses is refused over
    HTTP too, with the error of the API (JSON-2 with API keys, JSON-RPC with a
    password, the web client's call_kw with a session)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.own_lead, cls.other_lead = cls._create_leads(
            2, lead_status_id=cls.status_sales.id
        )
        cls.own_lead.user_id = cls.salesman
        cls.other_lead.user_id = cls.salesman_all
        cls.customer = cls.env["res.partner"].create(
            {"name": "RPC Customer SA", "is_company": True, "lead_score": "4"}
        )
        cls.portal = mail_new_test_user(
            cls.env,
            login="cp_portal_rpc",
            name="Pia Portal",
            groups="base.group_portal",
            parent_id=cls.customer.id,
        )

    def _api_key(self, user):
        expiration = fields.Datetime.now() + timedelta(days=1)
        return (
            self.env["res.users.apikeys"]
            .with_user(user)
            .sudo()
            ._generate(None, "crm_prospection access test", expiration)
        )

    def _json2(self, user, model, method, **params):
        headers = {"Authorization": f"bearer {self._api_key(user)}"} if user else {}
        return self.url_open(f"/json/2/{model}/{method}", json=params, headers=headers)

    def _assert_refused(self, response, status=403, error="AccessError"):
        self.assertEqual(response.status_code, status, response.text)
        if error:
            self.assertEqual(response.json()["name"], f"odoo.exceptions.{error}")

    @mute_logger("odoo.http")
    def test_json2_refusals(self):
        """X-3, LEAD-8, GEO-2, STAT-5: JSON-2 refuses the mass update to a user
        without sales rights, another salesman's lead to a salesman (own
        documents), the city import to a sales manager, anything without a key."""
        response = self._json2(
            self.employee,
            "crm.lead.mass.update",
            "create",
            vals_list=[
                {
                    "lead_ids": [Command.set(self.own_lead.ids)],
                    "lead_status_id": self.status_nurturing.id,
                }
            ],
        )
        self._assert_refused(response)
        response = self._json2(
            self.salesman,
            "crm.lead",
            "action_set_lead_status",
            ids=self.other_lead.ids,
            status_id=self.status_nurturing.id,
        )
        self._assert_refused(response)
        response = self._json2(
            self.sales_manager,
            "crm.city.import",
            "create",
            vals_list=[{"mode": "file", "filename": "FR.txt"}],
        )
        self._assert_refused(response)
        response = self._json2(
            None, "crm.lead.status", "search_read", domain=[], fields=["name"]
        )
        self._assert_refused(response, status=401, error=None)
        (self.own_lead | self.other_lead).invalidate_recordset()
        self.assertEqual(self.own_lead.lead_status_id, self.status_sales)
        self.assertEqual(self.other_lead.lead_status_id, self.status_sales)

    def test_json2_allowed(self):
        """X-3, STAT-2: the same call on the salesman's own lead goes through."""
        response = self._json2(
            self.salesman,
            "crm.lead",
            "action_set_lead_status",
            ids=self.own_lead.ids,
            status_id=self.status_nurturing.id,
        )
        self.assertEqual(response.status_code, 200, response.text)
        self.own_lead.invalidate_recordset()
        self.assertEqual(self.own_lead.lead_status_id, self.status_nurturing)

    @mute_logger("odoo.http", "odoo.addons.rpc.controllers.jsonrpc")
    def test_jsonrpc_conversion_refused(self):
        """X-3, CONV-1: the external JSON-RPC API refuses the conversion wizard to
        an internal user without sales rights."""
        with self.assertRaises(JsonRpcException) as refusal:
            self.make_jsonrpc_request(
                "/jsonrpc",
                {
                    "service": "object",
                    "method": "execute_kw",
                    "args": [
                        get_db_name(),
                        self.employee.id,
                        self.employee.login,
                        "crm.lead.convert",
                        "create",
                        [{"lead_ids": [Command.set(self.own_lead.ids)]}],
                    ],
                },
            )
        self.assertEqual(refusal.exception.args[0], "odoo.exceptions.AccessError")
        self.assertFalse(self.own_lead.converted_partner_id)

    @mute_logger("odoo.http")
    def test_portal_session_reads_nothing(self):
        """X-3: a portal user's session reads neither the statuses nor the
        prospecting fields of its own company, nor the customers map."""
        self.authenticate(self.portal.login, self.portal.login)
        calls = [
            ("crm.lead.status", "search_read", [[], ["name"]]),
            ("res.partner", "read", [self.customer.ids, ["lead_score"]]),
            ("crm.partner.map", "get_map_data", []),
            ("crm.lead", "search_read", [[], ["name"]]),
        ]
        for model, method, args in calls:
            with self.subTest(model=model, method=method):
                with self.assertRaises(JsonRpcException) as refusal:
                    self.make_jsonrpc_request(
                        f"/web/dataset/call_kw/{model}/{method}",
                        {"model": model, "method": method, "args": args, "kwargs": {}},
                    )
                self.assertEqual(
                    refusal.exception.args[0], "odoo.exceptions.AccessError"
                )
        # Its own company's name stays readable, as in Odoo.
        names = self.make_jsonrpc_request(
            "/web/dataset/call_kw/res.partner/read",
            {
                "model": "res.partner",
                "method": "read",
                "args": [self.customer.ids, ["name"]],
                "kwargs": {},
            },
        )
        self.assertEqual(names[0]["name"], "RPC Customer SA")
