# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..models.crm_assignable_mixin import ASSIGNABLE_USER_DOMAIN

UPDATABLE_FIELDS = ("user_id", "team_id", "industry_id", "agency_id", "lead_status_id")


class CrmLeadMassUpdate(models.TransientModel):
    """LEAD-8: set the same values on many leads in one write."""

    _name = "crm.lead.mass.update"
    _description = "Lead mass update"
    _inherit = ["crm.lead.wizard.mixin", "crm.batch.job.mixin"]
    _batch_job_type = "mass_update"
    _batch_job_size = 1000

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

    def _check_team_company(self, companies):
        """The team belongs to the companies of the leads (or to none)."""
        team_company = self.team_id.company_id
        foreign = companies - team_company if team_company else companies.browse()
        if foreign:
            raise UserError(
                self.env._(
                    "The team %(team)s belongs to %(company)s, not to %(other)s, "
                    "the company of some of the leads.",
                    team=self.team_id.name,
                    company=team_company.name,
                    other=foreign[0].name,
                )
            )

    def _check_assignable_user(self, companies):
        """CFG-1, checked before anything is written."""
        if not self.user_id:
            return
        Lead = self.env["crm.lead"]
        for company in companies or self.env.company:
            if not Lead._crm_filter_assignable(self.user_id, company):
                raise UserError(
                    self.env._(
                        "%(user)s cannot be assigned to leads of %(company)s: see "
                        "Settings › CRM › Assignable users.",
                        user=self.user_id.name,
                        company=company.name,
                    )
                )

    def _write_in_batch(self, records, values):
        """Write ``values`` on many records as one operation, tracked by
        Odoo's own tracking (mail's ``_message_track``: per record, one note
        with its tracking values, or a message under a subtype for a stage,
        won or lost), the notes created in one batch, not one by one at the
        end of the request (most of the time of a mass update).

        Odoo's write of a salesperson e-mails them once per record ("You have
        been assigned to…"): here the new salesperson follows the records
        without an e-mail per record, as after Odoo's automatic assignment."""
        records = records.with_context(mail_auto_subscribe_no_notify=True)
        records.write(values)
        records._crm_track_in_batch()

    def action_apply(self):
        """Write the chosen values on every selected record at once (the status on
        leads only); the records' own constraints (assignable users, companies)
        refuse what is not allowed, and nothing is written then. Above the
        company's threshold the update runs in the background instead."""
        self.ensure_one()
        records = self.lead_ids
        if not records:
            raise UserError(self.env._("Select the leads to update."))
        values = self._prepare_values()
        self._check_not_archived(UPDATABLE_FIELDS)
        if len(records) > self.env.company.crm_batch_threshold:
            # Checked now on the leads' companies, so that the user knows at once
            # (the ids as one array: the user may have selected every lead).
            rows = self.env.execute_query(
                SQL(
                    "SELECT DISTINCT company_id FROM crm_lead WHERE id = ANY(%s)",
                    records.ids,
                )
            )
            companies = self.env["res.company"].browse(row[0] for row in rows if row[0])
            self._check_team_company(companies)
            self._check_assignable_user(companies)
            return self._batch_job_queue()
        self._check_team_company(records.company_id)
        self._check_assignable_user(records.company_id)
        self._apply_values(records, values)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "%(count)s records updated: %(fields)s.",
                    count=len(records),
                    fields=", ".join(self._field_labels(values)),
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def _apply_values(self, records, values):
        """Write ``values`` on ``records``, the status on leads only."""
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

    def _field_labels(self, values):
        return [
            self._fields[name].get_description(self.env)["string"] for name in values
        ]

    def _describe(self, values):
        return "\n".join(
            f"{label}: {self[name].display_name}"
            for name, label in zip(values, self._field_labels(values), strict=True)
        )

    # ------------------------------------------------------------------
    # In the background (crm.batch.job)
    # ------------------------------------------------------------------

    def _batch_job_snapshot_fields(self):
        return list(self._prepare_values())

    def _batch_job_describe(self):
        return self._describe(self._prepare_values())

    def _batch_job_apply(self, lines):
        """Apply the values to the leads of ``lines``. A value changed on a lead
        since the job was queued was set by hand: it is kept, and a lead whose
        every value was changed is left as it is."""
        values = self._prepare_values()
        self._check_team_company(lines.lead_id.company_id)
        self._check_assignable_user(lines.lead_id.company_id)
        to_write = defaultdict(list)
        problems = {}
        for line in lines:
            lead, snapshot = line.lead_id, line.snapshot or {}
            unchanged = tuple(
                name for name in values if (lead[name].id or None) == snapshot.get(name)
            )
            if unchanged:
                to_write[unchanged].append(lead.id)
            else:
                problems[line] = (
                    "skipped",
                    self.env._("Changed by hand since the job was queued: kept."),
                )
        for names, lead_ids in to_write.items():
            leads = self.env["crm.lead"].browse(lead_ids)
            written = {name: values[name] for name in names}
            self._apply_values(leads, written)
            lines.job_id._carry_to_later_jobs(leads, written)
        return problems
