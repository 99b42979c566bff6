# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import math

from odoo import api, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools import SQL

# The mean radius of the Earth (IUGG), the one great-circle distances use.
EARTH_RADIUS_KM = 6371.0088
KM_PER_DEGREE = math.pi * EARTH_RADIUS_KM / 180  # 111.195 km along a meridian
MAX_RADIUS_KM = 1000


def great_circle_km(latitude1, longitude1, latitude2, longitude2):
    """Haversine distance in km between two places, as the SQL of the search
    computes it (the tour planner uses it too)."""
    phi1, phi2 = math.radians(latitude1), math.radians(latitude2)
    half_dphi = (phi2 - phi1) / 2
    half_dlambda = math.radians(longitude2 - longitude1) / 2
    chord = (
        math.sin(half_dphi) ** 2
        + math.cos(phi1) * math.cos(phi2) * math.sin(half_dlambda) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(chord)))


def bounding_box(latitude, longitude, radius_km):
    """``(west, south, east, north)`` in degrees: a box holding every place
    within ``radius_km`` of the centre (the whole longitude range near a pole
    or across the antimeridian, where a box would be two)."""
    delta_latitude = radius_km / KM_PER_DEGREE
    south = max(-90.0, latitude - delta_latitude)
    north = min(90.0, latitude + delta_latitude)
    widest = max(abs(south), abs(north))
    if widest >= 89.9:
        return -180.0, south, 180.0, north
    delta_longitude = delta_latitude / math.cos(math.radians(widest))
    west, east = longitude - delta_longitude, longitude + delta_longitude
    if west < -180 or east > 180:
        return -180.0, south, 180.0, north
    return west, south, east, north


class CrmAroundMixin(models.AbstractModel):
    """The records near a place (issue 27): partners and leads within a radius,
    nearest first.

    A model using it names the stored columns of its latitude and longitude
    (``_crm_around_columns``) and declares, in its own class, the GiST index
    of ``point(longitude, latitude)`` over its placed rows (see
    ``docs/field-sales.md``): the search keeps the rows of a bounding box
    through that index, then computes the exact distance of those only.
    """

    _name = "crm.around.mixin"
    _description = "Records near a place"

    # (latitude column, longitude column) of the model's table.
    _crm_around_columns = ("partner_latitude", "partner_longitude")

    @api.model
    def _crm_around_point(self, alias):
        """SQL of the indexed ``point(longitude, latitude)`` of a row."""
        latitude, longitude = self._crm_around_columns
        return SQL(
            "point(%s, %s)",
            SQL.identifier(alias, longitude),
            SQL.identifier(alias, latitude),
        )

    @api.model
    def _crm_around_placed(self, alias):
        """SQL of the rows placed somewhere: the predicate of the index."""
        latitude, longitude = self._crm_around_columns
        return SQL(
            "(%s <> 0 OR %s <> 0)",
            SQL.identifier(alias, latitude),
            SQL.identifier(alias, longitude),
        )

    @api.model
    def _crm_around_check(self, latitude, longitude, radius_km):
        """The centre and radius as floats, or a clear error."""
        try:
            latitude, longitude, radius_km = (
                float(latitude),
                float(longitude),
                float(radius_km),
            )
        except (TypeError, ValueError) as error:
            raise UserError(
                self.env._("The centre and the radius of the search must be numbers.")
            ) from error
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            raise UserError(
                self.env._(
                    "The centre of the search is not on Earth: latitude %(latitude)s, "
                    "longitude %(longitude)s.",
                    latitude=latitude,
                    longitude=longitude,
                )
            )
        if not 0 < radius_km <= MAX_RADIUS_KM:
            raise UserError(
                self.env._(
                    "The radius must be more than 0 and at most %s km.", MAX_RADIUS_KM
                )
            )
        return latitude, longitude, radius_km

    @api.model
    def _crm_around_sql(self, latitude, longitude, radius_km, domain=None, limit=None):
        """SQL of ``(id, distance_km)`` of the search around a place (see
        ``_crm_search_around``), nearest first."""
        latitude, longitude, radius_km = self._crm_around_check(
            latitude, longitude, radius_km
        )
        query = self._search(Domain(domain or Domain.TRUE))
        alias = query.table
        west, south, east, north = bounding_box(latitude, longitude, radius_km)
        query.add_where(self._crm_around_placed(alias))
        query.add_where(
            SQL(
                "%s <@ box(point(%s, %s), point(%s, %s))",
                self._crm_around_point(alias),
                west,
                south,
                east,
                north,
            )
        )
        column_latitude, column_longitude = (
            SQL.identifier(alias, column) for column in self._crm_around_columns
        )
        distance = SQL(
            """2 * %(radius)s * asin(least(1, sqrt(
                   power(sin(radians(%(lat)s - %(center_lat)s) / 2), 2)
                   + cos(radians(%(center_lat)s)) * cos(radians(%(lat)s))
                   * power(sin(radians(%(lng)s - %(center_lng)s) / 2), 2))))""",
            radius=EARTH_RADIUS_KM,
            lat=column_latitude,
            lng=column_longitude,
            center_lat=latitude,
            center_lng=longitude,
        )
        query.order = None
        return SQL(
            """SELECT id, distance
                 FROM (%s) AS around (id, distance)
                WHERE distance <= %s
                ORDER BY distance, id
                %s""",
            query.select(SQL.identifier(alias, "id"), distance),
            radius_km,
            SQL("LIMIT %s", int(limit)) if limit else SQL(),
        )

    @api.model
    @api.readonly
    def _crm_search_around(
        self, latitude, longitude, radius_km, domain=None, limit=None
    ):
        """The records within ``radius_km`` of the place that the user may read
        and that match ``domain``, nearest first.

        One query whatever the number of records: the ORM's search (domain,
        active records, access rules) narrowed to the bounding box of the
        circle on the GiST index, the great-circle distance computed on those
        rows only.

        :param float latitude: the centre's latitude, in degrees
        :param float longitude: the centre's longitude, in degrees
        :param float radius_km: the radius, in km (at most ``MAX_RADIUS_KM``)
        :param domain: the records' own filters (status, agency, salesperson…)
        :param int limit: at most that many records, the nearest
        :return: a list of ``(id, distance_km)``
        """
        query = self._crm_around_sql(latitude, longitude, radius_km, domain, limit)
        self.flush_model(list(self._crm_around_columns))
        rows = self.env.execute_query(query)
        return [(record_id, float(distance)) for record_id, distance in rows]

    def _crm_around_marker(self):
        """A record as a marker of the map (static/src/partner_map)."""
        self.ensure_one()
        return {
            "id": self.id,
            "name": self.display_name,
            "kind": "lead",
            "city": ", ".join(filter(None, [self.city, self.country_id.name])),
            "salesperson": self.user_id.name or "",
            "approximate": True,
        }

    @api.model
    @api.readonly
    def get_around_markers(self, latitude, longitude, radius_km, ids=None):
        """Markers of the map in "Around…" mode (issue 27): the records within
        the radius (among ``ids`` when given), nearest first, each with its
        distance in km.

        :return: ``{"markers": [...], "latitude", "longitude", "radius_km"}``
        """
        domain = Domain("id", "in", [int(i) for i in ids]) if ids else None
        found = self._crm_search_around(latitude, longitude, radius_km, domain)
        records = self.browse([record_id for record_id, _distance in found])
        markers = []
        for record, (_record_id, distance) in zip(records, found, strict=True):
            latitude_column, longitude_column = self._crm_around_columns
            markers.append(
                dict(
                    record._crm_around_marker(),
                    lat=record[latitude_column],
                    lng=record[longitude_column],
                    distance=round(distance, 1),
                )
            )
        return {
            "markers": markers,
            "latitude": float(latitude),
            "longitude": float(longitude),
            "radius_km": float(radius_km),
        }
