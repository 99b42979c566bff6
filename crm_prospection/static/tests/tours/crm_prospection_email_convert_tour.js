// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import {registry} from "@web/core/registry";
import {composeFirstContactSteps} from "@crm_prospection/../tests/tours/crm_prospection_tour_steps";

/**
 * E-mail first, then convert, in French (MAIL-1, CONV-1…CONV-5): a lead is e-mailed from
 * "Créer un email" before it is converted; the e-mail makes the lead's contact,
 * which the conversion window shows and completes rather than creating a second
 * one (the Python test counts the contacts afterwards).
 */
registry.category("web_tour.tours").add("crm_prospection_email_then_convert", {
    url: "/odoo/prospection-leads",
    steps: () => [
        {
            trigger:
                ".o_list_view .o_data_row td[name=name]:contains(Piste courriel puis conversion)",
            run: "click",
        },
        {
            content: "A tag's colour is chosen from the lead: click the tag",
            trigger: ".o_field_widget[name=tag_ids] .o_tag:contains(Atelier bois)",
            run: "click",
        },
        {
            trigger: ".o_colorlist button[data-color='10']",
            run: "click",
        },
        {
            trigger:
                ".o_field_widget[name=tag_ids] .o_tag.o_tag_color_10:contains(Atelier bois)",
        },
        {
            trigger: ".o_notebook .nav-link:contains(Emails)",
            run: "click",
        },
        {
            trigger: ".o_notebook button[name=action_crm_create_email]",
            run: "click",
        },
        {
            content: "The lead's language is proposed",
            trigger: ".modal .o_field_widget[name=lang] input",
            run() {
                const input = document.querySelector(
                    ".modal .o_field_widget[name=lang] input"
                );
                if (!input.value.includes("Français")) {
                    throw new Error(`Language proposed: ${input.value}`);
                }
            },
        },
        ...composeFirstContactSteps(),
        {
            content: "The composer writes to the lead's contact",
            trigger:
                ".modal .o_field_widget[name=partner_ids] .o_tag:contains(Camille Roux)",
        },
        {
            trigger: ".modal button[name=action_send_mail]",
            run: "click",
        },
        {
            content: "Back on the lead, now the contact's",
            trigger:
                ".o_form_view:not(:has(.modal)) .o_statusbar_buttons button[name=action_convert]",
            run: "click",
        },
        {
            content: "The conversion shows the lead's contact, kept",
            trigger:
                ".modal div[name=lead_contact_note] .o_field_widget[name=lead_contact_id]:contains(Camille Roux)",
        },
        {
            trigger: ".modal .o_field_widget[name=contact_first_name] input",
            run() {
                const value = document.querySelector(
                    ".modal .o_field_widget[name=contact_first_name] input"
                ).value;
                if (value !== "Camille") {
                    throw new Error(`First name proposed: ${value}`);
                }
            },
        },
        {
            trigger: ".modal .o_field_widget[name=contact_phone] input",
            run: "edit +33 4 78 00 00 09",
        },
        {
            trigger: ".modal button[name=action_convert]:contains(Convertir)",
            run: "click",
        },
        {
            content: "The new prospect opens, with its one contact",
            trigger: ".o_breadcrumb:contains(Roux Ateliers)",
        },
        {
            trigger: ".o_form_view .o_kanban_record:contains(Camille Roux)",
        },
    ],
});
