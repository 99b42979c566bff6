// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import {_t} from "@web/core/l10n/translation";
import {registry} from "@web/core/registry";
import {reportAsPageWithoutPdf} from "@crm_prospection/report/report_as_page";

/**
 * GEO-4: without a PDF printer, the envelope says in plain words what happens and
 * how to print it, then opens as a page.
 */
const envelopeWithoutPdf = reportAsPageWithoutPdf(
    [
        "crm_prospection.envelope_partner_document",
        "crm_prospection.envelope_lead_document",
    ],
    () => ({
        message: _t(
            "This server cannot make PDF files (wkhtmltopdf is missing): the envelope opens as a page. Print it from the browser on a DL envelope (220 × 110 mm, landscape)."
        ),
        title: _t("Envelope"),
    })
);

registry
    .category("ir.actions.report handlers")
    .add("crm_prospection_envelope_without_pdf", envelopeWithoutPdf);
