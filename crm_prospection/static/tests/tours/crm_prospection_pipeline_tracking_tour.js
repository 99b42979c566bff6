// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import {registry} from "@web/core/registry";

/**
 * PIPE-1: track partners of an industry, see how many match, then their
 * opportunities and their events.
 */
registry.category("web_tour.tours").add("crm_prospection_pipeline_tracking", {
    url: "/odoo/pipeline-tracking",
    steps: () => [
        {
            content: "Track partners",
            trigger:
                ".o_form_view .o_field_widget[name=target] input[data-value=partner]",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=industry_ids] input",
            run: "edit Tour tracking industry",
        },
        {
            trigger: ".ui-autocomplete a:contains(Tour tracking industry)",
            run: "click",
        },
        {
            content: "One partner matches, with one opportunity and one event",
            trigger:
                ".o_form_view button[name=action_open_records] .o_field_widget:text(1)",
        },
        {
            trigger:
                ".o_form_view button[name=action_open_opportunities] .o_field_widget:text(1)",
        },
        {
            trigger:
                ".o_form_view button[name=action_open_events] .o_field_widget:text(1)",
            run: "click",
        },
        {
            content: "The partner's event",
            trigger: ".o_list_view .o_data_row:contains(Tour tracked event)",
        },
        {
            content: "Back to the tracking screen",
            trigger: ".o_breadcrumb .breadcrumb-item a",
            run: "click",
        },
        {
            trigger: ".o_form_view button[name=action_open_opportunities]",
            run: "click",
        },
        {
            content: "The partner's opportunity",
            trigger:
                ".o_kanban_view .o_kanban_record:contains(Tour tracked opportunity)",
        },
    ],
});
