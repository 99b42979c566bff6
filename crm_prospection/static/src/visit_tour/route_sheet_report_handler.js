// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import {_t} from "@web/core/l10n/translation";
import {rpc} from "@web/core/network/rpc";
import {registry} from "@web/core/registry";

const ROUTE_SHEET = "crm_prospection.report_visit_tour_document";
let pdfState;

/**
 * Issue 27: without a PDF printer (wkhtmltopdf) the route sheet opens as a page
 * to print from the browser, with a notice in plain words (Odoo's own notice
 * shows its link as raw markup).
 */
async function routeSheetWithoutPdf(action, options, env) {
    if (action.report_type !== "qweb-pdf" || action.report_name !== ROUTE_SHEET) {
        return false;
    }
    pdfState ||= rpc("/report/check_wkhtmltopdf");
    if (["ok", "upgrade"].includes(await pdfState)) {
        return false;
    }
    env.services.notification.add(
        _t(
            "This server cannot make PDF files (wkhtmltopdf is missing): the route sheet opens as a page. Print it from the browser."
        ),
        {title: _t("Route sheet"), type: "warning"}
    );
    await env.services.action.doAction({...action, report_type: "qweb-html"}, options);
    return true;
}

registry
    .category("ir.actions.report handlers")
    .add("crm_prospection_route_sheet_without_pdf", routeSheetWithoutPdf);
