// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import {registry} from "@web/core/registry";

const STATUSES = [
    "À traiter",
    "Qualification marketing",
    "Relance téléphonique",
    "Qualification commerciale",
    "Nurturing",
    "Rappel du prospect",
    "Perdu",
];

function isShown(element) {
    const rect = element.getBoundingClientRect();
    return (
        !element.closest(".d-none") &&
        rect.width > 0 &&
        rect.height > 0 &&
        rect.left >= 0 &&
        rect.right <= window.innerWidth
    );
}

/**
 * STAT-2, EVT-1, EVT-3, X-1, in French at the form's usual width (1440 px, the
 * chatter beside the form): every status of the lead's path is in the workflow
 * bar, none behind "..."; a call's form speaks of a call; the recurrence's
 * weekdays and summary are French.
 */
registry.category("web_tour.tours").add("crm_prospection_french_lead", {
    url: "/odoo/prospection-leads",
    steps: () => [
        {
            trigger:
                ".o_list_view .o_data_row td[name=name]:contains(Piste de la barre)",
            run: "click",
        },
        {
            content: "The chatter sits beside the form",
            trigger: ".o_form_view .o-mail-Form-chatter.o-aside",
        },
        {
            content:
                "Every status is a visible button of the bar, none in a '...' menu",
            trigger:
                ".o_field_crm_lead_status_bar button[data-value]:contains(Rappel du prospect)",
            run() {
                const bar = document.querySelector(".o_field_crm_lead_status_bar");
                const buttons = [...bar.querySelectorAll("button[data-value]")];
                const shown = buttons.filter(isShown).map((b) => b.textContent.trim());
                const missing = STATUSES.filter((status) => !shown.includes(status));
                if (missing.length || shown.length !== buttons.length) {
                    throw new Error(
                        `Statuses not shown: ${missing.join(", ")} (shown: ${shown.join(", ")})`
                    );
                }
                const menus = [...bar.querySelectorAll(".dropdown-toggle")].filter(
                    isShown
                );
                if (menus.length) {
                    throw new Error(`${menus.length} "..." menu(s) in the bar`);
                }
                // Issue 26, layout: one line, "À traiter" first on it.
                const tops = new Set(
                    buttons.map((b) => Math.round(b.getBoundingClientRect().top))
                );
                if (tops.size !== 1) {
                    throw new Error(`The bar wraps onto ${tops.size} lines`);
                }
                const left = Math.min(
                    ...buttons.map((b) => b.getBoundingClientRect().left)
                );
                const first = buttons.find((b) => b.textContent.trim() === STATUSES[0]);
                if (first.getBoundingClientRect().left !== left) {
                    throw new Error(`${STATUSES[0]} is not the bar's first status`);
                }
            },
        },
        {
            content: "A long title is shown whole, on as many lines as it needs",
            trigger: ".o_form_view .o_field_widget[name=name] textarea",
            run() {
                const title = this.anchor;
                if (title.scrollHeight > title.clientHeight + 2) {
                    throw new Error("The lead's title is cut");
                }
                if (!title.value.endsWith("région lyonnaise")) {
                    throw new Error(`Unexpected title: ${title.value}`);
                }
            },
        },
        {
            content: "Plan a call",
            trigger: ".o_notebook .nav-link:contains(Évènements)",
            run: "click",
        },
        {
            trigger: ".o_notebook button[name=action_crm_new_event]:contains(Appel)",
            run: "click",
        },
        {
            content: "A call's subject, no meeting words, no video link",
            trigger: ".modal .o_form_view label:contains(Objet de l'appel)",
            run() {
                const form = document.querySelector(".modal .o_form_view");
                const labels = [...form.querySelectorAll("label, .o_form_label")]
                    .filter(isShown)
                    .map((label) => label.textContent.trim());
                for (const wrong of ["Sujet de la réunion", "Lancer", "Lien vidéo"]) {
                    if (labels.some((label) => label.startsWith(wrong))) {
                        throw new Error(
                            `"${wrong}" on a call's form: ${labels.join(" | ")}`
                        );
                    }
                }
                if (!labels.some((label) => label.startsWith("Début"))) {
                    throw new Error(`No "Début" label: ${labels.join(" | ")}`);
                }
            },
        },
        {
            trigger: ".modal .o_notebook .nav-link:contains(Options)",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=recurrency] input",
            run: "click",
        },
        {
            content: "The weekdays are French",
            trigger: ".modal .o_recurrent_weekdays",
            run() {
                const days = [
                    ...document.querySelectorAll(
                        ".modal .o_calendar_week_days_rounded"
                    ),
                ]
                    .map((day) => day.textContent.trim())
                    .join("");
                if (days !== "LMMJVSD") {
                    throw new Error(`Weekday buttons read ${days}`);
                }
            },
        },
        {
            content: "The recurrence summary is French",
            trigger:
                ".modal .o_field_widget[name=crm_recurrence_summary]:contains(Toutes les semaines, le )",
        },
        {
            trigger: ".modal .o_form_button_cancel",
            run: "click",
        },
        {
            trigger: "body:not(:has(.modal))",
        },
    ],
});

/**
 * GEO-4: the envelope from the partner form's button; without a PDF printer the
 * notice is plain words (no raw markup) and the envelope opens as a page.
 */
registry.category("web_tour.tours").add("crm_prospection_french_envelope", {
    url: "/odoo/prospects",
    steps: () => [
        {
            trigger: ".o_kanban_record:contains(Enveloppe SARL)",
            run: "click",
        },
        {
            content:
                "Other apps' buttons may put the envelope in the button box's More menu",
            trigger: ".o_form_view .o-form-buttonbox",
            run() {
                const box = document.querySelector(".o_form_view .o-form-buttonbox");
                const buttons = [...box.querySelectorAll("button.oe_stat_button")];
                if (
                    !buttons.some((button) => button.textContent.includes("Enveloppe"))
                ) {
                    box.querySelector(".o_button_more").click();
                }
            },
        },
        {
            trigger: ".o-form-buttonbox button.oe_stat_button:contains(Enveloppe)",
            run: "click",
        },
        {
            content: "A plain notice, no markup",
            trigger: ".o_notification:contains(wkhtmltopdf)",
            run() {
                const text = document.querySelector(".o_notification").textContent;
                if (text.includes("<") || text.includes("href")) {
                    throw new Error(`Raw markup in the notice: ${text}`);
                }
            },
        },
        {
            content: "The envelope opens as a page",
            trigger:
                ".o_action_manager .o_action iframe[src*='crm_prospection.envelope_partner_document']",
        },
    ],
});
