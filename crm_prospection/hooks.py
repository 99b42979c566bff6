# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command

# Set at install when internal users did not have the Leads feature before:
# security/groups.xml turns it on for them, the uninstall turns it off again.
LEADS_TURNED_ON_PARAMETER = "crm_prospection.leads_feature_turned_on"


def _leads_implication(env):
    """Internal users and the Leads group, or ``None`` when either is missing."""
    internal = env.ref("base.group_user", raise_if_not_found=False)
    leads = env.ref("crm.group_use_lead", raise_if_not_found=False)
    return (internal, leads) if internal and leads else None


def pre_init_hook(env):
    """Remember whether internal users had the Leads feature (Odoo's CRM setting)
    before the install turns it on."""
    implication = _leads_implication(env)
    if implication and implication[1] not in implication[0].implied_ids:
        env["ir.config_parameter"].sudo().set_param(LEADS_TURNED_ON_PARAMETER, "1")


def post_init_hook(env):
    """Leads already in the database get a status: Lost when archived (their
    history), the first open status otherwise (their column was created before
    the statuses were); opportunities get their reference (OPP-2) once its
    sequence exists. Nothing Odoo keeps on them changes."""
    env["crm.lead"].with_context(active_test=False).search(
        [("type", "=", "opportunity"), ("opportunity_ref", "=", False)], order="id"
    )._crm_number_opportunities()
    # Their first status is no change of theirs: no chatter line (it would be
    # stored in the installing language).
    leads = (
        env["crm.lead"]
        .with_context(active_test=False, tracking_disable=True)
        .search([("type", "=", "lead"), ("lead_status_id", "=", False)])
    )
    if not leads:
        return
    # Their first status changes nothing else of theirs, nor their chatter.
    leads = leads.with_context(tracking_disable=True)
    Status = env["crm.lead.status"]
    archived = leads.filtered(lambda lead: not lead.active)
    if archived:
        archived.write({"lead_status_id": Status._get_status("lost").id})
    if leads - archived:
        (leads - archived).write(
            {"lead_status_id": Status._get_default_open_status().id}
        )


def uninstall_hook(env):
    """Give Odoo's own lead entry points and lead e-mail back
    (data/crm_overrides.xml hid them),
    and leave internal users without the Leads feature if they had it only
    through the install (databases installed before the install remembered it
    keep the feature: it may have been theirs)."""
    # The statuses go with the add-on and leads may not lose theirs through the
    # ORM: the column, dropped next, lets go of them first.
    env.cr.execute("UPDATE crm_lead SET lead_status_id = NULL")
    parameters = env["ir.config_parameter"].sudo()
    implication = _leads_implication(env)
    if implication and parameters.get_param(LEADS_TURNED_ON_PARAMETER):
        internal, leads = implication
        internal.write({"implied_ids": [Command.unlink(leads.id)]})
    parameters.search([("key", "=", LEADS_TURNED_ON_PARAMETER)]).unlink()
    for menu_xmlid in ("crm.crm_menu_leads", "crm.crm_opportunity_report_menu_lead"):
        menu = env.ref(menu_xmlid, raise_if_not_found=False)
        if menu:
            menu.active = True
    mass_convert = env.ref("crm.action_crm_send_mass_convert", raise_if_not_found=False)
    if mass_convert:
        mass_convert.binding_model_id = env.ref("crm.model_crm_lead")
    welcome = env.ref("crm.mail_template_demo_crm_lead", raise_if_not_found=False)
    if welcome:
        welcome.active = True
