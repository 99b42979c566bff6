/* License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */
import {registry} from "@web/core/registry";
import {pickInDialogSteps} from "@crm_prospection/../tests/tours/crm_prospection_tour_steps";

/**
 * Issue 27, in French: the prospects within 20 km of Grenoble, nearest first
 * with their distance; one ticked off; a tour planned with the others; the
 * day's meetings created in route order; then the results on the map.
 */
registry.category("web_tour.tours").add("crm_prospection_field_sales", {
    url: "/odoo/action-crm_prospection.action_crm_around_search",
    steps: () => [
        {
            content: "Around… opens, in French (Odoo's own words of the dialog)",
            trigger: ".modal:has(.o_form_view) .modal-header button[aria-label=Fermer]",
        },
        ...pickInDialogSteps("zip_id", "38000"),
        {
            trigger: ".modal button[name=action_search]",
            run: "click",
        },
        {
            content: "Nearest first: Meylan (5.0 km), Échirolles, then Vizille",
            trigger:
                ".modal .o_crm_around_results .o_data_row:nth-child(1):contains(Visite Meylan):contains(5,0)",
        },
        {
            trigger:
                ".modal .o_crm_around_results .o_data_row:nth-child(2):contains(Visite Échirolles)",
        },
        {
            trigger:
                ".modal .o_crm_around_results .o_data_row:nth-child(3):contains(Visite Vizille)",
        },
        {
            content: "Voiron is beyond 20 km",
            trigger: ".modal .o_crm_around_results:not(:contains(Visite Voiron))",
        },
        {
            content: "Not Échirolles this time",
            trigger:
                ".modal .o_data_row:contains(Visite Échirolles) .o_field_widget[name=selected] input",
            run: "click",
        },
        {
            trigger: ".modal button[name=action_plan_tour]",
            run: "click",
        },
        {
            content: "The tour's two stops, in route order",
            trigger:
                ".modal .o_crm_visit_tour_lines .o_data_row:nth-child(2):contains(Visite)",
        },
        {
            trigger: ".modal .o_crm_visit_tour_lines:not(:contains(Visite Échirolles))",
        },
        {
            trigger: ".modal button[name=action_create_events]",
            run: "click",
        },
        {
            content: "The day's two meetings",
            trigger: ".o_list_view .o_data_row:contains(1/2)",
        },
        {
            trigger: ".o_list_view .o_data_row:contains(2/2)",
        },
    ],
});

/** Issue 27: from Around…'s results to the map, the distance on the markers. */
registry.category("web_tour.tours").add("crm_prospection_field_sales_map", {
    url: "/odoo/action-crm_prospection.action_crm_around_search",
    steps: () => [
        ...pickInDialogSteps("zip_id", "38000"),
        {
            trigger: ".modal button[name=action_search]",
            run: "click",
        },
        {
            trigger: ".modal .o_crm_around_results .o_data_row",
        },
        {
            trigger: ".modal button[name=action_show_map]",
            run: "click",
        },
        {
            content: "The circle and the three prospects within it",
            trigger: ".o_crm_partner_map_canvas .o_crm_map_around_circle",
        },
        {
            trigger:
                ".o_crm_partner_map_canvas .o_crm_map_marker_prospect[title='Visite Vizille']",
        },
        {
            trigger:
                ".o_crm_partner_map_canvas:not(:has([title='Visite Voiron'])) .o_crm_map_marker_prospect[title='Visite Meylan']",
            run: "hover",
        },
        {
            content: "Its distance in the tooltip",
            trigger: ".leaflet-tooltip:contains(km)",
        },
    ],
});
