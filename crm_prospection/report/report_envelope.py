# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import unicodedata

from odoo import api, models

from ..models.res_city import delivery_name

# Countries whose postal norm writes the locality line in capitals without
# accents (France: NF Z10-011, "69001 LYON").
CAPITAL_LOCALITY_COUNTRIES = {"FR", "MC"}


def _postal_capitals(text):
    """Capitals without accents, as La Poste reads the last lines."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(
        char for char in decomposed if not unicodedata.combining(char)
    ).upper()


class ReportPartnerEnvelope(models.AbstractModel):
    """Envelopes of partners (GEO-4): the company as sender, the partner as
    recipient, one envelope per page."""

    _name = "report.crm_prospection.envelope_partner_document"
    _description = "Envelope of partners"

    _crm_envelope_model = "res.partner"

    @api.model
    def _get_report_values(self, docids, data=None):
        docs = self.env[self._crm_envelope_model].browse(docids)
        envelopes = []
        for doc in docs:
            sender = doc.company_id.partner_id or self.env.company.partner_id
            recipient = self._crm_recipient_lines(doc, sender.country_id)
            envelopes.append(
                {
                    "doc": doc,
                    "sender": self._crm_address_lines(
                        sender, domestic=self._crm_recipient_country(doc)
                    ),
                    "recipient": recipient,
                }
            )
        return {
            "doc_ids": docids,
            "doc_model": self._crm_envelope_model,
            "docs": docs,
            "envelopes": envelopes,
        }

    @api.model
    def _crm_recipient_country(self, doc):
        return doc.country_id

    @api.model
    def _crm_address_lines(self, partner, names=None, domestic=None):
        """Name lines then the address, formatted the way its country writes
        it, with the commune's delivery name (GEO-4). No country line for a
        letter staying in the ``domestic`` country, the country in capitals
        otherwise; in France the locality line in capitals without accents
        (NF Z10-011: "69001 LYON")."""
        lines = list(names) if names is not None else [partner.name]
        address_format, args = partner._prepare_display_address(without_company=True)
        country = partner.country_id
        args["city"] = delivery_name(args["city"], country.code)
        if country.code in CAPITAL_LOCALITY_COUNTRIES:
            args["city"] = _postal_capitals(args["city"])
        if country and country == domestic:
            args["country_name"] = ""
        else:
            args["country_name"] = _postal_capitals(args["country_name"])
        address = address_format % args
        return [line.strip() for line in lines + address.splitlines() if line.strip()]

    @api.model
    def _crm_recipient_lines(self, partner, domestic=None):
        names = [partner.name]
        if partner.parent_id and partner.commercial_company_name:
            names.insert(0, partner.commercial_company_name)
        return self._crm_address_lines(partner, names, domestic=domestic)


class ReportLeadEnvelope(models.AbstractModel):
    """Envelopes of leads, to the lead's own address (GEO-4)."""

    _name = "report.crm_prospection.envelope_lead_document"
    _inherit = "report.crm_prospection.envelope_partner_document"
    _description = "Envelope of leads"

    _crm_envelope_model = "crm.lead"

    @api.model
    def _crm_recipient_lines(self, lead, domestic=None):
        address = self.env["res.partner"].new(
            {
                "street": lead.street,
                "street2": lead.street2,
                "zip": lead.zip,
                "city": lead.city,
                "state_id": lead.state_id.id,
                "country_id": lead.country_id.id,
            }
        )
        names = (
            [lead.partner_name, lead.contact_name]
            if lead.partner_name
            else [lead.contact_name or lead.partner_id.display_name]
        )
        return self._crm_address_lines(
            address, [name for name in names if name], domestic=domestic
        )
