# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
from odoo.exceptions import UserError

from ..models.crm_assignable_mixin import ASSIGNABLE_USER_DOMAIN

UPDATABLE_FIELDS = ("user_id", "team_id", "industry_id", "agency_id", "lead_status_id")


class CrmLeadMassUpdate(models.TransientModel):
    """LEAD-8: set the same values on many leads in one write."""

    _name = "crm.lead.mass.update"
    _description = "Lead mass update"
    _inherit = ["crm.lead.wizard.mixin"]

    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        domain=ASSIGNABLE_USER_DOMAIN,
    )
    team_id = fields.Many2one(
        "crm.team",
        string="Sales team",
        domain="[('company_id', 'in', (company_id, False))]",
    )
    industry_id = fields.Many2one("res.partner.industry")
    agency_id = fields.Many2one(
        "crm.agency", domain="[('company_id', '=?', company_id)]"
    )
    lead_status_id = fields.Many2one(
        "crm.lead.status",
        string="Status",
        domain="[('code', '=', False)]",
        help="Lost is set with Mark Lost (it asks for a reason); Converted by the "
        "conversion.",
    )

    def _prepare_values(self):
        values = {name: self[name].id for name in UPDATABLE_FIELDS if self[name]}
        if not values:
            raise UserError(self.env._("Choose at least one value to update."))
        if self.lead_status_id.code:
            raise UserError(
                self.env._(
                    "Lost and Converted cannot be set by a mass update: use Mark "
                    "Lost or Convert."
                )
            )
        return values

    def _check_team_company(self, records):
        team_company = self.team_id.company_id
        foreign = records.filtered(
            lambda lead: (
                team_company and lead.company_id and lead.company_id != team_company
            )
        )
        if foreign:
            raise UserError(
                self.env._(
                    "The team %(team)s belongs to %(company)s, not to %(other)s, "
                    "the company of %(lead)s.",
                    team=self.team_id.name,
                    company=team_company.name,
                    other=foreign[0].company_id.name,
                    lead=foreign[0].display_name,
                )
            )

    def _check_assignable_user(self, records):
        """CFG-1, checked before anything is written."""
        if not self.user_id:
            return
        for company in records.company_id or self.env.company:
            if not records._crm_filter_assignable(self.user_id, company):
                raise UserError(
                    self.env._(
                        "%(user)s cannot be assigned to leads of %(company)s: see "
                        "Settings › CRM › Assignable users.",
                        user=self.user_id.name,
                        company=company.name,
                    )
                )

    def _write_in_batch(self, records, values):
        """Write ``values`` on many records as one operation.

        Odoo's write of a salesperson e-mails them once per record ("You have
        been assigned to…"): here the new salesperson follows the records
        without an e-mail per record, as after Odoo's automatic assignment. The
        changes are tracked by Odoo, as any write."""
        records.with_context(mail_auto_subscribe_no_notify=True).write(values)

    def action_apply(self):
        """Write the chosen values on every selected record at once (the status on
        leads only); the records' own constraints (assignable users, companies)
        refuse what is not allowed, and nothing is written then."""
        self.ensure_one()
        records = self.lead_ids
        if not records:
            raise UserError(self.env._("Select the leads to update."))
        values = self._prepare_values()
        self._check_not_archived(UPDATABLE_FIELDS)
        self._check_team_company(records)
        self._check_assignable_user(records)
        leads = records.filtered(lambda lead: lead.type == "lead")
        if "lead_status_id" in values:
            if not leads:
                raise UserError(self.env._("A status only applies to leads."))
            self._write_in_batch(leads, values)
            others_values = dict(values)
            others_values.pop("lead_status_id")
            if others_values and records - leads:
                self._write_in_batch(records - leads, others_values)
        else:
            self._write_in_batch(records, values)
        labels = ", ".join(
            self._fields[name].get_description(self.env)["string"] for name in values
        )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "%(count)s records updated: %(fields)s.",
                    count=len(records),
                    fields=labels,
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
