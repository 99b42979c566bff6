# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The Leads menu shows what Odoo's Leads menu shows (issue: a good citizen).

The add-on's lead form, list and search derive from crm's lead views: whatever Odoo
and the other installed modules add to those (lead properties, Enrich, VAT, the lead
code, calls, page views, event registrations…) must reach the add-on's Leads menu.
The tests render both menus as the web client does (``get_views`` of each action)
and compare their fields and buttons, in whatever database they run: each allowed
difference is listed below with its reason."""

from lxml import etree

from odoo.tests import TransactionCase, tagged

# Attributes values that hide an element on every lead.
HIDDEN_ON_LEADS = {"1", "True", "true", "type == 'lead'"}

# What Odoo's lead views show on a lead that the add-on's do not, and why.
ALLOWED_HIDDEN = {
    "form": {
        ("field", "contact_name"): "the full name is the first and last names, "
        "shown instead (LEAD-1)",
        ("field", "function"): "the job position, a record, sets the function (LEAD-2)",
        ("field", "probability"): "probability belongs to the opportunity; "
        "a lead has a status and a score",
        ("field", "automated_probability"): "the opportunity's probability",
    },
    "list": {},
    "search": {},
}
# What Odoo's lead views hold (even hidden) that the add-on's lead views do not.
ALLOWED_ABSENT = {
    "form": {
        ("field", "date_deadline"): "the expected closing of an opportunity",
        ("field", "recurring_revenue_monthly"): "opportunity-only tab",
        ("field", "recurring_start_date"): "opportunity-only tab",
        ("field", "recurring_duration"): "opportunity-only tab",
        ("field", "recurring_end_date"): "opportunity-only tab",
        ("field", "partner_description"): "opportunity-only tab",
        ("field", "origin_lead_description"): "opportunity-only tab",
        ("field", "origin_lead_id"): "an opportunity's origin lead",
        ("field", "show_partner_description"): "opportunity-only tab",
        ("field", "amount_worst_case"): "an opportunity's estimate",
        ("field", "amount_best_case"): "an opportunity's estimate",
        ("field", "need_type"): "an opportunity's type of need",
        ("button", "%(crm.crm_lead_lost_action)d"): "replaced by the add-on's "
        "Mark Lost, which opens the same wizard for the Lost status (STAT-4)",
    },
    "list": {},
    "search": {},
}


def _hidden(node):
    """Whether a node is hidden on every lead (itself or a parent)."""
    while node is not None:
        if node.get("invisible", "").strip() in HIDDEN_ON_LEADS:
            return True
        if node.get("column_invisible", "").strip() in HIDDEN_ON_LEADS:
            return True
        node = node.getparent()
    return False


@tagged("post_install", "-at_install")
class TestLeadViewsFromOdoo(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Lead = cls.env["crm.lead"].with_user(cls.env.ref("base.user_admin"))

    def _archs(self, action_xmlid):
        """The arch of each view type of a window action, as the web client gets it."""
        action = self.env.ref(action_xmlid)
        views = [(view.view_id.id, view.view_mode) for view in action.view_ids]
        modes = {mode for _id, mode in views}
        views += [
            (False, mode)
            for mode in action.view_mode.split(",")
            if mode not in modes and mode in ("list", "form")
        ]
        views.append((action.search_view_id.id, "search"))
        result = self.Lead.get_views(views)["views"]
        return {mode: etree.fromstring(result[mode]["arch"]) for mode in result}

    def _items(self, arch):
        """{(kind, name): hidden on leads} of a view's own fields, buttons, filters
        (not those of the lists and forms embedded in its x2many fields)."""
        items = {}
        for kind in ("field", "button", "filter"):
            for node in arch.iter(kind):
                if node.get("name") and not any(
                    parent.tag == "field" for parent in node.iterancestors()
                ):
                    key = (kind, self._name(node))
                    items[key] = items.get(key, True) and _hidden(node)
        return items

    def _name(self, node):
        """A button's name, an action's external id rather than its database id."""
        name = node.get("name")
        if node.tag == "button" and node.get("type") == "action" and name.isdigit():
            action = self.env["ir.actions.actions"].browse(int(name))
            xmlid = self.env[action.type].browse(action.id).get_external_id()
            return f"%({xmlid[action.id]})d" if xmlid.get(action.id) else name
        return name

    def _compare(self, mode):
        odoo = self._items(self._archs("crm.crm_lead_all_leads")[mode])
        ours = self._items(self._archs("crm_prospection.action_leads_open")[mode])
        absent = {key for key in odoo if key not in ours}
        hidden = {
            key
            for key, is_hidden in odoo.items()
            if not is_hidden and key in ours and ours[key]
        }
        allowed_absent = ALLOWED_ABSENT[mode]
        allowed_hidden = ALLOWED_HIDDEN[mode]
        self.assertFalse(
            absent - set(allowed_absent),
            f"Odoo's lead {mode} holds these, the Leads menu's does not",
        )
        self.assertFalse(
            hidden - set(allowed_hidden) - set(allowed_absent),
            f"Odoo's lead {mode} shows these on a lead, the Leads menu's hides them",
        )
        # Each allowed difference is one, so that the lists stay true (an item
        # may be missing from both where its group is off, e.g. recurring revenue).
        for key in allowed_absent:
            self.assertNotIn(key, ours, "stale allowed difference")
        for key in allowed_hidden:
            self.assertTrue(
                key not in odoo or key in hidden | absent, "stale allowed difference"
            )
        return odoo, ours

    def test_form_shows_what_odoo_shows(self):
        """LEAD-9: the lead form holds every field and button of Odoo's lead form
        (properties, Enrich, blacklist, CC, language, and whatever the installed
        modules add), the allowed differences aside."""
        odoo, ours = self._compare("form")
        for key in (
            ("field", "lead_properties"),
            ("field", "email_cc"),
            ("field", "lang_id"),
            ("button", "mail_action_blacklist_remove"),
            ("button", "phone_action_blacklist_remove"),
        ):
            self.assertIn(key, ours)
        # The Axelor layout on top: the status bar, the identity, the tabs.
        arch = self._archs("crm_prospection.action_leads_open")["form"]
        self.assertTrue(arch.xpath("//header/field[@name='lead_status_id']"))
        for group in ("identity", "follow_up", "contact_details", "marketing"):
            self.assertTrue(arch.xpath(f"//group[@name='{group}']"), group)
        for page in ("internal_notes", "crm_events", "crm_emails", "crm_campaigns"):
            page_node = arch.xpath(f"//page[@name='{page}']")
            self.assertTrue(page_node and not _hidden(page_node[0]), page)
        # The lead properties are editable, as in Odoo's form.
        properties = arch.xpath("//field[@name='lead_properties']")[0]
        self.assertNotIn(properties.get("readonly"), ("1", "True"))

    def test_list_shows_what_odoo_shows(self):
        """LEAD-9: the lead list holds every column of Odoo's lead list."""
        self._compare("list")

    def test_search_offers_what_odoo_offers(self):
        """LEAD-9: the lead search offers every field and filter of Odoo's."""
        self._compare("search")

    def test_no_lead_view_of_its_own(self):
        """Every crm.lead view of the add-on derives from one of crm's."""
        data = self.env["ir.model.data"].search(
            [("module", "=", "crm_prospection"), ("model", "=", "ir.ui.view")]
        )
        views = (
            self.env["ir.ui.view"]
            .browse(data.mapped("res_id"))
            .filtered(lambda view: view.model == "crm.lead")
        )
        self.assertTrue(views)
        self.assertFalse(views.filtered(lambda view: not view.inherit_id))
