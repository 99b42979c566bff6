# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "CRM Prospection",
    "summary": "Axelor-style prospecting in Odoo: lead statuses, conversion into "
    "prospect, contact and opportunity, events, agencies, catalogs, cities and maps",
    "version": "19.0.1.0.0",
    "category": "Sales/CRM",
    "author": "crm_prospection contributors",
    "license": "AGPL-3",
    "development_status": "Alpha",
    "depends": [
        "base_geolocalize",
        "calendar",
        "contacts",
        "crm",
        "mail",
        "sale_crm",
        "utm",
        # OCA
        "base_location",
        "crm_industry",
        "partner_contact_department",
        "partner_contact_job_position",
        "partner_contact_role",
        "web_leaflet_lib",
    ],
    "data": [
        "security/groups.xml",
        "security/ir.model.access.csv",
        "security/rules.xml",
        "data/crm_lead_status_data.xml",
        "data/crm_overrides.xml",
        "views/crm_lead_status_views.xml",
        "views/crm_lost_reason_views.xml",
        "wizards/crm_lead_lost_views.xml",
        "wizards/crm_lead_mass_update_views.xml",
        "wizards/crm_lead_convert_views.xml",
        "views/crm_agency_views.xml",
        "views/crm_catalog_type_views.xml",
        "views/res_users_views.xml",
        "views/res_partner_views.xml",
        "views/res_partner_delegation_views.xml",
        "views/crm_lead_views.xml",
        "views/res_config_settings_views.xml",
        "views/menus.xml",
    ],
    "demo": [
        "demo/crm_agency_demo.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "crm_prospection/static/src/**/*",
        ],
        "web.assets_tests": [
            "crm_prospection/static/tests/tours/**/*",
        ],
    },
    "uninstall_hook": "uninstall_hook",
}
