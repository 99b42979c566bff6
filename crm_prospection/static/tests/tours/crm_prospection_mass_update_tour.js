// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import {registry} from "@web/core/registry";

/**
 * LEAD-8: select leads in the list and mass-update their salesperson and status.
 */
registry.category("web_tour.tours").add("crm_prospection_mass_update", {
    url: "/odoo/prospection-leads",
    steps: () => [
        {
            trigger:
                ".o_list_view .o_data_row:contains(Mass tour lead 1) .o_list_record_selector input",
            run: "click",
        },
        {
            trigger:
                ".o_list_view .o_data_row:contains(Mass tour lead 2) .o_list_record_selector input",
            run: "click",
        },
        {
            trigger:
                ".o_list_view .o_control_panel_actions button:contains(Mass update), .o_list_buttons button:contains(Mass update), button:contains(Mass update)",
            run: "click",
        },
        {
            content: "The dialog says how many leads",
            trigger: ".modal .o_field_widget[name=lead_count]:contains(2)",
        },
        {
            trigger: ".modal .o_field_widget[name=user_id] input",
            run: "edit Mass Tour Salesman",
        },
        {
            trigger: ".o-autocomplete--dropdown-menu li:contains(Mass Tour Salesman) a",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=lead_status_id] input",
            run: "edit Nurturing",
        },
        {
            trigger: ".o-autocomplete--dropdown-menu li:contains(Nurturing) a",
            run: "click",
        },
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
