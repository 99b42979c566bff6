/* License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */
import {registry} from "@web/core/registry";
import {openCrmSteps} from "@crm_prospection/../tests/tours/crm_prospection_tour_steps";

// GEO-3: the map shows customers and prospects, filters them, opens a partner.
registry.category("web_tour.tours").add("crm_prospection_partner_map", {
    url: "/odoo",
    steps: () => [
        ...openCrmSteps(),
        {
            content: "Open the Reporting menu",
            trigger: "button[data-menu-xmlid='crm.crm_menu_report']",
            run: "click",
        },
        {
            content: "Open the customers / prospects map",
            trigger:
                ".dropdown-item[data-menu-xmlid='crm_prospection.menu_crm_partner_map']",
            run: "click",
        },
        {
            content: "The customer is on the map, in the customers' colour",
            trigger:
                ".o_crm_partner_map_canvas .o_crm_map_marker_customer[title='Tour Map Customer']",
        },
        {
            content: "The prospect too, in the prospects' colour",
            trigger:
                ".o_crm_partner_map_canvas .o_crm_map_marker_prospect[title='Tour Map Prospect']",
        },
        {
            content: "Show the customers only",
            trigger: "select.o_crm_map_filter_kind",
            run: "select customer",
        },
        {
            content: "The prospect is gone, the customer stays",
            trigger:
                ".o_crm_partner_map_canvas:not(:has(.o_crm_map_marker_prospect)) .o_crm_map_marker_customer[title='Tour Map Customer']",
            run: "click",
        },
        {
            content: "Clicking the marker opened the customer",
            trigger:
                ".o_form_view .o_field_widget[name='name'] input:value(Tour Map Customer)",
        },
    ],
});
