# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError


class CrmLeadWizardMixin(models.AbstractModel):
    """What the wizards working on selected leads share: the leads, their count,
    their company and the users it allows (CFG-1)."""

    _name = "crm.lead.wizard.mixin"
    _description = "Wizard on selected leads"

    lead_ids = fields.Many2many(
        "crm.lead", string="Leads", context={"active_test": False}
    )
    lead_count = fields.Integer(compute="_compute_lead_count")
    company_id = fields.Many2one(
        "res.company", string="Leads' company", compute="_compute_company_id"
    )
    crm_assignable_group_ids = fields.Many2many(
        "res.groups", compute="_compute_crm_assignable_group_ids"
    )

    def _check_not_archived(self, field_names):
        """Values chosen among referentials are still in use (not archived): an
        archived status, agency, team or user is refused rather than written."""
        for name in field_names:
            value = self[name]
            if value and "active" in value._fields and not value.active:
                raise UserError(
                    self.env._(
                        "%(value)s (%(field)s) is archived: choose a value in use.",
                        value=value.display_name,
                        field=self._fields[name].get_description(self.env)["string"],
                    )
                )

    @api.depends("lead_ids")
    def _compute_lead_count(self):
        for wizard in self:
            wizard.lead_count = len(wizard.lead_ids)

    @api.depends("lead_ids.company_id")
    def _compute_company_id(self):
        for wizard in self:
            companies = wizard.lead_ids.company_id
            wizard.company_id = companies if len(companies) == 1 else False

    @api.depends("company_id")
    def _compute_crm_assignable_group_ids(self):
        for wizard in self:
            company = wizard.company_id or self.env.company
            wizard.crm_assignable_group_ids = company._crm_assignable_groups()
