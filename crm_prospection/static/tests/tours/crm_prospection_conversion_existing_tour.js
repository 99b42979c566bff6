// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import {registry} from "@web/core/registry";

/**
 * CONV-2, CONV-3: convert a lead into an existing company and one of its contacts.
 */
registry.category("web_tour.tours").add("crm_prospection_conversion_existing", {
    url: "/odoo/prospection-leads",
    steps: () => [
        {
            trigger:
                ".o_list_view .o_data_row td[name=name]:contains(Existing tour lead)",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_convert]",
            run: "click",
        },
        {
            content: "The similar partner is proposed",
            trigger:
                ".modal .o_field_widget[name=proposed_partner_ids]:contains(Existing Tour Group)",
        },
        {
            trigger:
                ".modal .o_field_widget[name=partner_action] input[data-value=exist]",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=partner_id] input",
            run: "edit Existing Tour Group",
        },
        {
            trigger:
                ".o-autocomplete--dropdown-menu li:contains(Existing Tour Group) a",
            run: "click",
        },
        {
            trigger:
                ".modal .o_field_widget[name=contact_action] input[data-value=exist]",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=contact_id] input",
            run: "edit Existing Tour Contact",
        },
        {
            trigger:
                ".o-autocomplete--dropdown-menu li:contains(Existing Tour Contact) a",
            run: "click",
        },
        {
            trigger: ".modal button[name=action_convert]",
            run: "click",
        },
        {
            content: "The existing company opens",
            trigger: ".o_breadcrumb:contains(Existing Tour Group)",
        },
    ],
});
