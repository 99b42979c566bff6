#!/usr/bin/env bash
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Install on a database that already has CRM data, upgrade twice, uninstall:
# Odoo's leads, opportunities and partners survive each step unchanged.
# Not run by CI:  benchmarks/upgrade_cycle.sh [database, default rel_upgrade]
set -euo pipefail
cd "$(dirname "$0")/.."
DB=${1:-rel_upgrade}
CONF=var/odoo.conf
LOG=var/upgrade-cycle.log
mkdir -p var
printf '[options]\naddons_path = %s\n' "$PWD" > "$CONF"
: > "$LOG"

step() { echo "==> $*"; }
odoo_run() {  # odoo with the given arguments; fails on an ERROR in its log
    odoo -c "$CONF" -d "$DB" --stop-after-init --http-port=0 --max-cron-threads=0 \
        "$@" >> "$LOG" 2>&1
    if grep -q " ERROR $DB " "$LOG"; then
        grep " ERROR $DB " "$LOG" | head -5
        echo "ERROR logged: see $LOG"
        exit 1
    fi
}
counts() {  # the records Odoo owns, whatever the add-on does
    psql -d "$DB" -tA -F ' ' -c "
        SELECT 'leads', count(*) FILTER (WHERE type = 'lead'),
               'opportunities', count(*) FILTER (WHERE type = 'opportunity'),
               'archived', count(*) FILTER (WHERE NOT active)
          FROM crm_lead" -c "
        SELECT 'partners', count(*) FROM res_partner"
}

if psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1; then
    echo "error: $DB exists; drop it first (dropdb $DB)"
    exit 1
fi
step "Odoo's CRM alone, without demo data"
odoo_run -i crm,sale_crm,contacts,calendar
step "CRM data made before the add-on: leads (some lost), opportunities, partners"
odoo shell -c "$CONF" -d "$DB" --no-http --log-level=warn >> "$LOG" 2>&1 <<'EOF'
env = env(context=dict(env.context, tracking_disable=True))
partners = env["res.partner"].create(
    [{"name": f"Existing partner {i}", "is_company": i % 2 == 0} for i in range(30)]
)
leads = env["crm.lead"].create(
    [{"name": f"Existing lead {i}", "type": "lead", "partner_name": f"Co {i}"}
     for i in range(40)]
)
reason = env["crm.lost.reason"].search([], limit=1)
leads[:8].action_set_lost(lost_reason_id=reason.id)
leads[8:10].write({"active": False})
opportunities = env["crm.lead"].create(
    [{"name": f"Existing opportunity {i}", "type": "opportunity",
      "partner_id": partners[i].id, "expected_revenue": 1000 * i} for i in range(20)]
)
opportunities[:3].action_set_won()
opportunities[3:5].action_set_lost(lost_reason_id=reason.id)
env.cr.commit()
EOF
BEFORE=$(counts); echo "$BEFORE"

step "install crm_prospection on that data"
odoo_run -i crm_prospection
psql -d "$DB" -tA -F ' ' -c "
    SELECT coalesce(s.code, 'open: ' || (s.name->>'en_US')), l.active, count(*)
      FROM crm_lead l LEFT JOIN crm_lead_status s ON s.id = l.lead_status_id
     WHERE l.type = 'lead' GROUP BY 1, 2 ORDER BY 1, 2" -c "
    SELECT 'leads without status', count(*) FROM crm_lead
     WHERE type = 'lead' AND lead_status_id IS NULL" -c "
    SELECT 'opportunities without reference', count(*) FROM crm_lead
     WHERE type = 'opportunity' AND opportunity_ref IS NULL"
[ "$(counts)" = "$BEFORE" ] || { echo "counts changed by the install"; counts; exit 1; }

for round in 1 2; do
    step "upgrade $round (odoo -u crm_prospection)"
    odoo_run -u crm_prospection
    [ "$(counts)" = "$BEFORE" ] || { echo "counts changed"; counts; exit 1; }
done

step "uninstall (odoo module uninstall crm_prospection)"
odoo module uninstall -c "$CONF" -d "$DB" crm_prospection >> "$LOG" 2>&1
if grep -q " ERROR $DB " "$LOG"; then echo "ERROR logged: see $LOG"; exit 1; fi
counts
[ "$(counts)" = "$BEFORE" ] || { echo "counts changed by the uninstall"; exit 1; }
psql -d "$DB" -tA -F ' ' -c "
    SELECT 'Odoo Leads menu active', active FROM ir_ui_menu
     WHERE id = (SELECT res_id FROM ir_model_data
                  WHERE module = 'crm' AND name = 'crm_menu_leads')" -c "
    SELECT 'mass conversion bound to leads', binding_model_id IS NOT NULL
      FROM ir_act_window WHERE id = (SELECT res_id FROM ir_model_data
                  WHERE module = 'crm' AND name = 'action_crm_send_mass_convert')" -c "
    SELECT 'lead_status_id column left', count(*) FROM information_schema.columns
     WHERE table_name = 'crm_lead' AND column_name = 'lead_status_id'" -c "
    SELECT 'module state', state FROM ir_module_module WHERE name = 'crm_prospection'"
step "done: Odoo's data unchanged through install, two upgrades and uninstall"
