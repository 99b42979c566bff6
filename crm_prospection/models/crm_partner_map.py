# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain

_logger = logging.getLogger(__name__)

MAP_LIMIT = 2000  # markers per map: beyond that, narrow the filters
GEOLOCATE_BATCH = 50  # partners per run of the geolocation cron
GEOLOCATE_RETRY_DAYS = 30  # an address no provider found is retried after that


class CrmPartnerMap(models.AbstractModel):
    """Data of the customers / prospects map (GEO-3).

    Everything is searched with the rights of the current user: the map shows the
    partners that user may read, never more, and at most ``MAP_LIMIT`` of them.
    """

    _name = "crm.partner.map"
    _description = "Customers / prospects map"

    @api.model
    def _crm_map_partner_kind(self):
        """Domains of the kinds of partners the map shows, by kind: customers
        have a customer rank, prospects the prospect flag (PART-1)."""
        customer = Domain("customer_rank", ">", 0)
        return {
            "customer": customer,
            "prospect": Domain("is_prospect", "=", True) & ~customer,
        }

    @api.model
    def _crm_map_located(self):
        return Domain("partner_latitude", "!=", 0) | Domain(
            "partner_longitude", "!=", 0
        )

    @api.model
    def _crm_map_partners_domain(self):
        """Commercial partners the map is about; not the users' nor the
        companies'."""
        # A handful of records: every company of the database.
        companies = self.env["res.company"].sudo().search([])  # pylint: disable=no-search-all
        return (
            Domain("parent_id", "=", False)
            & Domain("user_ids", "not any", [("share", "=", False)])
            & Domain("id", "not in", companies.partner_id.ids)
            & Domain.OR(self._crm_map_partner_kind().values())
        )

    @api.model
    def _crm_map_base_domain(self):
        """Geolocated commercial partners; not the users' nor the companies'."""
        return self._crm_map_partners_domain() & self._crm_map_located()

    @api.model
    def _crm_map_unplaced(self, kind=None, agency_id=None, user_id=None):
        """How many partners of the filters the map cannot show, and why: no
        city or zip and country to place them at, or an address that neither
        the city referential nor a geocoding has placed yet."""
        domain = (
            self._crm_map_domain(
                kind, agency_id, user_id, base=self._crm_map_partners_domain()
            )
            & ~self._crm_map_located()
        )
        addressed = Domain("country_id", "!=", False) & (
            Domain("zip", "!=", False) | Domain("city", "!=", False)
        )
        Partner = self.env["res.partner"]
        return {
            "no_address": Partner.search_count(domain & ~addressed),
            "not_found": Partner.search_count(domain & addressed),
        }

    @api.model
    def _crm_map_domain(self, kind=None, agency_id=None, user_id=None, base=None):
        domain = self._crm_map_base_domain() if base is None else base
        kinds = self._crm_map_partner_kind()
        if kind and kind not in tuple(kinds):
            raise UserError(
                self.env._(
                    "The map shows customers or prospects, not %s.", repr(kind)[:50]
                )
            )
        if kind:
            domain &= kinds[kind]
        if agency_id:
            domain &= Domain(
                "agency_id", "=", self._crm_map_number(agency_id, self.env._("agency"))
            )
        if user_id:
            domain &= Domain(
                "user_id", "=", self._crm_map_number(user_id, self.env._("salesperson"))
            )
        return domain

    # Read-only entry points: served by a replica when there is one.
    @api.readonly
    @api.model
    def _crm_map_number(self, value, argument):
        """``value`` as a positive whole number (an id or a limit sent by a
        caller of the API), or a clear error naming the ``argument``."""
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value)
        if isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**31:
            return value
        raise UserError(
            self.env._(
                "The map's %(argument)s must be a whole positive number, not "
                "%(value)s.",
                argument=argument,
                value=repr(value)[:50],
            )
        )

    # Read-only entry point: served by a replica when there is one.
    @api.readonly
    @api.model
    def get_map_data(self, kind=None, agency_id=None, user_id=None, limit=MAP_LIMIT):
        """Markers of the map: the geolocated partners matching the filters.

        :param str kind: 'customer' or 'prospect'; both when empty
        :param int agency_id: only the partners of that agency
        :param int user_id: only the partners of that salesperson
        :param int limit: at most that many markers (capped at ``MAP_LIMIT``)
        :return: ``{"markers": [...], "truncated": bool, "limit": int,
          "unplaced": {"no_address": int, "not_found": int}}``
        """
        limit = min(
            self._crm_map_number(limit or MAP_LIMIT, self.env._("limit")), MAP_LIMIT
        )
        partners = self.env["res.partner"].search_fetch(
            self._crm_map_domain(kind, agency_id, user_id),
            [
                "name",
                "partner_latitude",
                "partner_longitude",
                "city",
                "country_id",
                "user_id",
                "customer_rank",
                "geo_approximate",
            ],
            limit=limit + 1,
            order="id desc",
        )
        truncated = len(partners) > limit
        partners = partners[:limit]
        customers = partners.filtered_domain(self._crm_map_partner_kind()["customer"])
        return {
            "markers": [
                {
                    "id": partner.id,
                    "name": partner.display_name,
                    "lat": partner.partner_latitude,
                    "lng": partner.partner_longitude,
                    "kind": "customer" if partner in customers else "prospect",
                    "city": ", ".join(
                        filter(None, [partner.city, partner.country_id.name])
                    ),
                    "salesperson": partner.user_id.name or "",
                    "approximate": partner.geo_approximate,
                }
                for partner in partners
            ],
            "truncated": truncated,
            "limit": limit,
            "unplaced": self._crm_map_unplaced(kind, agency_id, user_id),
        }

    @api.readonly
    @api.model
    def get_map_filters(self):
        """Choices of the map's filters: the salespeople and agencies in use."""
        Partner = self.env["res.partner"]
        domain = self._crm_map_base_domain()
        users = [
            {"id": user.id, "name": user.name}
            for (user,) in Partner._read_group(
                domain & Domain("user_id", "!=", False), ["user_id"]
            )
        ]
        agencies = []
        if self.env.user.has_group("crm_prospection.group_crm_agency"):
            agencies = [
                {"id": agency.id, "name": agency.display_name}
                for (agency,) in Partner._read_group(
                    domain & Domain("agency_id", "!=", False), ["agency_id"]
                )
            ]
        return {
            "users": sorted(users, key=lambda user: user["name"]),
            "agencies": sorted(agencies, key=lambda agency: agency["name"]),
        }

    @api.model
    def _cron_geolocate_partners(self, batch=GEOLOCATE_BATCH):
        """Geolocate commercial partners from their address (GEO-3).

        Uses Odoo's ``base_geolocalize`` provider, for partners not placed yet
        and those placed approximately from the city referential; a partner it
        cannot place (better) is marked as tried today and tried again after
        ``GEOLOCATE_RETRY_DAYS``; the others are placed from the city
        referential meanwhile (``res.partner._crm_geolocate``).
        """
        retry = fields.Date.context_today(self) - timedelta(days=GEOLOCATE_RETRY_DAYS)
        partners = self.env["res.partner"].search(
            Domain("parent_id", "=", False)
            & (
                (
                    Domain("partner_latitude", "=", 0)
                    & Domain("partner_longitude", "=", 0)
                )
                | Domain("geo_approximate", "=", True)
            )
            & (Domain("city", "!=", False) | Domain("zip", "!=", False))
            & Domain("country_id", "!=", False)
            & (
                Domain("date_localization", "=", False)
                | Domain("date_localization", "<", retry)
            ),
            limit=batch,
            order="date_localization desc, id",
        )
        # OpenStreetMap's Nominatim allows one request per second.
        osm = self.env["base.geocoder"]._get_provider().tech_name == "openstreetmap"
        located, tried, unreachable = partners._crm_geolocate(pause=1 if osm else 0)
        if unreachable is not None:
            # The service cannot be reached: try again at the next run.
            _logger.warning("Geolocation stopped: %s", unreachable.args[0])
        # Not placed at their address: not asked again before the retry delay.
        (tried - located).date_localization = fields.Date.context_today(self)
        _logger.info("Geolocation of %d partner(s) tried", len(tried))
        return partners
