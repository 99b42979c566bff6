# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import time
from collections import defaultdict

import requests

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import SQL

from .crm_assignable_mixin import ASSIGNABLE_USER_DOMAIN
from .crm_lead import COMPANY_SIZES, LEAD_SCORES

# GEO-3: what places a partner on the map, and what moves it.
ADDRESS_FIELDS = {"street", "zip", "city", "state_id", "country_id", "zip_id"}
COORDINATES = ("partner_latitude", "partner_longitude")
PLACE_BATCH = 10000  # partners per batch of the scheduled placement


class ResPartner(models.Model):
    _name = "res.partner"
    _inherit = [
        "res.partner",
        "crm.assignable.mixin",
        "crm.agency.mixin",
        "crm.event.mixin",
        "crm.map.mixin",
        "crm.around.mixin",
    ]

    user_id = fields.Many2one(domain=ASSIGNABLE_USER_DOMAIN)
    # PART-1, PART-2: a prospect until its first confirmed sale order.
    is_prospect = fields.Boolean(
        string="Prospect",
        index=True,
        tracking=True,
        help="A partner being prospected: it becomes a customer when its first sale "
        "order is confirmed.",
        groups="base.group_user",
    )
    # Marketing panel, as on leads (PART-3).
    lead_score = fields.Selection(
        LEAD_SCORES, string="Lead score", default="0", groups="base.group_user"
    )
    company_size = fields.Selection(
        COMPANY_SIZES, string="Company size", groups="base.group_user"
    )
    is_key_account = fields.Boolean(
        string="Key account", tracking=True, groups="base.group_user"
    )
    is_nurturing = fields.Boolean(
        string="Nurturing", tracking=True, groups="base.group_user"
    )
    source_id = fields.Many2one(
        "utm.source", index="btree_not_null", groups="base.group_user"
    )
    do_not_call = fields.Boolean(
        string="Do not call", tracking=True, groups="base.group_user"
    )
    do_not_email = fields.Boolean(
        string="Do not e-mail", tracking=True, groups="base.group_user"
    )
    # PART-3: the opportunities of the partner and of its contacts.
    crm_opportunity_ids = fields.Many2many(
        "crm.lead",
        string="Opportunities of the partner",
        compute="_compute_crm_opportunity_ids",
        groups="base.group_user",
    )
    # Leads converted into this partner (CONV-5).
    origin_lead_ids = fields.One2many(
        "crm.lead",
        "converted_partner_id",
        string="Origin leads",
        context={"active_test": False},
        groups="base.group_user",
    )
    # PART-4: the other companies a contact works with, and their inverse.
    other_company_ids = fields.Many2many(
        "res.partner",
        "res_partner_other_company_rel",
        "contact_id",
        "company_id",
        string="Other companies",
        domain="[('is_company', '=', True), ('id', '!=', parent_id)]",
        help="Companies this contact works with besides its own.",
        groups="base.group_user",
    )
    other_contact_ids = fields.Many2many(
        "res.partner",
        "res_partner_other_company_rel",
        "company_id",
        "contact_id",
        string="Other contacts",
        domain="[('is_company', '=', False)]",
        help="Contacts of other companies who work with this one.",
        groups="base.group_user",
    )
    # PART-5: groups of companies, apart from Odoo's parent_id (no commercial sync).
    parent_company_id = fields.Many2one(
        "res.partner",
        string="Parent company",
        index="btree_not_null",
        domain="[('is_company', '=', True), ('id', '!=', id)]",
        groups="base.group_user",
    )
    subsidiary_ids = fields.One2many(
        "res.partner",
        "parent_company_id",
        string="Subsidiaries",
        groups="base.group_user",
    )
    # PART-6
    delegation_ids = fields.One2many(
        "res.partner.delegation",
        "delegate_id",
        string="Manages for",
        help="Partners this partner manages invoicing, delivery, payment or ordering "
        "for.",
        groups="base.group_user",
    )
    managed_by_ids = fields.One2many(
        "res.partner.delegation",
        "partner_id",
        string="Managed by",
        help="Partners managing invoicing, delivery, payment or ordering for this one.",
        groups="base.group_user",
    )

    # GEO-3: placed at its zip or city (city referential), not at its street.
    geo_approximate = fields.Boolean(
        string="Approximate location",
        readonly=True,
        copy=False,
        help="Placed on the map at its zip or city, from the city referential: no "
        "geocoding of its street address has been done yet.",
    )

    # LEAD-10: a lead's similar contacts are searched by name whatever the case,
    # by e-mail domain (a suffix) and by the very address (public webmail) at
    # each opening of the lead; Odoo's indexes on partners serve none of them
    # (crm indexes leads' e-mails the same way). The trigram index serves the
    # suffix, but an equality through it costs milliseconds: a btree serves that.
    email_normalized = fields.Char(index="trigram")
    _email_normalized_idx = models.Index("(email_normalized)")
    _name_lower_idx = models.Index("(lower(name))")
    # Issue 27: the partners near a place (crm.around.mixin), placed ones only.
    _crm_around_point_idx = models.Index(
        "USING gist (point(partner_longitude, partner_latitude))"
        " WHERE partner_latitude <> 0 OR partner_longitude <> 0"
    )

    @api.depends("zip_id")
    def _compute_city(self):
        """LEAD-3, GEO-4: a zip fills in the commune's delivery name (69001:
        Lyon), not GeoNames' arrondissement (Lyon 01)."""
        result = super()._compute_city()
        for partner in self.filtered("zip_id.city_id"):
            partner.city = partner.zip_id.city_id.crm_delivery_name
        return result

    @api.model
    def default_get(self, fields):
        """A new partner speaks its company's language (Settings), else its
        creator's, rather than the language the database was created in."""
        values = super().default_get(fields)
        if "lang" in fields and not self.env.context.get("default_lang"):
            lang = self.env.company._crm_partner_lang_for(self.env.user)
            if lang:
                values["lang"] = lang
        return values

    # ------------------------------------------------------------------
    # Geolocation (GEO-3)
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        partners = super().create(vals_list)
        partners._crm_place_from_referential()
        return partners

    def write(self, vals):
        located = all(name in vals for name in COORDINATES)
        if located and "geo_approximate" not in vals:
            # Coordinates given (a geocoder's, or typed): as precise as they come.
            vals = dict(vals, geo_approximate=False)
        result = super().write(vals)
        if not located and not ADDRESS_FIELDS.isdisjoint(vals):
            # base_geolocalize forgot the old place: the new address's, if known.
            self._crm_place_from_referential()
        return result

    def _crm_zip_location(self):
        return self.zip_id

    def _crm_around_marker(self):
        marker = super()._crm_around_marker()
        marker["kind"] = "customer" if self.customer_rank else "prospect"
        marker["approximate"] = self.geo_approximate
        return marker

    def _crm_place_from_referential(self):
        """Place the partners not placed yet at their zip or city, marked
        approximate, where the city referential places them (the map mixin's
        path, the leads' too); one query, none while the referential has no
        coordinates. Returns the partners placed."""
        unplaced = self.filtered(
            lambda partner: not (partner.partner_latitude or partner.partner_longitude)
        )
        unplaced.filtered("geo_approximate").geo_approximate = False
        coordinates = unplaced._crm_referential_coordinates()
        by_place = defaultdict(list)
        for partner_id, place in coordinates.items():
            by_place[place].append(partner_id)
        for (latitude, longitude), ids in by_place.items():
            # Derived from the address: written whoever may edit the partner.
            self.browse(ids).sudo().write(
                {
                    "partner_latitude": latitude,
                    "partner_longitude": longitude,
                    "geo_approximate": True,
                }
            )
        placed = unplaced.filtered(lambda partner: partner.id in coordinates)
        # In the database at once, as the address they come from.
        placed.flush_recordset([*COORDINATES, "geo_approximate"])
        return placed

    @api.model
    def _crm_place_batch(self, after_id=0, limit=PLACE_BATCH):
        """GEO-3, in batch: place the next ``limit`` partners (by id, after
        ``after_id``) that have an address and no coordinates. Returns the
        partners placed and the last id looked at (0 when none was left)."""
        if not self.env["res.city.zip"]._crm_has_coordinates():
            return self.browse(), 0
        self.flush_model(["zip_id", "zip", "city", "country_id", *COORDINATES])
        rows = self.env.execute_query(
            SQL(
                """SELECT id FROM res_partner
                    WHERE id > %s AND country_id IS NOT NULL
                      AND (zip_id IS NOT NULL OR COALESCE(zip, '') <> ''
                           OR COALESCE(city, '') <> '')
                      AND COALESCE(partner_latitude, 0) = 0
                      AND COALESCE(partner_longitude, 0) = 0
                    ORDER BY id LIMIT %s""",
                after_id,
                limit,
            )
        )
        if not rows:
            return self.browse(), 0
        partners = self.browse([row[0] for row in rows])
        return partners._crm_place_from_referential(), partners[-1].id

    @api.model
    def _cron_crm_place_from_referential(self):
        """Scheduled action: every partner with an address and no coordinates is
        placed at its zip or city, batch by batch, each committed."""
        after_id = 0
        while True:
            placed, after_id = self._crm_place_batch(after_id)
            if not after_id:
                break
            if self.env["ir.cron"]._commit_progress(len(placed)) <= 0:
                break

    def action_crm_geolocate(self):
        """The Geolocate action (GEO-3): the partners placed as
        ``_crm_geolocate`` does; tells what was done, in words, in a
        notification."""
        located, _tried, unreachable = self._crm_geolocate()
        return self._crm_geolocate_notification(located, unreachable)

    def _crm_geolocate(self, pause=0.0):
        """GEO-3, the one way partners are geolocated (the Geolocate action,
        the map's scheduled action): each at its street address by Odoo's
        geocoding service (``base_geolocalize``), ``pause`` seconds between
        two requests; the others, and all of them once the service cannot be
        reached, at their zip or city from the city referential.

        :return: ``(partners placed at their address, partners the service was
          asked about, the service's error or None)``
        """
        located = tried = self.browse()
        unreachable = None
        today = fields.Date.context_today(self)
        for partner in self.with_context(lang="en_US").filtered("country_id"):
            if tried and pause:
                time.sleep(pause)
            try:
                result = partner._geo_localize(
                    partner.street,
                    partner.zip,
                    partner.city,
                    partner.state_id.name,
                    partner.country_id.name,
                )
            except UserError as error:
                unreachable = error
                break
            tried |= partner
            if result:
                partner.write(
                    {
                        "partner_latitude": result[0],
                        "partner_longitude": result[1],
                        "date_localization": today,
                    }
                )
                located |= partner
        rest = self - located
        # Approximate places are the referential's: placed again from it.
        rest.filtered("geo_approximate").write(dict.fromkeys(COORDINATES, 0.0))
        rest._crm_place_from_referential()
        return located.with_env(self.env), tried.with_env(self.env), unreachable

    def _crm_geolocate_notification(self, located, unreachable):
        rest = self - located
        approximate = rest.filtered("geo_approximate")
        unplaced = rest - approximate
        lines = []
        if unreachable is not None:
            if isinstance(unreachable.__context__, requests.RequestException):
                lines.append(
                    self.env._(
                        "The geocoding service could not be reached: check that "
                        "this server can reach the internet, or choose another "
                        "service in Settings › Integrations › Geolocation."
                    )
                )
            else:
                lines.append(
                    self.env._(
                        "The geocoding service refused the request: %s",
                        unreachable.args[0],
                    )
                )
        if located:
            lines.append(self.env._("%s placed at their address.", _names(located)))
        if approximate:
            lines.append(
                self.env._(
                    "%s placed approximately, at their zip or city (city referential).",
                    _names(approximate),
                )
            )
        if unplaced:
            lines.append(
                self.env._(
                    "%s not placed: give them a city or zip and a country that "
                    "the city referential knows (Import from GeoNames).",
                    _names(unplaced),
                )
            )
        problem = unreachable is not None or unplaced
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Geolocation"),
                "message": "\n".join(lines),
                "type": "warning" if problem else "success",
                "sticky": bool(problem),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def _get_contact_opportunities_domain(self):
        """PART-3, CONV-5: a lead converted into the partner is in its history
        (Origin leads), not one of its opportunities: Odoo's Opportunities
        button counts and lists the partner's leads and opportunities, the
        converted leads left out."""
        converted = (
            self.env["crm.lead.status"]
            .with_context(active_test=False)
            .search([("code", "=", "converted")])
        )
        return list(
            Domain(super()._get_contact_opportunities_domain())
            & Domain("lead_status_id", "not in", converted.ids)
        )

    def _compute_crm_opportunity_ids(self):
        opportunities = self.env["crm.lead"].search(
            [("type", "=", "opportunity")] + self._get_contact_opportunities_domain()
        )
        for partner in self:
            partner.crm_opportunity_ids = opportunities.filtered(
                lambda opportunity, partner=partner: (
                    opportunity.partner_id.commercial_partner_id
                    == partner.commercial_partner_id
                    if partner.is_company
                    else opportunity.partner_id == partner
                )
            )

    def _crm_event_rows(self, fields_sql):
        """(partner id, event row) pairs of EVT-7's definition, in one query.

        Only external partners count (prospects, customers, their contacts): the
        partner of a salesperson attends every event of its leads, and gathering
        them would recompute it at each of its events for nothing a CRM screen
        shows."""
        self.env["calendar.event"].flush_model(
            ["start", "crm_state", "active", "crm_lead_id", "partner_ids"]
        )
        self.env["crm.lead"].flush_model(["partner_id", "converted_partner_id"])
        self.flush_model(["parent_id", "partner_share"])
        query = SQL(
            """
            WITH members AS (
                SELECT id AS partner_id, id AS member_id
                  FROM res_partner WHERE id = ANY(%(ids)s) AND partner_share
                UNION
                SELECT parent_id, id FROM res_partner
                 WHERE parent_id = ANY(%(ids)s) AND partner_share
            ), links AS (
                SELECT m.partner_id, rel.calendar_event_id AS event_id
                  FROM members m
                  JOIN calendar_event_res_partner_rel rel
                    ON rel.res_partner_id = m.member_id
                UNION
                SELECT m.partner_id, event.id
                  FROM members m
                  JOIN crm_lead lead
                    ON lead.partner_id = m.member_id
                    OR lead.converted_partner_id = m.member_id
                  JOIN calendar_event event ON event.crm_lead_id = lead.id
            )
            SELECT links.partner_id, %(fields)s
              FROM links
              JOIN calendar_event event ON event.id = links.event_id
             WHERE event.active
             GROUP BY links.partner_id
            """,
            ids=list(self._origin.ids),
            fields=fields_sql,
        )
        return self.env.execute_query(query)

    def _compute_crm_event_ids(self):
        """EVT-7: the events of the partner, of its contacts, of its leads and
        opportunities, or attended by them."""
        rows = (
            dict(self._crm_event_rows(SQL("array_agg(event.id)")))
            if self._origin.ids
            else {}
        )
        for partner in self:
            partner.crm_event_ids = self.env["calendar.event"].browse(
                rows.get(partner._origin.id, [])
            )

    @api.depends(
        "meeting_ids.start",
        "meeting_ids.crm_state",
        "meeting_ids.active",
        "child_ids.meeting_ids.start",
        "child_ids.meeting_ids.crm_state",
        "opportunity_ids.date_last_event",
        "opportunity_ids.date_next_event",
        "origin_lead_ids.date_last_event",
        "origin_lead_ids.date_next_event",
        "child_ids.opportunity_ids.date_last_event",
        "child_ids.opportunity_ids.date_next_event",
    )
    def _compute_event_dates(self):
        """EVT-7: one query for the whole batch, however many events."""
        rows = {}
        if self._origin.ids:
            rows = {
                partner_id: (last, upcoming)
                for partner_id, last, upcoming in self._crm_event_rows(
                    SQL(
                        "MAX(event.start) FILTER (WHERE event.crm_state = 'done'), "
                        "MIN(event.start) FILTER (WHERE event.crm_state = 'planned')"
                    )
                )
            }
        for partner in self:
            last, upcoming = rows.get(partner._origin.id, (False, False))
            partner.date_last_event = last
            partner.date_next_event = upcoming

    def _crm_event_partner(self):
        return self

    def _crm_message_domain(self):
        """MAIL-2: the partner's e-mails, its contacts' and its origin leads'."""
        partners = self | self.child_ids
        return [
            "|",
            "&",
            ("model", "=", "res.partner"),
            ("res_id", "in", partners.ids),
            "&",
            ("model", "=", "crm.lead"),
            ("res_id", "in", (self.origin_lead_ids | self.crm_opportunity_ids).ids),
        ]

    def _compute_crm_campaign_ids(self):
        """MAIL-4: campaigns of its leads, opportunities and events, and its mass
        mailings when that app is installed."""
        traces = {}
        if "mailing.trace" in self.env:
            for trace in (
                self.env["mailing.trace"]
                .sudo()
                .search([("model", "=", "res.partner"), ("res_id", "in", self.ids)])
            ):
                traces.setdefault(trace.res_id, self.env["utm.campaign"])
                traces[trace.res_id] |= trace.mass_mailing_id.campaign_id
        for partner in self:
            partner.crm_campaign_ids = (
                partner.origin_lead_ids.campaign_id
                | partner.crm_opportunity_ids.campaign_id
                | partner.crm_event_ids.campaign_id
                | traces.get(partner.id, self.env["utm.campaign"])
            )

    def _compute_user_id(self):
        """A contact takes its company's salesperson only when CFG-1 allows it."""
        unassigned = self.filtered(lambda partner: not partner.user_id)
        super()._compute_user_id()
        inherited = unassigned.filtered("user_id")
        for company, partners in inherited.grouped(
            lambda partner: partner._crm_assignment_company()
        ).items():
            allowed = self._crm_filter_assignable(partners.user_id, company)
            partners.filtered(
                lambda partner, allowed=allowed: partner.user_id not in allowed
            ).user_id = False
        return None

    @api.constrains("parent_company_id")
    def _check_parent_company_cycle(self):
        if self._has_cycle("parent_company_id"):
            raise ValidationError(
                self.env._(
                    "A company cannot be its own parent company, even indirectly."
                )
            )

    @api.constrains("other_company_ids", "parent_id")
    def _check_other_companies(self):
        for partner in self.filtered("other_company_ids"):
            if partner.is_company:
                raise ValidationError(
                    self.env._(
                        "%s is a company: only contacts work with other companies.",
                        partner.display_name,
                    )
                )

    def _crm_become_customers(self):
        """PART-2: the first confirmed order turns a prospect into a customer."""
        commercial = self.commercial_partner_id
        commercial.filtered("is_prospect").is_prospect = False
        # Odoo raises customer_rank when an invoice is posted; prospecting needs it
        # from the confirmed order on.
        commercial.filtered(lambda partner: not partner.customer_rank)._increase_rank(
            "customer_rank"
        )

    def action_crm_create_opportunity(self):
        """PART-3: a new opportunity for this partner."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm.crm_lead_opportunities"
        )
        action.update(
            views=[(False, "form")],
            view_mode="form",
            target="current",
            context={
                "default_type": "opportunity",
                "default_partner_id": self.id,
                "default_user_id": self.user_id.id or self.env.uid,
            },
        )
        return action


def _names(partners, limit=5):
    """The partners' names for a message, the first few and how many more."""
    names = ", ".join(partners[:limit].mapped("display_name"))
    if len(partners) > limit:
        names += f" (+{len(partners) - limit})"
    return names
