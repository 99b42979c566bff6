# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class CrmCatalogType(models.Model):
    """Kind of catalog (CAT-1), e.g. a brand or a product family."""

    _name = "crm.catalog.type"
    _description = "Catalog Type"
    _order = "sequence, name, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
