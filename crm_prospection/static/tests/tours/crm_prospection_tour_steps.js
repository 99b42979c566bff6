/* License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */
import {stepUtils} from "@web_tour/tour_utils";

/** The first steps of a tour that starts on the home menu: open the CRM app. */
export function openCrmSteps() {
    return [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open CRM",
            trigger: ".o_app[data-menu-xmlid='crm.crm_menu_root']",
            run: "click",
        },
    ];
}

/** Tick the rows of the list whose text holds each of ``names``. */
export function selectListRowsSteps(names) {
    return names.map((name) => ({
        trigger: `.o_list_view .o_data_row:contains(${name}) .o_list_record_selector input`,
        run: "click",
    }));
}

/** Choose ``value`` in the many2one ``field`` of the open dialog. */
export function pickInDialogSteps(field, value) {
    return [
        {
            trigger: `.modal .o_field_widget[name=${field}] input`,
            run: `edit ${value}`,
        },
        {
            trigger: `.o-autocomplete--dropdown-menu li:contains(${value}) a`,
            run: "click",
        },
    ];
}

/** In the French "Create an e-mail" dialog: choose the template "Piste : premier
 * contact" and open the composer. */
export function composeFirstContactSteps() {
    return [
        {
            trigger: ".modal .o_field_widget[name=template_id] input",
            run: "edit premier contact",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains(Piste : premier contact)",
            run: "click",
        },
        {
            trigger: ".modal button[name=action_compose]:contains(Valider)",
            run: "click",
        },
    ];
}
