# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, timedelta

from odoo import fields
from odoo.tests import HttpCase, get_db_name, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from .common import CrmLeadCase, convert

START = datetime(2026, 6, 1, 9, 0)
# What a caller may put in its context: none of it changes what is allowed.
CONTEXTS = [
    {},
    {"crm_prospection_converting": True},
    {
        "crm_prospection_converting": True,
        "crm_prospection_event": True,
        "install_mode": True,
        "import_file": True,
        "tracking_disable": True,
        "mail_notrack": True,
    },
]


@tagged("post_install", "-at_install")
class TestRulesOverRpc(CrmLeadCase, HttpCase):
    """STAT-4, EVT-8: a salesman sets no lead Converted and plans no call with
    a do-not-call lead through Odoo's external APIs (JSON-2 with an API key,
    JSON-RPC with a password), whatever context he sends; the conversion's own
    way in is a private method, which no API serves."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lead = cls._create_leads(
            name="RPC lead",
            lead_status_id=cls.status_sales.id,
            user_id=cls.salesman.id,
            do_not_call=True,
        )
        cls.partner = cls.env["res.partner"].create({"name": "RPC partner"})
        cls.meeting = (
            cls.env["calendar.event"]
            .with_user(cls.salesman)
            .create(
                {
                    "name": "Meeting",
                    "crm_event_type": "meeting",
                    "start": START,
                    "stop": START + timedelta(hours=1),
                    "opportunity_id": cls.lead.id,
                }
            )
        )

    def _json2(self, model, method, **params):
        key = (
            self.env["res.users.apikeys"]
            .with_user(self.salesman)
            .sudo()
            ._generate(None, "rules test", fields.Datetime.now() + timedelta(days=1))
        )
        return self.url_open(
            f"/json/2/{model}/{method}",
            json=params,
            headers={"Authorization": f"bearer {key}"},
        )

    def _jsonrpc(self, model, method, args, context):
        return self.make_jsonrpc_request(
            "/jsonrpc",
            {
                "service": "object",
                "method": "execute_kw",
                "args": [
                    get_db_name(),
                    self.salesman.id,
                    self.salesman.login,
                    model,
                    method,
                    args,
                    {"context": context},
                ],
            },
        )

    def _assert_private(self, response):
        self.assertEqual(response.status_code, 403, response.text)
        self.assertIn("Private methods", response.json()["message"])

    def _calls(self):
        """(model, method, ids, keyword arguments) a salesman may try."""
        call = {
            "name": "Call anyway?",
            "crm_event_type": "call",
            "start": fields.Datetime.to_string(START),
            "stop": fields.Datetime.to_string(START + timedelta(minutes=30)),
            "opportunity_id": self.lead.id,
        }
        converted = self.status_converted.id
        return [
            (
                "crm.lead",
                "write",
                self.lead.ids,
                {"vals": {"lead_status_id": converted}},
            ),
            (
                "crm.lead",
                "write",
                self.lead.ids,
                {"vals": {"converted_partner_id": self.partner.id}},
            ),
            (
                "crm.lead",
                "create",
                [],
                {"vals_list": [{"name": "Forged", "lead_status_id": converted}]},
            ),
            ("calendar.event", "create", [], {"vals_list": [call]}),
            (
                "calendar.event",
                "write",
                self.meeting.ids,
                {"vals": {"crm_event_type": "call"}},
            ),
        ]

    def _assert_unchanged(self):
        self.lead.invalidate_recordset()
        self.meeting.invalidate_recordset()
        self.assertEqual(self.lead.lead_status_id, self.status_sales)
        self.assertFalse(self.lead.converted_partner_id)
        self.assertEqual(self.meeting.crm_event_type, "meeting")
        self.assertFalse(self.env["crm.lead"].search([("name", "=", "Forged")]))
        self.assertFalse(
            self.env["calendar.event"].search([("name", "=", "Call anyway?")])
        )

    @mute_logger("odoo.http")
    def test_json2(self):
        for context in CONTEXTS:
            for model, method, ids, params in self._calls():
                with self.subTest(context=context, model=model, method=method):
                    response = self._json2(
                        model, method, ids=ids, context=context, **params
                    )
                    self.assertEqual(response.status_code, 422, response.text)
                    self.assertIn(
                        response.json()["name"],
                        (
                            "odoo.exceptions.UserError",
                            "odoo.exceptions.ValidationError",
                        ),
                    )
        response = self._json2(
            "crm.lead",
            "_crm_mark_converted",
            ids=self.lead.ids,
            values={"converted_partner_id": self.partner.id},
        )
        self._assert_private(response)
        self._assert_unchanged()

    @mute_logger("odoo.http", "odoo.addons.rpc.controllers.jsonrpc")
    def test_jsonrpc(self):
        for context in CONTEXTS:
            for model, method, ids, params in self._calls():
                args = [ids, *params.values()] if ids else [*params.values()]
                with self.subTest(context=context, model=model, method=method):
                    with self.assertRaises(JsonRpcException) as refusal:
                        self._jsonrpc(model, method, args, context)
                    self.assertIn(
                        refusal.exception.args[0],
                        (
                            "odoo.exceptions.UserError",
                            "odoo.exceptions.ValidationError",
                        ),
                    )
        with self.assertRaises(JsonRpcException) as refusal:
            self._jsonrpc(
                "crm.lead",
                "_crm_mark_converted",
                [self.lead.ids, {"converted_partner_id": self.partner.id}],
                {},
            )
        self.assertEqual(refusal.exception.args[0], "odoo.exceptions.AccessError")
        self._assert_unchanged()

    def test_conversion_still_converts_and_invites(self):
        """CONV-5, EVT-8: the conversion, run by the same salesman, sets the lead
        Converted and names its contact on the lead's events (the call planned
        before the lead asked not to be called stays as it was)."""
        self.lead.do_not_call = False
        call = (
            self.env["calendar.event"]
            .with_user(self.salesman)
            .create(
                {
                    "name": "Call planned before",
                    "crm_event_type": "call",
                    "start": START,
                    "stop": START + timedelta(minutes=30),
                    "opportunity_id": self.lead.id,
                }
            )
        )
        self.lead.do_not_call = True
        self.lead.partner_name = "RPC company"
        self.lead.contact_name = "Rita Caller"
        convert(self.lead.with_user(self.salesman))
        self.assertEqual(self.lead.lead_status_id, self.status_converted)
        self.assertIn(self.lead.converted_contact_id, call.partner_ids)
        self.assertTrue(self.lead.converted_contact_id.do_not_call)
