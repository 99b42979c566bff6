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
    GeoNames level, now in the OCA's fields; the columns of the removed fields
    are added back here as that version left them."""

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
