// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import {registry} from "@web/core/registry";

/**
 * LEAD-1…LEAD-7: create a lead with its identity, a quick-created job position,
 * the zip completion and the marketing panel.
 */
registry.category("web_tour.tours").add("crm_prospection_lead_create", {
    url: "/odoo/prospection-leads",
    steps: () => [
        {
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=name] textarea",
            run: "edit Tour: new catalog request",
        },
        {
            trigger: ".o_field_widget[name=first_name] input",
            run: "edit Lina",
        },
        {
            trigger: ".o_field_widget[name=last_name] input",
            run: "edit Moreau",
        },
        {
            trigger: ".o_field_widget[name=partner_name] input",
            run: "edit Tour Lumière SA",
        },
        {
            content: "Quick-create a job position from the field",
            trigger: ".o_field_widget[name=job_position_id] input",
            run: "edit Tour Buyer",
        },
        {
            trigger:
                ".o-autocomplete--dropdown-menu .o_m2o_dropdown_option_create a, .o-autocomplete--dropdown-menu li:contains(Create) a",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=job_position_id] input:value(Tour Buyer)",
        },
        {
            content: "The zip fills city, state and country",
            trigger: ".o_field_widget[name=location_id] input",
            run: "edit 69099",
        },
        {
            trigger: ".o-autocomplete--dropdown-menu li:contains(69099) a",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=city] input:value(Tour City)",
        },
        {
            content: "Four stars",
            trigger: ".o_field_widget[name=lead_score] .o_priority_star:eq(3)",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=is_key_account] input",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=company_size] input",
            run: "click",
        },
        {
            trigger: ".o_select_menu_item:contains(100–500)",
            run: "click",
        },
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved, in the first open status, with the search shortcuts",
            trigger: ".o_form_view .o_form_saved",
        },
        {
            trigger:
                ".o_statusbar_status button.o_arrow_button_current:contains(To be processed)",
        },
        {
            trigger: ".o_field_widget[name=google_url] a[href*='Tour+Lumi']",
        },
    ],
});
