# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json

from odoo import api, fields, models
from odoo.exceptions import UserError

# Tracked field types whose tracking values depend on the old and new values
# only (a monetary one also depends on its record's currency).
SHAREABLE_TRACKING_TYPES = {
    "boolean",
    "char",
    "date",
    "datetime",
    "float",
    "integer",
    "many2one",
    "selection",
    "text",
}


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

    @api.model
    def _fields_changed_by(self, records, values):
        """The tracked fields that writing ``values`` may change: those written
        and those computed from them (all of them when the status changes: it
        drives other fields in ``write()``)."""
        tracked = records._track_get_fields()
        if "lead_status_id" in values:
            return tracked
        names = set(values)
        for name in values:
            for field in records.pool.get_dependent_fields(records._fields[name]):
                if field.model_name == records._name:
                    names.add(field.name)
        return tracked & names

    @api.model
    def _log_tracking_in_batch(self, records, tracked):
        """Log the tracking prepared for ``records`` now, in one batch of messages
        instead of one message at a time at commit; changes that notify (a
        subtype, a template) or carry their own body or author are left to
        Odoo's own tracking."""
        data = self.env.cr.precommit.data
        initial_values = data.get(f"mail.tracking.{records._name}", {})
        custom = (
            data.get(f"mail.tracking.message.{records._name}", {}).keys()
            | data.get(f"mail.tracking.author.{records._name}", {}).keys()
        )
        tracked_fields = records.fields_get(
            tracked, attributes=("string", "type", "selection", "currency_field")
        )
        bodies, tracking, shared = {}, {}, {}
        for record in records:
            initial = initial_values.get(record.id)
            # Tracking prepared before (other fields) or customised: Odoo's own.
            if not initial or record.id in custom or not initial.keys() <= tracked:
                continue
            # Leads changed alike (same salesperson before, same after) share
            # their tracking values: compared once, not once per lead.
            key = self._shared_tracking_key(record, initial, tracked_fields)
            if key is not None and key in shared:
                changes, tracking_values = shared[key]
            else:
                changes, tracking_values = record._mail_track(tracked_fields, initial)
                if key is not None:
                    shared[key] = changes, tracking_values
            if changes and (
                record._track_subtype({name: initial[name] for name in changes})
                or record._track_template(changes)
            ):
                continue
            del initial_values[record.id]
            if changes:
                bodies[record.id] = record._track_get_default_log_message(changes)
                tracking[record.id] = tracking_values
        if not bodies:
            return
        messages = records.browse(bodies)._message_log_batch(bodies)
        self.env["mail.tracking.value"].sudo().create(
            [
                dict(command[2], mail_message_id=message.id)
                for message in messages
                for command in tracking[message.res_id]
            ]
        )

    @api.model
    def _shared_tracking_key(self, record, initial, tracked_fields):
        """What ``record``'s tracking values depend on when it is its old and new
        values only (None otherwise): records with the same key share them."""
        key = []
        for name in sorted(initial):
            kind = tracked_fields[name]["type"]
            if kind == "properties":
                # Tracked as Odoo does (mail's _mail_track): from the old values,
                # when they changed, if their definition (the team: in the key
                # too) changed.
                new = record._fields[name].convert_to_read(record[name], record)
                old = initial[name]
                key.append((name, repr(old), new == old or not (new or old)))
            elif kind in SHAREABLE_TRACKING_TYPES:
                key.append((name, initial[name], record[name]))
            else:
                return None
        return tuple(key)

    # ------------------------------------------------------------------
    # In the background (crm.batch.job)
    # ------------------------------------------------------------------

    def _batch_job_values(self):
        """The wizard's values, as the scheduler gives them back to it for each
        batch (dates as strings, commands as lists); its leads are the lines'."""
        values = json.loads(json.dumps(self.copy_data()[0], default=str))
        values.pop("lead_ids", None)
        return values

    def _batch_job_snapshot_fields(self):
        """The fields whose value at queueing time the job keeps per lead."""
        return []

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
