// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import {registry} from "@web/core/registry";

/**
 * Axelor's conversion walkthrough (CONV-1…CONV-5): a lead in Sales qualification
 * is converted into a new prospect, its contact and an opportunity; the new
 * prospect opens, with the opportunity in its Prospection tab.
 */
registry.category("web_tour.tours").add("crm_prospection_conversion", {
    url: "/odoo/prospection-leads",
    steps: () => [
        {
            trigger:
                ".o_list_view .o_data_row td[name=name]:contains(Conversion tour lead)",
            run: "click",
        },
        {
            content: "Convert the qualified lead",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_convert]",
            run: "click",
        },
        {
            content: "The wizard proposes a new prospect company",
            trigger:
                ".modal .o_field_widget[name=partner_action] input[data-value=create]:checked",
        },
        {
            trigger:
                ".modal .o_field_widget[name=partner_kind] input[data-value=prospect]:checked",
        },
        {
            trigger: ".modal .o_field_widget[name=create_opportunity] input",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=opportunity_name] input",
            run: "edit Catalogs 2027",
        },
        {
            trigger: ".modal .o_field_widget[name=expected_revenue] input",
            run: "edit 15000",
        },
        {
            trigger: ".modal button[name=action_convert]",
            run: "click",
        },
        {
            content: "The new prospect opens",
            trigger: ".o_breadcrumb:contains(Tour Industries)",
        },
        {
            trigger: ".o_form_view .ribbon:contains(Prospect)",
        },
        {
            trigger: ".o_notebook .nav-link:contains(Prospection)",
            run: "click",
        },
        {
            content: "Its opportunity is listed",
            trigger:
                ".o_field_widget[name=crm_opportunity_ids] .o_data_row:contains(Catalogs 2027)",
        },
        {
            trigger:
                ".o_field_widget[name=origin_lead_ids] .o_data_row:contains(Conversion tour lead)",
        },
    ],
});
