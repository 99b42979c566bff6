# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from urllib.parse import urlencode

from odoo import models
from odoo.exceptions import UserError

OSM_URL = "https://www.openstreetmap.org/"
GOOGLE_URL = "https://www.google.com/maps/search/"


class CrmMapMixin(models.AbstractModel):
    """Show a record's address on the map provider of its company (GEO-3, CFG-9).

    Works on any model with Odoo's address fields (``street``, ``street2``,
    ``zip``, ``city``, ``state_id``, ``country_id``) and, when it has them,
    ``partner_latitude`` / ``partner_longitude`` (``base_geolocalize``), which
    locate the place more precisely than the address.
    """

    _name = "crm.map.mixin"
    _description = "Map of an address (GEO-3)"

    def _crm_map_address(self):
        """The address as one line, the way map providers search it."""
        self.ensure_one()
        parts = [
            self.street,
            self.street2,
            " ".join(filter(None, [self.zip, self.city])),
            self.state_id.name,
            self.country_id.name,
        ]
        return ", ".join(part for part in parts if part)

    def _crm_map_coordinates(self):
        """(latitude, longitude) when the record is geolocated, else ``None``."""
        self.ensure_one()
        if "partner_latitude" not in self._fields:
            return None
        if not (self.partner_latitude or self.partner_longitude):
            return None
        return self.partner_latitude, self.partner_longitude

    def _crm_map_provider(self):
        """The CFG-9 provider of the record's company ('osm' or 'google')."""
        self.ensure_one()
        company = ("company_id" in self._fields and self.company_id) or (
            self.env.company
        )
        return company.crm_map_provider or "osm"

    def _crm_map_url(self):
        """URL of the record's place on its provider, ``False`` without address."""
        self.ensure_one()
        coordinates = self._crm_map_coordinates()
        address = self._crm_map_address()
        if not (coordinates or address):
            return False
        google = self._crm_map_provider() == "google"
        if coordinates:
            latitude, longitude = coordinates
            if google:
                query = urlencode({"api": 1, "query": f"{latitude},{longitude}"})
                return f"{GOOGLE_URL}?{query}"
            query = urlencode({"mlat": latitude, "mlon": longitude})
            return f"{OSM_URL}?{query}#map=16/{latitude}/{longitude}"
        if google:
            return f"{GOOGLE_URL}?{urlencode({'api': 1, 'query': address})}"
        return f"{OSM_URL}search?{urlencode({'query': address})}"

    def action_crm_open_map(self):
        """Open the address in a new tab, on the company's map provider (GEO-3)."""
        self.ensure_one()
        url = self._crm_map_url()
        if not url:
            raise UserError(
                self.env._(
                    "%s has no address to show on a map: fill in at least its city "
                    "or its country.",
                    self.display_name,
                )
            )
        return {"type": "ir.actions.act_url", "url": url, "target": "new"}
