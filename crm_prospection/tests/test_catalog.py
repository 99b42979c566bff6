# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
from unittest.mock import patch

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged

from .common import PDF, PNG, CrmProspectionCase


@tagged("post_install", "-at_install")
class TestCatalog(CrmProspectionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.catalog_type = cls.env["crm.catalog.type"].create({"name": "Toys"})
        cls.Catalog = cls.env["crm.catalog"]

    def _create(self, content=PDF, filename="spring.pdf", **values):
        return self.Catalog.create(
            {
                "name": "Spring collection",
                "catalog_type_id": self.catalog_type.id,
                "pdf_file": base64.b64encode(content),
                "pdf_filename": filename,
                **values,
            }
        )

    def test_upload_pdf(self):
        """CAT-1: a PDF is stored as an attachment with its name and type."""
        catalog = self._create()
        self.assertEqual(base64.b64decode(catalog.pdf_file), PDF)
        attachment = self.env["ir.attachment"].search(
            [
                ("res_model", "=", "crm.catalog"),
                ("res_id", "=", catalog.id),
                ("res_field", "=", "pdf_file"),
            ]
        )
        self.assertEqual(attachment.mimetype, "application/pdf")
        self.assertEqual(catalog.catalog_type_id, self.catalog_type)
        self.assertEqual(catalog.company_id, self.env.company)

    def test_non_pdf_refused_by_content(self):
        """CAT-1: a file that is not a PDF is refused, whatever its name."""
        for content, filename in ((PNG, "photo.pdf"), (b"Hello", "notes.txt")):
            with (
                self.subTest(filename=filename),
                self.assertRaisesRegex(ValidationError, f"{filename} .* not a PDF"),
            ):
                self._create(content, filename)
        catalog = self._create()
        with self.assertRaisesRegex(ValidationError, "not a PDF"):
            catalog.pdf_file = base64.b64encode(PNG)

    def test_thumbnail_degrades_to_icon(self):
        """CAT-1: without a renderer, or when it fails, no thumbnail and no error."""
        with patch("shutil.which", return_value=None) as which:
            self.assertFalse(self._create().image_128)
        which.assert_called_with("pdftoppm")
        with patch("shutil.which", return_value="/bin/false"):
            self.assertFalse(self._create().image_128)

    def test_thumbnail_from_renderer(self):
        """CAT-1: the first page rendered by the server becomes the thumbnail."""
        with patch(
            "odoo.addons.crm_prospection.models.crm_catalog.CrmCatalog"
            "._crm_render_pdf_thumbnail",
            return_value=PNG,
        ) as render:
            catalog = self._create()
            thumbnail = catalog.image_128
        render.assert_called_once_with(PDF)
        self.assertEqual(base64.b64decode(thumbnail), PNG)

    def test_show_pdf_in_viewer(self):
        """CAT-1: "Show PDF" opens the PDF viewer on the catalog."""
        catalog = self._create()
        action = catalog.action_show_pdf()
        view = self.env["ir.ui.view"].browse(action["views"][0][0])
        self.assertEqual(action["res_id"], catalog.id)
        self.assertIn('widget="pdf_viewer"', view.arch)

    def test_send_by_email_with_pdf(self):
        """CAT-1: a salesperson sends a catalog from the template, PDF attached."""
        catalog = self._create()
        customer = self.env["res.partner"].create(
            {"name": "Toy Shop", "email": "shop@example.com"}
        )
        action = catalog.with_user(self.salesman).action_send_by_email()
        self.assertEqual(action["res_model"], "mail.compose.message")
        composer_form = Form(
            self.env["mail.compose.message"]
            .with_user(self.salesman)
            .with_context(**action["context"])
        )
        composer_form.partner_ids.add(customer)
        composer = composer_form.save()
        self.assertEqual(
            composer.template_id,
            self.env.ref("crm_prospection.mail_template_crm_catalog"),
        )
        self.assertIn("Spring collection", composer.subject)
        self.assertEqual(composer.attachment_ids.mapped("name"), ["spring.pdf"])
        self.assertEqual(base64.b64decode(composer.attachment_ids.datas), PDF)
        composer._action_send_mail()
        message = catalog.message_ids[0]
        self.assertEqual(message.attachment_ids.mapped("name"), ["spring.pdf"])
        self.assertIn(customer, message.partner_ids)

    def test_access_rights(self):
        """CAT-1, X-3: salespeople read catalogs, managers manage them; a catalog
        of another company is hidden, a shared one is not."""
        catalog = self._create()
        self.assertEqual(catalog.with_user(self.salesman).name, "Spring collection")
        with self.assertRaises(AccessError):
            self._create(name="Mine").with_user(self.salesman).write({"name": "X"})
        with self.assertRaises(AccessError):
            self.Catalog.with_user(self.salesman).create(
                {"name": "Refused", "pdf_file": base64.b64encode(PDF)}
            )
        managed = self.Catalog.with_user(self.sales_manager).create(
            {"name": "Managed", "pdf_file": base64.b64encode(PDF)}
        )
        managed.unlink()
        belgian = self._create(name="Belgian", company_id=self.company_2.id)
        shared = self._create(name="Shared", company_id=False)
        visible = self.Catalog.with_user(self.salesman).search([])
        self.assertIn(shared, visible)
        self.assertNotIn(belgian, visible)
        self.assertIn(belgian, self.Catalog.with_user(self.user_company_2).search([]))

    def test_menu_follows_group(self):
        """CAT-1, CFG-3: CRM › Catalogs shows only with "Manage catalogs"."""
        menu = self.env.ref("crm_prospection.menu_crm_catalog")
        Menu = self.env["ir.ui.menu"].with_user(self.salesman)
        self._set_feature_group("group_crm_catalog", False)
        self.env.registry.clear_cache()
        self.assertNotIn(menu.id, Menu._visible_menu_ids())
        self._set_feature_group("group_crm_catalog", True)
        self.env.registry.clear_cache()
        self.assertIn(menu.id, Menu._visible_menu_ids())
        self.assertEqual(menu.action, self.env.ref("crm_prospection.action_catalogs"))
