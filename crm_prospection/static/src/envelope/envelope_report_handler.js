// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import {_t} from "@web/core/l10n/translation";
import {rpc} from "@web/core/network/rpc";
import {registry} from "@web/core/registry";

const ENVELOPES = [
    "crm_prospection.envelope_partner_document",
    "crm_prospection.envelope_lead_document",
];
let pdfState;

/**
 * GEO-4: without a PDF printer (wkhtmltopdf), Odoo shows a report as a page with a
 * notice whose link arrives as raw markup ("<br><br><a href=..."). The envelope
 * says in plain words what happens and how to print it, then opens the page.
 */
async function envelopeWithoutPdf(action, options, env) {
    if (action.report_type !== "qweb-pdf" || !ENVELOPES.includes(action.report_name)) {
        return false;
    }
    pdfState ||= rpc("/report/check_wkhtmltopdf");
    if (["ok", "upgrade"].includes(await pdfState)) {
        return false;
    }
    env.services.notification.add(
        _t(
            "This server cannot make PDF files (wkhtmltopdf is missing): the envelope opens as a page. Print it from the browser on a DL envelope (220 × 110 mm, landscape)."
        ),
        {title: _t("Envelope"), type: "warning"}
    );
    await env.services.action.doAction({...action, report_type: "qweb-html"}, options);
    return true;
}

registry
    .category("ir.actions.report handlers")
    .add("crm_prospection_envelope_without_pdf", envelopeWithoutPdf);
