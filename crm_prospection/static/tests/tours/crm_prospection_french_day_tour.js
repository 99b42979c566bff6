// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import {registry} from "@web/core/registry";
import {composeFirstContactSteps} from "@crm_prospection/../tests/tours/crm_prospection_tour_steps";

function checkLanguage(selector, expected) {
    const input = document.querySelector(selector);
    if (!input || !input.value.includes(expected)) {
        throw new Error(`Language proposed: ${input && input.value}`);
    }
}

/**
 * A French company's day (issue 26, MAIL-1, EVT-1, CONV-2), in a database created
 * in English: a French salesperson opens the meeting dialog of a lead without
 * language and discards it (nothing is made), plans the meeting (its French
 * contact is made and invited), e-mails the lead in French from a French
 * composer, then converts it, French proposed. The Python test checks the
 * records afterwards.
 */
registry.category("web_tour.tours").add("crm_prospection_french_day", {
    url: "/odoo/prospection-leads",
    steps: () => [
        {
            trigger:
                ".o_list_view .o_data_row td[name=name]:contains(Journée française)",
            run: "click",
        },
        {
            trigger: ".o_notebook .nav-link:contains(Évènements)",
            run: "click",
        },
        {
            trigger: ".o_notebook button[name=action_crm_new_event]:contains(Réunion)",
            run: "click",
        },
        {
            content: "The meeting dialog opens, then is discarded",
            trigger: ".modal .o_form_button_cancel",
            run: "click",
        },
        {
            trigger: "body:not(:has(.modal))",
        },
        {
            content: "Discarding made no contact: the lead has no customer yet",
            trigger: ".o_notebook button[name=action_crm_new_event]:contains(Réunion)",
            run: "click",
        },
        {
            trigger: ".modal .o_form_view .o_field_widget[name=name] input",
            run: "edit Réunion de découverte",
        },
        {
            trigger: ".modal .o_form_button_save",
            run: "click",
        },
        {
            trigger: "body:not(:has(.modal))",
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
            content: "French is proposed: the contact's language",
            trigger: ".modal .o_field_widget[name=lang] input",
            run() {
                checkLanguage(".modal .o_field_widget[name=lang] input", "Français");
            },
        },
        ...composeFirstContactSteps(),
        {
            content: "The composer is French, the e-mail too, to the lead's contact",
            trigger:
                ".modal .o_field_widget[name=partner_ids] .o_tag:contains(Claire Fontaine)",
        },
        {
            trigger: ".modal .o_field_widget[name=body]:contains(Bonjour)",
        },
        {
            trigger: ".modal button[name=action_send_mail]:contains(Envoyer)",
            run: "click",
        },
        {
            trigger:
                ".o_form_view:not(:has(.modal)) .o_statusbar_buttons button[name=action_convert]",
            run: "click",
        },
        {
            content: "The conversion proposes French",
            trigger:
                ".modal .o_field_widget[name=lang] select, .modal .o_field_widget[name=lang] input",
            run() {
                const field = document.querySelector(
                    ".modal .o_field_widget[name=lang] select, .modal .o_field_widget[name=lang] input"
                );
                const shown =
                    field.tagName === "SELECT"
                        ? field.options[field.selectedIndex].textContent
                        : field.value;
                if (!shown.includes("Français")) {
                    throw new Error(`Language proposed: ${shown}`);
                }
            },
        },
        {
            trigger: ".modal button[name=action_convert]:contains(Convertir)",
            run: "click",
        },
        {
            content: "The new prospect opens",
            trigger: ".o_breadcrumb:contains(Fontaine Textiles)",
            timeout: 30000,
        },
        {
            content:
                "At 1440 px the prospect's Facturation and Notes tabs are in sight",
            trigger: ".o_form_view .o_notebook .nav-link:contains(Notes)",
            run() {
                const tabs = [
                    ...document.querySelectorAll(".o_form_view .o_notebook .nav-link"),
                ].filter((tab) => tab.offsetParent);
                const notebook = document
                    .querySelector(".o_form_view .o_notebook")
                    .getBoundingClientRect();
                const hidden = tabs
                    .filter((tab) =>
                        ["Facturation", "Notes"].includes(tab.textContent.trim())
                    )
                    .filter((tab) => {
                        const box = tab.getBoundingClientRect();
                        return (
                            box.right > notebook.right + 1 ||
                            box.left < notebook.left - 1
                        );
                    })
                    .map((tab) => tab.textContent.trim());
                const labels = tabs.map((tab) => tab.textContent.trim());
                for (const wanted of ["Facturation", "Notes"]) {
                    if (!labels.includes(wanted)) {
                        throw new Error(`No ${wanted} tab: ${labels.join(" | ")}`);
                    }
                }
                if (hidden.length) {
                    throw new Error(`Tabs out of sight: ${hidden.join(" | ")}`);
                }
            },
        },
    ],
});
