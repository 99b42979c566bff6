# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import logging
import shutil
import subprocess
import tempfile
from pathlib import Path

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.image import image_process

_logger = logging.getLogger(__name__)

PDF_MAGIC = b"%PDF-"
THUMBNAIL_TIMEOUT = 20  # seconds: a thumbnail never blocks a save for long


class CrmCatalog(models.Model):
    """A PDF catalog salespeople consult and send to customers (CAT-1)."""

    _name = "crm.catalog"
    _description = "Catalog"
    _inherit = ["mail.thread"]
    _order = "catalog_type_id, name, id"
    _check_company_auto = True
    # Salespeople only read catalogs, yet they send them by e-mail.
    _mail_post_access = "read"

    name = fields.Char(required=True, tracking=True)
    catalog_type_id = fields.Many2one(
        "crm.catalog.type", string="Type", index=True, tracking=True
    )
    pdf_file = fields.Binary(string="PDF file", attachment=True, required=True)
    pdf_filename = fields.Char(string="PDF file name")
    description = fields.Text()
    image_128 = fields.Image(
        string="Thumbnail",
        max_width=128,
        max_height=128,
        compute="_compute_image_128",
        store=True,
        readonly=False,
        help="The first page of the PDF, when the server can render it; you may "
        "also upload a picture.",
    )
    company_id = fields.Many2one(
        "res.company",
        index=True,
        default=lambda self: self.env.company,
        help="Leave empty to share the catalog between companies.",
    )
    active = fields.Boolean(default=True)

    @api.constrains("name", "pdf_file")
    def _check_pdf_file_present(self):
        """The PDF is required through the API and imports too: an attachment
        field is no column, the database cannot require it."""
        missing = self.with_context(bin_size=True).filtered(
            lambda catalog: not catalog.pdf_file
        )
        if missing:
            raise ValidationError(
                self.env._("The catalog %s needs its PDF file.", missing[0].name)
            )

    @api.constrains("pdf_file")
    def _check_pdf_file(self):
        # ``bin_size`` (set by the web client) would give the size, not the data.
        for catalog in self.with_context(bin_size=False).filtered("pdf_file"):
            # Eight base64 characters decode into the first six bytes.
            head = base64.b64decode(catalog.pdf_file[:8])
            if not head.startswith(PDF_MAGIC):
                catalog._crm_raise_not_pdf()

    def _crm_raise_not_pdf(self):
        """CAT-1: the refusal of a file that is no PDF, wherever it is written."""
        self.ensure_one()
        raise ValidationError(
            self.env._(
                "The file %(file)s of the catalog %(catalog)s is not a PDF "
                "document: only PDF files can be uploaded as catalogs.",
                file=self.pdf_filename or self.env._("(unnamed)"),
                catalog=self.name,
            )
        )

    @api.depends("pdf_file")
    def _compute_image_128(self):
        for catalog in self.with_context(bin_size=False):
            content = catalog.pdf_file and base64.b64decode(catalog.pdf_file)
            if content and content.startswith(PDF_MAGIC):
                thumbnail = self._crm_render_pdf_thumbnail(content)
                catalog.image_128 = thumbnail and base64.b64encode(thumbnail)
            else:
                catalog.image_128 = False

    @api.model
    def _crm_render_pdf_thumbnail(self, content):
        """PNG of the first page of a PDF, or ``None`` when no renderer is found.

        Uses poppler's ``pdftoppm`` when it is on the PATH; the views show an icon
        otherwise. Never raises: a catalog is saved without thumbnail rather than
        refused.
        """
        renderer = shutil.which("pdftoppm")
        if not renderer:
            return None
        try:
            with tempfile.TemporaryDirectory(prefix="crm_catalog_") as folder:
                source = Path(folder, "catalog.pdf")
                source.write_bytes(content)
                subprocess.run(
                    [renderer, "-png", "-singlefile", "-f", "1", "-l", "1"]
                    + ["-scale-to", "256", str(source), str(Path(folder, "page"))],
                    check=True,
                    capture_output=True,
                    timeout=THUMBNAIL_TIMEOUT,
                )
                png = Path(folder, "page.png").read_bytes()
            return image_process(png, size=(128, 128), output_format="PNG")
        except (OSError, subprocess.SubprocessError, ValueError) as error:
            _logger.info("No thumbnail for a catalog PDF: %s", error)
            return None

    def _process_attachments_for_template_post(self, mail_template):
        """The catalog's PDF goes with every e-mail sent from a template on it."""
        result = super()._process_attachments_for_template_post(mail_template)
        for catalog in self.with_context(bin_size=False).filtered("pdf_file"):
            result.setdefault(catalog.id, {}).setdefault("attachments", []).append(
                (catalog._crm_pdf_attachment_name(), catalog.pdf_file)
            )
        return result

    def _crm_pdf_attachment_name(self):
        self.ensure_one()
        name = self.pdf_filename or self.name
        return name if name.lower().endswith(".pdf") else f"{name}.pdf"

    def action_show_pdf(self):
        """Open the PDF in Odoo's inline viewer (CAT-1)."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.name,
            "res_model": self._name,
            "res_id": self.id,
            "views": [
                (self.env.ref("crm_prospection.crm_catalog_view_form_pdf").id, "form")
            ],
            "target": "new",
        }

    def action_send_by_email(self):
        """Open the mail composer with the catalog template and its PDF (CAT-1)."""
        self.ensure_one()
        template = self.env.ref(
            "crm_prospection.mail_template_crm_catalog", raise_if_not_found=False
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Send the catalog"),
            "res_model": "mail.compose.message",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_model": self._name,
                "default_res_ids": self.ids,
                "default_template_id": template.id if template else False,
                "default_composition_mode": "comment",
                "force_email": True,
            },
        }
