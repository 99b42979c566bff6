# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import TransactionCase

from odoo.addons.mail.tests.common import mail_new_test_user


class CrmProspectionCase(TransactionCase):
    """Users of the three sales roles in two companies, and the standard statuses."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # English messages whatever languages the database has loaded.
        cls.env = cls.env(
            context=dict(cls.env.context, lang="en_US", tracking_disable=True)
        )
        cls.company = cls.env.ref("base.main_company")
        cls.company_2 = cls.env["res.company"].create({"name": "Prospection Belgium"})
        cls.salesman = mail_new_test_user(
            cls.env,
            login="cp_salesman",
            name="Sam Own Documents",
            groups="sales_team.group_sale_salesman",
            company_id=cls.company.id,
            lang="en_US",
        )
        cls.salesman_all = mail_new_test_user(
            cls.env,
            login="cp_salesman_all",
            name="Alex All Documents",
            groups="sales_team.group_sale_salesman_all_leads",
            company_id=cls.company.id,
            lang="en_US",
        )
        cls.sales_manager = mail_new_test_user(
            cls.env,
            login="cp_manager",
            name="Morgan Sales Manager",
            groups="sales_team.group_sale_manager",
            company_id=cls.company.id,
            lang="en_US",
        )
        cls.user_company_2 = mail_new_test_user(
            cls.env,
            login="cp_salesman_be",
            name="Bea Belgian Salesman",
            groups="sales_team.group_sale_salesman_all_leads",
            company_id=cls.company_2.id,
            company_ids=[(6, 0, cls.company_2.ids)],
            lang="en_US",
        )
        cls.employee = mail_new_test_user(
            cls.env,
            login="cp_employee",
            name="Eli Plain Employee",
            groups="base.group_user",
            company_id=cls.company.id,
            lang="en_US",
        )
        Status = cls.env["crm.lead.status"]
        cls.status_to_process = cls.env.ref("crm_prospection.lead_status_to_process")
        cls.status_marketing = cls.env.ref(
            "crm_prospection.lead_status_marketing_qualification"
        )
        cls.status_sales = cls.env.ref(
            "crm_prospection.lead_status_sales_qualification"
        )
        cls.status_nurturing = cls.env.ref("crm_prospection.lead_status_nurturing")
        cls.status_converted = Status._get_status("converted")
        cls.status_lost = Status._get_status("lost")

    @classmethod
    def _set_feature_group(cls, group_field, value):
        """Toggle a database-wide switch of Settings (CFG-3, CFG-5, CFG-8)."""
        cls.env["res.config.settings"].create({group_field: value}).execute()


class CrmLeadCase(CrmProspectionCase):
    """Leads helpers on top of the users and statuses."""

    @classmethod
    def _create_leads(cls, count=1, **values):
        return cls.env["crm.lead"].create(
            [
                dict({"name": f"Lead {index}", "type": "lead"}, **values)
                for index in range(count)
            ]
        )

    @classmethod
    def _lost_reason(cls, name="Too expensive", require_feedback=False):
        return cls.env["crm.lost.reason"].create(
            {"name": name, "require_feedback": require_feedback}
        )

    def _mark_lost(self, leads, reason, feedback=False):
        wizard = (
            self.env["crm.lead.lost"]
            .with_context(default_lead_ids=leads.ids)
            .create({"lost_reason_id": reason.id, "lost_feedback": feedback})
        )
        return wizard.action_lost_reason_apply()
