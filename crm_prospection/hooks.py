# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).


def uninstall_hook(env):
    """Give Odoo's own lead entry points back (data/crm_overrides.xml hid them)."""
    menu = env.ref("crm.crm_menu_leads", raise_if_not_found=False)
    if menu:
        menu.active = True
    mass_convert = env.ref("crm.action_crm_send_mass_convert", raise_if_not_found=False)
    if mass_convert:
        mass_convert.binding_model_id = env.ref("crm.model_crm_lead")
