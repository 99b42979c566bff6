// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import {registry} from "@web/core/registry";

/**
 * OPP-2…OPP-5, CFG-2, CFG-7: an opportunity shows its reference, amounts, recurring
 * and customer description tabs; a quotation created from it and confirmed closes
 * it won.
 */
registry.category("web_tour.tours").add("crm_prospection_opportunity_quotation", {
    steps: () => [
        {
            content: "The opportunity shows its reference and its best case",
            trigger: ".o_form_view .o_field_widget[name=opportunity_ref]:contains(O0)",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=amount_best_case]",
        },
        {
            content: "The recurring tab is there (recurring revenues are on)",
            trigger: ".o_notebook .nav-link[name=crm_recurring]",
        },
        {
            content: "The customer's notes are shown (CFG-2 is on)",
            trigger: ".o_notebook .nav-link[name=crm_customer_description]",
            run: "click",
        },
        {
            trigger:
                ".o_field_widget[name=partner_description]:contains(Prints every spring)",
        },
        {
            content: "New quotation",
            trigger:
                ".o_form_view .o_statusbar_buttons button[name=action_sale_quotations_new]",
            run: "click",
        },
        {
            content: "The quotation is for the opportunity's customer",
            trigger:
                ".o_form_view .o_field_widget[name=partner_id] input:value(Tour Printing Co)",
        },
        {
            content: "Add a product",
            trigger:
                ".o_field_widget[name=order_line] .o_field_x2many_list_row_add a:first-child",
            run: "click",
        },
        {
            trigger: ".o_data_row div[name=product_template_id] input",
            run: "edit Tour catalog printing",
        },
        {
            trigger: "ul.ui-autocomplete a:contains(Tour catalog printing)",
            run: "click",
        },
        {
            content: "The product is chosen",
            trigger:
                "body:not(:has(.o-autocomplete--dropdown-menu)) .o_data_row input:value(Tour catalog printing)",
        },
        {
            // Saving while the line's onchange is still running can be lost on a
            // loaded machine: wait for its price first.
            content: "The line has its price",
            trigger: ".o_data_row td[name=price_unit] input:value(1,200.00)",
        },
        {
            trigger: ".o_form_view .o_form_button_save",
            run: "click",
        },
        {
            content: "The quotation is saved, with its number",
            trigger: ".o_breadcrumb .active:contains(S0)",
        },
        {
            content: "Confirm the quotation",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_confirm]",
            run: "click",
        },
        {
            content: "It is a sales order",
            trigger:
                ".o_form_view .o_statusbar_status button.o_arrow_button_current[data-value=sale]",
        },
        {
            content: "Back to the opportunity",
            trigger: ".o_breadcrumb .breadcrumb-item a:contains(Tour opportunity)",
            run: "click",
        },
        {
            content: "The opportunity is won",
            trigger:
                ".o_form_view:has(.ribbon):not(:has(button[name=action_set_won_rainbowman]))",
        },
    ],
});
