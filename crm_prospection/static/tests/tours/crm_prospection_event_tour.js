// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import {registry} from "@web/core/registry";

/**
 * EVT-1, EVT-2, EVT-5, EVT-6: log a call from a lead's events tab, mark it done
 * from the tab, then find it in the CRM events calendar.
 */
registry.category("web_tour.tours").add("crm_prospection_event", {
    url: "/odoo/prospection-leads",
    steps: () => [
        {
            trigger: ".o_list_view .o_data_row td[name=name]:contains(Event tour lead)",
            run: "click",
        },
        {
            trigger: ".o_notebook .nav-link:contains(Events)",
            run: "click",
        },
        {
            content: "Create a call",
            trigger: ".o_notebook button[name=action_crm_new_event]:contains(Call)",
            run: "click",
        },
        {
            content: "The event is a call, outbound by default",
            trigger:
                ".modal .o_field_widget[name=crm_event_type] input[data-value=call]:checked",
        },
        {
            trigger:
                ".modal .o_field_widget[name=call_direction] input[data-value=outbound]:checked",
        },
        {
            trigger: ".modal .o_field_widget[name=name] input",
            run: "edit Qualification call",
        },
        {
            trigger: ".modal .o_form_button_save",
            run: "click",
        },
        {
            content: "The call is listed in the events tab",
            trigger:
                ".o_field_widget[name=crm_event_ids] .o_data_row:contains(Qualification call)",
        },
        {
            trigger:
                ".o_field_widget[name=crm_event_ids] .o_data_row:contains(Qualification call) button[name=action_crm_done]",
            run: "click",
        },
        {
            content: "Marked done",
            trigger:
                ".o_field_widget[name=crm_event_ids] .o_data_row:contains(Qualification call):contains(Done):not(:has(button[name=action_crm_done]))",
        },
        {
            content: "Open the events calendar",
            trigger: "body",
            run: "goToUrl /odoo/crm-events?view_type=calendar",
            expectUnloadPage: true,
        },
        {
            trigger: ".o_calendar_view",
        },
        {
            content: "Show done events too",
            trigger: ".o_searchview .o_facet_remove",
            run: "click",
        },
        {
            trigger: ".o_calendar_view .fc-event:contains(Qualification call)",
        },
    ],
});
