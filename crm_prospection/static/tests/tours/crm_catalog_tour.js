/* License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */
import {registry} from "@web/core/registry";
import {openCrmSteps} from "@crm_prospection/../tests/tours/crm_prospection_tour_steps";

// CAT-1: CRM › Catalogs, the PDF in the viewer, the catalog sent with its PDF.
registry.category("web_tour.tours").add("crm_prospection_catalog", {
    url: "/odoo",
    steps: () => [
        ...openCrmSteps(),
        {
            content: "Open the catalogs",
            trigger: "[data-menu-xmlid='crm_prospection.menu_crm_catalog']",
            run: "click",
        },
        {
            content: "Show the PDF of the catalog",
            trigger:
                ".o_kanban_record:contains('Tour Spring Catalog') button[name='action_show_pdf']",
            run: "click",
        },
        {
            content: "The PDF is in the viewer",
            trigger: ".modal iframe.o_pdfview_iframe",
        },
        {
            content: "Send it by e-mail from the viewer",
            trigger: ".modal .modal-footer button[name='action_send_by_email']",
            run: "click",
        },
        {
            content: "The composer has the template's subject and the PDF attached",
            trigger:
                ".modal:has(.o_field_widget[name='subject'] input:value(Tour Spring Catalog)) .o_field_widget[name='attachment_ids']:contains('tour_spring.pdf')",
        },
        {
            content: "Close the composer",
            trigger: ".modal .modal-header .btn-close",
            run: "click",
        },
        {
            trigger: "body:not(:has(.modal))",
        },
    ],
});
