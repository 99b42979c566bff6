# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CrmAgencyMixin(models.AbstractModel):
    """An ``agency_id`` defaulting to the user's agency, of the record's company."""

    _name = "crm.agency.mixin"
    _description = "Agency of a record (PART-8)"

    agency_id = fields.Many2one(
        "crm.agency",
        index="btree_not_null",
        default=lambda self: self.env.user.default_agency_id,
        domain="[('company_id', '=?', company_id)]",
        tracking=True,
        groups="base.group_user",
    )

    @api.constrains("agency_id", "company_id")
    def _check_agency_company(self):
        for record in self.filtered("agency_id"):
            if record.company_id and record.agency_id.company_id != record.company_id:
                raise ValidationError(
                    self.env._(
                        "The agency %(agency)s belongs to %(agency_company)s, not to "
                        "%(company)s, the company of %(record)s.",
                        agency=record.agency_id.display_name,
                        agency_company=record.agency_id.company_id.name,
                        company=record.company_id.name,
                        record=record.display_name,
                    )
                )
