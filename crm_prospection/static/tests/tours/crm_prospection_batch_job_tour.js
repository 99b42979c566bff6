// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import {registry} from "@web/core/registry";
import {
    pickInDialogSteps,
    selectListRowsSteps,
} from "@crm_prospection/../tests/tours/crm_prospection_tour_steps";

/**
 * LEAD-8: a mass update above the company's threshold is queued: the dialog
 * closes at once and says the update runs in the background.
 */
registry.category("web_tour.tours").add("crm_prospection_batch_job_queue", {
    url: "/odoo/prospection-leads",
    steps: () => [
        ...selectListRowsSteps([
            "Job tour lead 1",
            "Job tour lead 2",
            "Job tour lead 3",
        ]),
        {
            trigger: ".o_control_panel .o_cp_action_menus button:has(.fa-cog)",
            run: "click",
        },
        {
            trigger: ".o-dropdown--menu .o-dropdown-item:contains(Mass update)",
            run: "click",
        },
        ...pickInDialogSteps("lead_status_id", "Nurturing"),
        {
            trigger: ".modal button[name=action_apply]",
            run: "click",
        },
        {
            content: "The wizard answers at once: the job runs in the background",
            trigger: ".o_notification:contains(runs in the background)",
        },
        {
            trigger: "body:not(:has(.modal))",
        },
    ],
});

/**
 * LEAD-8: the job, once run, in CRM › Configuration › Background Jobs, with its
 * counts and the leads it updated.
 */
registry.category("web_tour.tours").add("crm_prospection_batch_job_done", {
    url: "/odoo/action-crm_prospection.crm_batch_job_action",
    steps: () => [
        {
            content: "The job is done",
            trigger:
                ".o_list_view .o_data_row:contains(Mass update of 3 records):contains(Done) td[name=name]",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=done_count]:contains(3)",
        },
        {
            trigger: ".o_form_view .oe_stat_button[name=action_open_leads]",
            run: "click",
        },
        {
            content: "Its leads, in their new status",
            trigger:
                ".o_list_view .o_data_row:contains(Job tour lead 3):contains(Nurturing)",
        },
    ],
});
