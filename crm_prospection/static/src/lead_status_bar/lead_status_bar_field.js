// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import {registry} from "@web/core/registry";
import {useService} from "@web/core/utils/hooks";
import {
    StatusBarField,
    statusBarField,
} from "@web/views/fields/statusbar/statusbar_field";

/**
 * The lead workflow bar (STAT-2). A click asks the server what the status means:
 * most apply at once, Lost opens the lost-reason dialog first.
 *
 * Every status of the path stays in sight: where Odoo's bar folds the statuses that
 * do not fit into "..." menus, this one wraps onto a second line (the first
 * statuses on top), so that Lost, Nurturing or a status of one's own never hide
 * with the chatter beside the form. Small screens keep Odoo's single menu.
 */
export class LeadStatusBarField extends StatusBarField {
    areItemsWrapping() {
        return false;
    }

    setup() {
        super.setup();
        this.orm = useService("orm");
        this.action = useService("action");
    }

    async selectItem(item) {
        const {record} = this.props;
        if (!(await record.save())) {
            return;
        }
        const action = await this.orm.call(record.resModel, "action_set_lead_status", [
            [record.resId],
            item.value,
        ]);
        if (action) {
            await this.action.doAction(action, {onClose: () => record.load()});
        } else {
            await record.load();
        }
    }
}

export const leadStatusBarField = {
    ...statusBarField,
    component: LeadStatusBarField,
};

registry.category("fields").add("crm_lead_status_bar", leadStatusBarField);
