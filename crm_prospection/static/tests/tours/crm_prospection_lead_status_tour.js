// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import {registry} from "@web/core/registry";

/**
 * STAT-1…STAT-4 in the web client: a status created at sequence 15 shows in the
 * workflow bar between 10 and 20; clicking it applies it; Mark Lost asks for a
 * reason and moves the lead to the history.
 */
registry.category("web_tour.tours").add("crm_prospection_lead_status", {
    url: "/odoo/action-crm_prospection.crm_lead_status_action",
    steps: () => [
        {
            content: "Create a status",
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            trigger: ".o_data_row.o_selected_row .o_field_widget[name=name] input",
            run: "edit Discovery call",
        },
        {
            trigger: ".o_data_row.o_selected_row .o_field_widget[name=sequence] input",
            run: "edit 15",
        },
        {
            trigger: ".o_list_button_save",
            run: "click",
        },
        {
            trigger: ".o_data_row:not(.o_selected_row):contains(Discovery call)",
        },
        {
            content: "Open the leads",
            trigger: "body",
            run: "goToUrl /odoo/prospection-leads",
            expectUnloadPage: true,
        },
        {
            trigger: ".o_list_view .o_data_row td[name=name]:contains(Tour lead A)",
            run: "click",
        },
        {
            content:
                "The new status sits between To be processed and Marketing qualification",
            trigger: ".o_statusbar_status button[data-value]:contains(Discovery call)",
            run() {
                const labels = [
                    ...document.querySelectorAll(
                        ".o_statusbar_status button[data-value]"
                    ),
                ]
                    .map((button) => button.textContent.trim())
                    .reverse(); // the bar lists its buttons right to left
                const position = (label) => labels.indexOf(label);
                if (
                    !(
                        position("To be processed") < position("Discovery call") &&
                        position("Discovery call") < position("Marketing qualification")
                    )
                ) {
                    throw new Error(
                        `Unexpected order in the bar: ${labels.join(", ")}`
                    );
                }
            },
        },
        {
            trigger: ".o_statusbar_status button[data-value]:contains(Discovery call)",
            run: "click",
        },
        {
            content: "The click applied the status",
            trigger:
                ".o_statusbar_status button.o_arrow_button_current:contains(Discovery call)",
        },
        {
            content: "Back to the list",
            trigger: ".o_breadcrumb .o_back_button a, .breadcrumb-item a",
            run: "click",
        },
        {
            trigger: ".o_list_view .o_data_row td[name=name]:contains(Tour lead B)",
            run: "click",
        },
        {
            trigger: ".o_form_view button[name=action_open_lost_wizard]",
            run: "click",
        },
        {
            content: "Lost asks for a reason",
            trigger:
                ".modal .o_field_widget[name=lost_reason_id] span:contains(Chose a competitor), .modal .o_field_widget[name=lost_reason_id] button:contains(Chose a competitor)",
            run: "click",
        },
        {
            trigger: ".modal button[name=action_lost_reason_apply]",
            run: "click",
        },
        {
            trigger: ".o_form_view .ribbon:contains(Lost)",
        },
        {
            content: "The lost lead is in the history",
            trigger: "body",
            run: "goToUrl /odoo/prospection-lead-history",
            expectUnloadPage: true,
        },
        {
            trigger: ".o_list_view .o_data_row td[name=name]:contains(Tour lead B)",
        },
        {
            trigger:
                ".o_list_view:not(:has(.o_data_row td[name=name]:contains(Tour lead A)))",
        },
    ],
});
