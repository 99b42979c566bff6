# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""19.0.1.1.0: the OCA's GeoNames import and crm_location replace our own.

Their add-ons are installed before this upgrade (new dependencies); the columns
of our removed fields are still there (Odoo drops them after this script).
"""

import logging

from odoo.tools import sql

_logger = logging.getLogger(__name__)

OLD_URL_PARAMETER = "crm_prospection.geonames_url"
OLD_DEFAULT_URL = "https://download.geonames.org/export/zip/%s.zip"


def migrate(cr, version):
    _leads_location(cr)
    _countries_state_columns(cr)
    _geonames_url(cr)


def _leads_location(cr):
    """Leads' zip (our ``zip_id``) becomes crm_location's ``location_id``; our
    ``city_id`` followed the zip or the typed city, which leads keep as text."""
    if not sql.column_exists(cr, "crm_lead", "zip_id"):
        return
    cr.execute(
        """
        UPDATE crm_lead
           SET location_id = zip_id
         WHERE zip_id IS NOT NULL
           AND location_id IS DISTINCT FROM zip_id
        """
    )
    _logger.info("crm_prospection: %d leads' zips moved to location_id", cr.rowcount)


def _countries_state_columns(cr):
    """Our per-country GeoNames level becomes the OCA's columns of the state:
    the second level is columns 5 (name) and 6 (code); the first level, the
    OCA's default, is set only where the OCA's data says otherwise."""
    if not sql.column_exists(cr, "res_country", "geonames_state_level"):
        return
    cr.execute(
        """
        UPDATE res_country
           SET geonames_state_name_column = 5, geonames_state_code_column = 6
         WHERE geonames_state_level = '2'
        """
    )
    second = cr.rowcount
    cr.execute(
        """
        UPDATE res_country
           SET geonames_state_name_column = 3, geonames_state_code_column = 4
         WHERE geonames_state_level = '1'
           AND (COALESCE(geonames_state_name_column, 0) NOT IN (0, 3)
                OR COALESCE(geonames_state_code_column, 0) NOT IN (0, 4))
        """
    )
    _logger.info(
        "crm_prospection: GeoNames state columns set on %d countries (second "
        "level) and %d (first level)",
        second,
        cr.rowcount,
    )


def _geonames_url(cr):
    """Our download address parameter gives way to the OCA's ``geonames.url``
    (kept when already set); an address of one's own is carried over."""
    cr.execute(
        "SELECT value FROM ir_config_parameter WHERE key = %s", [OLD_URL_PARAMETER]
    )
    row = cr.fetchone()
    if row is None:
        return
    if row[0] and row[0] != OLD_DEFAULT_URL:
        cr.execute(
            """
            INSERT INTO ir_config_parameter
                   (key, value, create_uid, create_date, write_uid, write_date)
            VALUES ('geonames.url', %s, 1, now() at time zone 'UTC', 1,
                    now() at time zone 'UTC')
            ON CONFLICT (key) DO NOTHING
            """,
            [row[0]],
        )
    cr.execute("DELETE FROM ir_config_parameter WHERE key = %s", [OLD_URL_PARAMETER])
    cr.execute(
        """
        DELETE FROM ir_model_data
         WHERE module = 'crm_prospection' AND name = 'config_parameter_geonames_url'
        """
    )
