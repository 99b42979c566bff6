// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import {_t} from "@web/core/l10n/translation";
import {registry} from "@web/core/registry";
import {reportAsPageWithoutPdf} from "@crm_prospection/report/report_as_page";

/**
 * Issue 27: without a PDF printer the route sheet opens as a page to print from
 * the browser, with a notice in plain words.
 */
const routeSheetWithoutPdf = reportAsPageWithoutPdf(
    ["crm_prospection.report_visit_tour_document"],
    () => ({
        message: _t(
            "This server cannot make PDF files (wkhtmltopdf is missing): the route sheet opens as a page. Print it from the browser."
        ),
        title: _t("Route sheet"),
    })
);

registry
    .category("ir.actions.report handlers")
    .add("crm_prospection_route_sheet_without_pdf", routeSheetWithoutPdf);
