// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import {registry} from "@web/core/registry";
import {
    pickInDialogSteps,
    selectListRowsSteps,
} from "@crm_prospection/../tests/tours/crm_prospection_tour_steps";

/**
 * LEAD-8: select leads in the list and mass-update their salesperson and status.
 */
registry.category("web_tour.tours").add("crm_prospection_mass_update", {
    url: "/odoo/prospection-leads",
    steps: () => [
        ...selectListRowsSteps(["Mass tour lead 1", "Mass tour lead 2"]),
        {
            trigger:
                ".o_list_view .o_control_panel_actions button:contains(Mass update), .o_list_buttons button:contains(Mass update), button:contains(Mass update)",
            run: "click",
        },
        {
            content: "The dialog says how many leads",
            trigger: ".modal .o_field_widget[name=lead_count]:contains(2)",
        },
        ...pickInDialogSteps("user_id", "Mass Tour Salesman"),
        ...pickInDialogSteps("lead_status_id", "Nurturing"),
        {
            trigger: ".modal button[name=action_apply]",
            run: "click",
        },
        {
            content: "A summary is shown",
            trigger: ".o_notification:contains(2 records updated)",
        },
    ],
});
