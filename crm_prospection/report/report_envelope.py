# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


class ReportPartnerEnvelope(models.AbstractModel):
    """Envelopes of partners (GEO-4): the company as sender, the partner as
    recipient, one envelope per page."""

    _name = "report.crm_prospection.envelope_partner_document"
    _description = "Envelope of partners"

    _crm_envelope_model = "res.partner"

    @api.model
    def _get_report_values(self, docids, data=None):
        docs = self.env[self._crm_envelope_model].browse(docids)
        return {
            "doc_ids": docids,
            "doc_model": self._crm_envelope_model,
            "docs": docs,
            "envelopes": [
                {
                    "doc": doc,
                    "sender": self._crm_address_lines(
                        doc.company_id.partner_id or self.env.company.partner_id
                    ),
                    "recipient": self._crm_recipient_lines(doc),
                }
                for doc in docs
            ],
        }

    @api.model
    def _crm_address_lines(self, partner, names=None):
        """Name lines then the address, formatted the way its country writes it."""
        lines = list(names) if names is not None else [partner.name]
        address = partner._display_address(without_company=True)
        return [line.strip() for line in lines + address.splitlines() if line.strip()]

    @api.model
    def _crm_recipient_lines(self, partner):
        names = [partner.name]
        if partner.parent_id and partner.commercial_company_name:
            names.insert(0, partner.commercial_company_name)
        return self._crm_address_lines(partner, names)


class ReportLeadEnvelope(models.AbstractModel):
    """Envelopes of leads, to the lead's own address (GEO-4)."""

    _name = "report.crm_prospection.envelope_lead_document"
    _inherit = "report.crm_prospection.envelope_partner_document"
    _description = "Envelope of leads"

    _crm_envelope_model = "crm.lead"

    @api.model
    def _crm_recipient_lines(self, lead):
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
        return self._crm_address_lines(address, [name for name in names if name])
