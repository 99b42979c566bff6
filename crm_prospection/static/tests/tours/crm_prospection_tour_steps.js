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
