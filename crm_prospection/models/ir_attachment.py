# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.exceptions import ValidationError
from odoo.tools.mimetypes import guess_mimetype

from .crm_catalog import PDF_MAGIC


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    @api.model_create_multi
    def create(self, vals_list):
        attachments = super().create(vals_list)
        attachments._crm_check_catalog_pdf()
        return attachments

    def write(self, vals):
        result = super().write(vals)
        self._crm_check_catalog_pdf()
        return result

    def _crm_check_catalog_pdf(self):
        """CAT-1: a catalog's file is a PDF wherever it is written, the
        attachment itself included (its content, and the type it is served
        with), not only through the catalog's form."""
        files = self.filtered(
            lambda attachment: (
                attachment.res_model == "crm.catalog"
                and attachment.res_field == "pdf_file"
            )
        )
        for attachment in files.with_context(bin_size=False):
            raw = attachment.raw or b""
            if (
                not raw.startswith(PDF_MAGIC)
                or guess_mimetype(raw) != "application/pdf"
                or attachment.mimetype != "application/pdf"
            ):
                catalog = self.env["crm.catalog"].sudo().browse(attachment.res_id)
                if catalog.exists():
                    catalog._crm_raise_not_pdf()
                raise ValidationError(
                    self.env._("Only a PDF document can be a catalog's file.")
                )
