# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re

from odoo import api, fields, models

# GeoNames names a French arrondissement after its commune and its number
# ("Lyon 01", "Paris 15", "Marseille 13"); La Poste delivers to the commune
# ("69001 LYON"), the zip telling the arrondissement.
ARRONDISSEMENT = re.compile(r"^(?P<commune>\D*\S)\s+\d{1,2}$")
ARRONDISSEMENT_COUNTRIES = {"FR"}


def delivery_name(name, country_code):
    """The name to write on a letter for the city ``name`` of that country."""
    if name and country_code in ARRONDISSEMENT_COUNTRIES:
        match = ARRONDISSEMENT.match(name)
        if match:
            return match["commune"]
    return name


class ResCity(models.Model):
    _inherit = "res.city"

    # GEO-1, GEO-4: the commune an address names; the city keeps GeoNames'
    # name (its arrondissement), which searches find.
    crm_delivery_name = fields.Char(
        string="Delivery name",
        compute="_compute_crm_delivery_name",
        help="The name addresses give: the commune of an arrondissement "
        "(Lyon for Lyon 01), the zip telling which one.",
    )

    # A partner or lead typed without zip is placed from its city's name,
    # looked up whatever the case within its country (GEO-3); the city import
    # matches names the same way.
    _country_name_lower_idx = models.Index("(country_id, lower(name->>'en_US'))")

    @api.depends("name", "country_id.code")
    def _compute_crm_delivery_name(self):
        for city in self:
            city.crm_delivery_name = delivery_name(city.name, city.country_id.code)
