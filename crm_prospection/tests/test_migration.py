# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import importlib.util
from pathlib import Path

from odoo.tests import TransactionCase, tagged

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def _migration(version, name="post-migrate"):
    path = MIGRATIONS / version / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"{name}_{version}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@tagged("post_install", "-at_install")
class TestMigration(TransactionCase):
    """19.0.1.1.0: databases of the earlier version keep their countries'
    GeoNames level and their leads' zips, now in the OCA's fields; the columns
    of the removed fields are added back here as that version left them."""

    def _migrate_from_19_0_1_0_0(self):
        _migration("19.0.1.1.0").migrate(self.env.cr, "19.0.1.0.0")
        self.env.invalidate_all()

    def test_geonames_level_becomes_state_columns(self):
        """GEO-1: a country's GeoNames level becomes the OCA's state columns;
        an address of our own for downloads becomes the OCA's parameter."""
        germany, spain = self.env.ref("base.de"), self.env.ref("base.es")
        self.env["ir.config_parameter"].set_param(
            "crm_prospection.geonames_url", "https://mirror.example.com/%s.zip"
        )
        self.env.flush_all()
        cr = self.env.cr
        cr.execute("ALTER TABLE res_country ADD COLUMN geonames_state_level varchar")
        cr.execute(
            "UPDATE res_country SET geonames_state_level = %s WHERE id = %s",
            ["2", germany.id],
        )
        cr.execute(
            "UPDATE res_country SET geonames_state_level = %s WHERE id = %s",
            ["1", spain.id],
        )

        self._migrate_from_19_0_1_0_0()
        state_columns = ("geonames_state_name_column", "geonames_state_code_column")
        self.assertEqual([germany[name] for name in state_columns], [5, 6])
        self.assertEqual([spain[name] for name in state_columns], [3, 4])
        Parameter = self.env["ir.config_parameter"]
        self.assertEqual(
            Parameter.get_param("geonames.url"), "https://mirror.example.com/%s.zip"
        )
        self.assertFalse(Parameter.get_param("crm_prospection.geonames_url"))

    def test_leads_zip_becomes_location(self):
        """LEAD-3: a lead's zip (our former zip_id) becomes crm_location's
        location_id, also where crm_location took another from the partner."""
        country = self.env.ref("base.fr")
        city = self.env["res.city"].create({"name": "Old", "country_id": country.id})
        old_zip, other_zip = self.env["res.city.zip"].create(
            [
                {"name": "01001", "city_id": city.id},
                {"name": "01002", "city_id": city.id},
            ]
        )
        lead, moved, without = self.env["crm.lead"].create(
            [
                {"name": "Lead with a zip", "type": "lead"},
                {"name": "Lead whose partner's zip differs", "type": "lead"},
                {"name": "Lead without zip", "type": "lead"},
            ]
        )
        moved.location_id = other_zip
        self.env.flush_all()
        cr = self.env.cr
        cr.execute("ALTER TABLE crm_lead ADD COLUMN zip_id integer")
        cr.execute(
            "UPDATE crm_lead SET zip_id = %s WHERE id IN %s",
            [old_zip.id, (lead.id, moved.id)],
        )

        self._migrate_from_19_0_1_0_0()
        self.assertEqual((lead | moved).location_id, old_zip)
        self.assertFalse(without.location_id)
