# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from unittest.mock import patch

import psycopg2

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from ..models import crm_batch_job
from .common import CrmLeadCase, last_job, mass_update_wizard, run_job

SMALL_BATCHES = {"crm.lead.mass.update": 3, "crm.lead.convert": 2}


@tagged("post_install", "-at_install")
class TestBatchJobs(CrmLeadCase):
    """LEAD-8, CONV-6: mass updates and conversions of more leads than the
    company's threshold run in the background, batch after batch."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.crm_batch_threshold = 4
        cls.leads = cls._create_leads(7, user_id=cls.salesman.id)
        cls.team = cls.env["crm.team"].create({"name": "Lyon team (jobs)"})

    def setUp(self):
        super().setUp()
        for wizard, size in SMALL_BATCHES.items():
            self.startPatcher(
                patch.object(self.registry[wizard], "_batch_job_size", size)
            )

    def _mass_update(self, leads=None, user=None, **values):
        """The mass update of ``leads`` (the class's by default) by ``user``."""
        leads = self.leads if leads is None else leads
        return mass_update_wizard(leads.with_user(user) if user else leads, **values)

    def test_below_threshold_runs_at_once(self):
        """LEAD-8: up to the threshold the mass update applies in the request."""
        leads = self.leads[:4]
        result = self._mass_update(leads, user_id=self.salesman_all.id).action_apply()
        self.assertIn("4 records updated", result["params"]["message"])
        self.assertEqual(leads.user_id, self.salesman_all)
        self.assertFalse(self.env["crm.batch.job"].search([]))

    def test_above_threshold_queues_then_runs_in_batches(self):
        """LEAD-8: above the threshold the wizard answers at once; the scheduled
        action applies the values 3 leads at a time and says when it is done."""
        cron = self.env.ref("crm_prospection.ir_cron_crm_batch_jobs")
        Trigger = self.env["ir.cron.trigger"]
        triggers = Trigger.search([("cron_id", "=", cron.id)])
        result = self._mass_update(
            user_id=self.salesman_all.id, team_id=self.team.id
        ).action_apply()
        self.assertTrue(
            Trigger.search([("cron_id", "=", cron.id)]) - triggers,
            "queueing wakes the scheduled action",
        )
        job = last_job(self.env)
        self.assertEqual(result["params"]["title"], job.name)
        self.assertEqual(
            (job.state, job.job_type, job.total_count), ("queued", "mass_update", 7)
        )
        self.assertEqual(job.lead_ids, self.leads)
        self.assertEqual(self.leads.user_id, self.salesman, "nothing written yet")

        job._run_batch()
        self.assertEqual((job.state, job.done_count), ("running", 3))
        self.assertEqual(
            len(self.leads.filtered(lambda lead: lead.team_id == self.team)), 3
        )
        self.env["bus.bus"].search([]).unlink()
        self.assertEqual(run_job(job), 2)
        self.assertEqual((job.state, job.done_count, job.progress), ("done", 7, 100))
        self.assertEqual(self.leads.user_id, self.salesman_all)
        self.assertEqual(self.leads.team_id, self.team)
        self.assertEqual(len(job.batch_log.splitlines()), 3)
        self.assertTrue(job.date_finished)
        self.env.cr.precommit.run()  # the bus sends at commit
        notification = self.env["bus.bus"].search(
            [("message", "like", "crm_prospection.batch_job_finished")]
        )
        self.assertEqual(len(notification), 1, "the user is told once, at the end")

    def test_tracking_same_as_direct_path(self):
        """LEAD-8: a lead updated in the background logs the same tracking message
        and gets the same follower as one updated directly."""
        direct, background = self._create_leads(2, user_id=self.salesman.id)
        self.env.flush_all()
        self.env.cr.precommit.run()
        self._mass_update(direct, user_id=self.salesman_all.id).action_apply()
        self._mass_update(
            background | self.leads, user_id=self.salesman_all.id
        ).action_apply()
        run_job(last_job(self.env))
        self.env.flush_all()
        self.env.cr.precommit.run()

        def audit(lead):
            messages = lead.message_ids.filtered("tracking_value_ids")
            return (
                [
                    (
                        m.body,
                        m.subtype_id,
                        m.tracking_value_ids._tracking_value_format(),
                    )
                    for m in messages
                ],
                lead.message_partner_ids,
            )

        direct_messages, direct_followers = audit(direct)
        background_messages, background_followers = audit(background)
        self.assertEqual(len(direct_messages), 1)
        for item in ("id", "changedField"):
            for values in direct_messages[0][2] + background_messages[0][2]:
                values.pop(item, None)
        self.assertEqual(background_messages, direct_messages)
        self.assertEqual(background_followers, direct_followers)
        self.assertIn(self.salesman_all.partner_id, background_followers)

    def test_hand_edit_kept(self):
        """LEAD-8: a value changed by hand while the job waits is kept; the
        job's other values still apply, and a lead whose every value was changed
        is left as it is, with the reason."""
        self._mass_update(
            user_id=self.salesman_all.id, team_id=self.team.id
        ).action_apply()
        job = last_job(self.env)
        other_team = self.env["crm.team"].create({"name": "Paris team (jobs)"})
        self.leads[5].user_id = self.sales_manager
        self.leads[6].write(
            {"user_id": self.sales_manager.id, "team_id": other_team.id}
        )
        run_job(job)
        self.assertEqual(self.leads[5].user_id, self.sales_manager)
        self.assertEqual(self.leads[5].team_id, self.team)
        self.assertEqual(self.leads[6].user_id, self.sales_manager)
        self.assertEqual(self.leads[6].team_id, other_team)
        self.assertEqual(self.leads[:5].user_id, self.salesman_all)
        self.assertEqual((job.done_count, job.skipped_count), (6, 1))
        self.assertEqual(job.problem_line_ids.lead_id, self.leads[6])
        self.assertIn("Changed by hand", job.problem_line_ids.message)

    def test_cancel(self):
        """LEAD-8: a cancelled job stops after its batch; what is done stays done."""
        self._mass_update(user_id=self.salesman_all.id).action_apply()
        job = last_job(self.env)
        job._run_batch()
        job.action_cancel()
        self.assertEqual(job.state, "cancelled")
        self.assertFalse(self.env["crm.batch.job"]._next_job())
        updated = self.leads.filtered(lambda lead: lead.user_id == self.salesman_all)
        self.assertEqual(len(updated), 3)
        self.assertEqual(set(job.line_ids.mapped("state")), {"done", "cancelled"})
        with self.assertRaisesRegex(UserError, "no longer waiting or running"):
            job.action_cancel()

    def test_failed_record_alone(self):
        """LEAD-8: a salesman's job touches only what he may write: a lead given
        to another salesman while the job waits fails alone, with the reason;
        the others are done."""
        own = self._create_leads(5, user_id=self.salesman.id)
        foreign = self._create_leads(1, user_id=self.salesman.id)
        self._mass_update(
            own | foreign, user=self.salesman, team_id=self.team.id
        ).action_apply()
        job = last_job(self.env)
        self.assertEqual(job.user_id, self.salesman)
        foreign.user_id = self.sales_manager
        run_job(job)
        self.assertEqual(own.team_id, self.team)
        self.assertFalse(foreign.team_id == self.team)
        self.assertEqual((job.state, job.done_count, job.failed_count), ("done", 5, 1))
        self.assertEqual(job.problem_line_ids.lead_id, foreign)
        self.assertTrue(job.problem_line_ids.message)

    def test_jobs_run_in_queue_order(self):
        """LEAD-8: two jobs on the same leads never interleave: the first one
        queued ends before the second starts."""
        self._mass_update(user_id=self.salesman_all.id).action_apply()
        first = last_job(self.env)
        self._mass_update(user_id=self.sales_manager.id).action_apply()
        second = last_job(self.env)
        Job = self.env["crm.batch.job"]
        while job := Job._next_job():
            if job == second:
                self.assertEqual(first.state, "done")
            job._run_batch()
        self.assertEqual(second.state, "done")
        self.assertEqual(self.leads.user_id, self.sales_manager)

    def test_queueing_answers_at_once(self):
        """LEAD-8: the wizard queues a job in the same few queries whatever the
        number of leads (5 or 50): the batches write the leads' lines."""
        leads = self.leads | self._create_leads(43, user_id=self.salesman.id)
        counts = {}
        for count in (5, 5, 50):
            wizard = self._mass_update(leads[:count], user_id=self.salesman_all.id)
            self.env.flush_all()
            if last_job(self.env):
                # The first queueing warmed the caches up; the next ones count.
                with self.countQueries() as counts[count]:
                    wizard.action_apply()
            else:
                wizard.action_apply()
            job = last_job(self.env)
            self.assertEqual((job.total_count, len(job.lead_ids)), (count, count))
            self.assertFalse(job.line_ids)
            job.action_cancel()
        self.assertQueriesConstant(counts)

    def test_lead_deleted_while_waiting(self):
        """LEAD-8: a lead deleted while the job waits is no longer to do; the
        others are updated and the job ends done."""
        self._mass_update(user_id=self.salesman_all.id).action_apply()
        job = last_job(self.env)
        self.leads[0].unlink()
        run_job(job)
        self.assertEqual((job.state, job.total_count, job.done_count), ("done", 6, 6))
        self.assertEqual(self.leads[1:].user_id, self.salesman_all)

    def test_lines_written_a_part_at_a_time(self):
        """LEAD-8: a job's leads become its lines a part at a time, ahead of the
        batches; the job ends once every lead is handled, in the leads' order."""
        self.startPatcher(patch.object(crm_batch_job, "LINES_PER_BATCH", 4))
        self._mass_update(user_id=self.salesman_all.id).action_apply()
        job = last_job(self.env)
        Job = self.env["crm.batch.job"]
        self.assertEqual(Job._remaining_count(), 7)
        job._run_batch()
        self.assertEqual(len(job.line_ids), 4)
        self.assertEqual(
            job.line_ids.filtered(lambda line: line.state == "done").lead_id,
            self.leads[:3],
        )
        self.assertEqual((job.state, Job._remaining_count()), ("running", 4))
        job._run_batch()
        self.assertEqual(len(job.line_ids), 7)
        self.assertEqual(run_job(job), 1)
        self.assertEqual((job.state, job.done_count, job.total_count), ("done", 7, 7))
        self.assertEqual(self.leads.user_id, self.salesman_all)

    def test_action_menu_takes_the_whole_selection(self):
        """LEAD-8: when the user selects the whole list beyond the ids the web
        client sends (web.active_ids_limit), the Action menu's mass update and
        conversion take every lead of the list's domain."""
        self.env["ir.config_parameter"].set_param("web.active_ids_limit", 3)
        domain = [("id", "in", self.leads.ids)]
        for method in ("action_open_mass_update", "action_convert"):
            action = getattr(
                self.leads[:3].with_context(active_domain=domain), method
            )()
            self.assertEqual(
                sorted(action["context"]["default_lead_ids"]), self.leads.ids
            )
            action = getattr(
                self.leads[:2].with_context(active_domain=domain), method
            )()
            self.assertEqual(
                action["context"]["default_lead_ids"],
                self.leads[:2].ids,
                "a selection below the limit is the user's own",
            )

    def test_jobs_access(self):
        """LEAD-8: a user sees and cancels his own jobs; another salesman
        neither sees nor cancels them; a sales manager sees every job."""
        self._mass_update(user=self.salesman, team_id=self.team.id).action_apply()
        job = last_job(self.env)
        Job = self.env["crm.batch.job"]
        self.assertEqual(Job.with_user(self.salesman).search([]), job)
        self.assertFalse(Job.with_user(self.salesman_all).search([]))
        self.assertFalse(
            self.env["crm.batch.job.line"].with_user(self.salesman_all).search([])
        )
        with self.assertRaises(AccessError):
            job.with_user(self.salesman_all).action_cancel()
        self.assertEqual(Job.with_user(self.sales_manager).search([]), job)
        with self.assertRaises(AccessError):
            job.with_user(self.salesman).write({"state": "done"})
        job.with_user(self.salesman).action_cancel()
        self.assertEqual(job.state, "cancelled")

    def test_threshold_setting(self):
        """LEAD-8: the threshold is a per-company setting, never negative."""
        settings = self.env["res.config.settings"].create({"crm_batch_threshold": 50})
        settings.execute()
        self.assertEqual(self.company.crm_batch_threshold, 50)
        with (
            self.assertRaises(psycopg2.errors.CheckViolation),
            mute_logger("odoo.sql_db"),
            self.cr.savepoint(),
        ):
            self.company.crm_batch_threshold = -1
            self.company.flush_recordset()

    def test_conversion_in_background(self):
        """CONV-6: a batch conversion above the threshold runs in the background,
        two leads a batch; each lead becomes its prospect, contact and
        opportunity, as in a direct batch conversion; a lead converted by hand
        while the job waits fails alone, with its reason."""
        leads = self._create_leads(
            5,
            partner_name="Background SA",
            contact_name="Ann Back",
            lead_status_id=self.status_sales.id,
        )
        for index, lead in enumerate(leads):
            lead.partner_name = f"Background SA {index}"
        result = (
            self.env["crm.lead.convert"]
            .with_context(default_lead_ids=leads.ids)
            .create({"create_opportunity": True})
            .action_convert()
        )
        job = last_job(self.env)
        self.assertEqual(result["params"]["title"], job.name)
        self.assertEqual((job.job_type, job.total_count), ("conversion", 5))
        self.assertFalse(leads.converted_partner_id, "nothing converted yet")
        # Converted by hand meanwhile: the job does not convert it again.
        (
            self.env["crm.lead.convert"]
            .with_context(default_lead_ids=leads[4].ids)
            .create({"create_opportunity": True})
            .action_convert()
        )
        self.assertEqual(run_job(job), 3)
        self.assertEqual((job.state, job.done_count, job.failed_count), ("done", 4, 1))
        self.assertIn("already converted", job.problem_line_ids.message)
        for lead in leads[:4]:
            self.assertEqual(lead.lead_status_id, self.status_converted)
            self.assertEqual(lead.converted_partner_id.name, lead.partner_name)
            self.assertTrue(lead.converted_partner_id.is_prospect)
            self.assertEqual(
                lead.converted_contact_id.parent_id, lead.converted_partner_id
            )
            self.assertEqual(lead.converted_opportunity_id.name, lead.name)
        self.assertEqual(len(leads.converted_partner_id), 5)
