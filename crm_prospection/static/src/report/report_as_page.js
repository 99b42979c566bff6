// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import {rpc} from "@web/core/network/rpc";

let pdfState;

/**
 * A handler of "ir.actions.report" for the reports named `reportNames`: without a
 * PDF printer (wkhtmltopdf), Odoo shows a report as a page with a notice whose link
 * arrives as raw markup ("<br><br><a href=..."). This handler says in plain words
 * what happens, `notice()` giving the message and title, then opens the page.
 */
export function reportAsPageWithoutPdf(reportNames, notice) {
    return async function (action, options, env) {
        if (
            action.report_type !== "qweb-pdf" ||
            !reportNames.includes(action.report_name)
        ) {
            return false;
        }
        pdfState ||= rpc("/report/check_wkhtmltopdf");
        if (["ok", "upgrade"].includes(await pdfState)) {
            return false;
        }
        const {message, title} = notice();
        env.services.notification.add(message, {title, type: "warning"});
        await env.services.action.doAction(
            {...action, report_type: "qweb-html"},
            options
        );
        return true;
    };
}
