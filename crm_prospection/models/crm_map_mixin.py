# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from urllib.parse import urlencode

from odoo import models
from odoo.exceptions import UserError
from odoo.tools import SQL

OSM_URL = "https://www.openstreetmap.org/"
GOOGLE_URL = "https://www.google.com/maps/search/"


def referential_coordinates(source):
    """SQL of ``(id, latitude, longitude)``: where the city referential places
    each address of ``source``, a query of ``(id, zip_id, zip, city,
    country_id, state_id)``. The zip chosen on the address first; else its zip
    and city; else its zip; else its city (within its state when it has one),
    each the middle of the zips found; addresses it cannot place are left out."""
    return SQL(
        """
        WITH target AS (
            SELECT id, zip_id, NULLIF(trim(zip), '') AS zip,
                   lower(NULLIF(trim(city), '')) AS city, country_id, state_id
              FROM (%(source)s) AS source (id, zip_id, zip, city, country_id,
                                            state_id)
        )
        SELECT t.id, g.latitude, g.longitude
          FROM target t
          CROSS JOIN LATERAL (
            SELECT latitude, longitude FROM (
                SELECT 1 AS rank, z.latitude, z.longitude
                  FROM res_city_zip z
                 WHERE z.id = t.zip_id AND z.latitude IS NOT NULL
                UNION ALL
                SELECT 2, avg(z.latitude), avg(z.longitude)
                  FROM res_city_zip z JOIN res_city c ON c.id = z.city_id
                 WHERE z.name = t.zip AND c.country_id = t.country_id
                   AND lower(c.name->>'en_US') = t.city
                   AND z.latitude IS NOT NULL
                HAVING count(*) > 0
                UNION ALL
                SELECT 3, avg(z.latitude), avg(z.longitude)
                  FROM res_city_zip z JOIN res_city c ON c.id = z.city_id
                 WHERE z.name = t.zip AND c.country_id = t.country_id
                   AND z.latitude IS NOT NULL
                HAVING count(*) > 0
                UNION ALL
                SELECT 4, avg(z.latitude), avg(z.longitude)
                  FROM res_city c JOIN res_city_zip z ON z.city_id = c.id
                 WHERE c.country_id = t.country_id
                   AND lower(c.name->>'en_US') = t.city
                   AND (t.state_id IS NULL OR c.state_id = t.state_id)
                   AND z.latitude IS NOT NULL
                HAVING count(*) > 0
            ) AS candidate
            ORDER BY rank
            LIMIT 1
          ) AS g
         WHERE t.country_id IS NOT NULL
        """,
        source=source,
    )


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

    def _crm_zip_location(self):
        """The zip of the city referential chosen on the address, if any."""
        self.ensure_one()
        return self.env["res.city.zip"]

    def _crm_referential_coordinates(self):
        """``{id: (latitude, longitude)}``: where the city referential places
        the addresses of these records (GEO-3), in one query. The one way a
        record is placed from the referential: leads (their computed place)
        and partners (``res.partner._crm_place_from_referential``) alike."""
        records = self.filtered(
            lambda record: (
                record._origin.id
                and record.country_id
                and (record.zip or record.city or record._crm_zip_location())
            )
        )
        if not records or not self.env["res.city.zip"]._crm_has_coordinates():
            return {}
        rows = SQL(", ").join(
            SQL(
                "(%s, %s::int, %s::varchar, %s::varchar, %s::int, %s::int)",
                record._origin.id,
                record._crm_zip_location().id or None,
                record.zip or None,
                record.city or None,
                record.country_id.id,
                record.state_id.id or None,
            )
            for record in records
        )
        self.env["res.city.zip"].flush_model(["name", "city_id", "latitude"])
        self.env["res.city"].flush_model(["name", "country_id", "state_id"])
        result = self.env.execute_query(referential_coordinates(SQL("VALUES %s", rows)))
        return {record_id: (lat, lng) for record_id, lat, lng in result}

    def _crm_map_coordinates(self):
        """(latitude, longitude) when the record is geolocated, else ``None``."""
        self.ensure_one()
        if "partner_latitude" not in self._fields:
            return None
        if not (self.partner_latitude or self.partner_longitude):
            return None
        return self.partner_latitude, self.partner_longitude

    def _crm_map_is_approximate(self):
        """Whether its coordinates are its zip's or city's, not its street's."""
        self.ensure_one()
        return "geo_approximate" not in self._fields or self.geo_approximate

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
        if coordinates and self.street and self._crm_map_is_approximate():
            # Its zip or city's middle: the street address says better.
            coordinates = None
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
