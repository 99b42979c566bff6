# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

# CFG-1: the users a picker offers, evaluated by the web client on the record
# (``crm_assignable_group_ids`` holds the groups its company allows). Every
# salesperson field of the add-on's models and wizards declares it; the views
# add no domain of their own, so that the field's applies. On the server side
# the same rule is ``res.company._crm_assignable_user_domain()``.
ASSIGNABLE_USER_DOMAIN = (
    "[('share', '=', False), ('all_group_ids', 'in', crm_assignable_group_ids)]"
)


class CrmAssignableMixin(models.AbstractModel):
    """Restrict ``user_id`` to the users the record's company allows (CFG-1).

    The picker reads ``crm_assignable_group_ids`` in its domain; a value chosen
    outside it is refused on save; a default outside it leaves the field empty.
    """

    _name = "crm.assignable.mixin"
    _description = "Assignable users (CFG-1)"

    crm_assignable_group_ids = fields.Many2many(
        "res.groups",
        compute="_compute_crm_assignable_group_ids",
        export_string_translation=False,
    )

    def _crm_assignment_company(self):
        self.ensure_one()
        return self.company_id or self.env.company

    @api.depends("company_id")
    @api.depends_context("company")
    def _compute_crm_assignable_group_ids(self):
        # One assignment per company: assigning record by record costs a query each.
        for company, records in self.grouped(
            lambda record: record._crm_assignment_company()
        ).items():
            records.crm_assignable_group_ids = company._crm_assignable_groups()

    @api.model
    def _crm_filter_assignable(self, users, company=None):
        """The part of ``users`` that records of ``company`` may be assigned to."""
        company = company or self.env.company
        return users.sudo().filtered_domain(company._crm_assignable_user_domain())

    @api.model
    def default_get(self, fields):
        values = super().default_get(fields)
        user_id = values.get("user_id")
        if user_id and not self._crm_filter_assignable(
            self.env["res.users"].browse(user_id)
        ):
            values["user_id"] = False
        return values

    @api.constrains("user_id", "company_id")
    def _check_crm_assignable_user(self):
        records = self.filtered("user_id")
        for company, group in records.grouped(
            lambda r: r._crm_assignment_company()
        ).items():
            allowed = self._crm_filter_assignable(group.user_id, company)
            refused = group.filtered(
                lambda r, allowed=allowed: r.user_id not in allowed
            )
            if refused:
                raise ValidationError(
                    self.env._(
                        "%(user)s cannot be assigned to %(record)s: %(company)s only "
                        "assigns users of the groups chosen in Settings › CRM › "
                        "Assignable users.",
                        user=refused[0].user_id.name,
                        record=refused[0].display_name,
                        company=company.name,
                    )
                )
