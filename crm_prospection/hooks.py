# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).


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
    (data/crm_overrides.xml hid them)."""
    menu = env.ref("crm.crm_menu_leads", raise_if_not_found=False)
    if menu:
        menu.active = True
    mass_convert = env.ref("crm.action_crm_send_mass_convert", raise_if_not_found=False)
    if mass_convert:
        mass_convert.binding_model_id = env.ref("crm.model_crm_lead")
    welcome = env.ref("crm.mail_template_demo_crm_lead", raise_if_not_found=False)
    if welcome:
        welcome.active = True
