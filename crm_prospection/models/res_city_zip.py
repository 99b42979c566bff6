# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models, tools


class ResCityZip(models.Model):
    _inherit = "res.city.zip"

    # GEO-3: where the zip is (GeoNames gives it), to place partners and leads
    # of that zip or city when no street-level geocoding is available.
    latitude = fields.Float(digits=(10, 7))
    longitude = fields.Float(digits=(10, 7))

    @api.model
    @tools.ormcache()
    def _crm_has_coordinates(self):
        """Whether any zip of the referential is located: until one is, placing
        partners from it is not even tried (no query at each new partner)."""
        self.flush_model(["latitude"])
        self.env.cr.execute(
            "SELECT EXISTS(SELECT 1 FROM res_city_zip WHERE latitude IS NOT NULL)"
        )
        return self.env.cr.fetchone()[0]

    @api.model_create_multi
    def create(self, vals_list):
        zips = super().create(vals_list)
        if any(vals.get("latitude") or vals.get("longitude") for vals in vals_list):
            self.env.registry.clear_cache()
        return zips

    def write(self, vals):
        result = super().write(vals)
        if {"latitude", "longitude"} & set(vals):
            self.env.registry.clear_cache()
        return result
