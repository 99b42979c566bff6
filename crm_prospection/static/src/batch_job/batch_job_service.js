// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import {_t} from "@web/core/l10n/translation";
import {registry} from "@web/core/registry";

/**
 * A background job of the user ended (crm.batch.job): say so wherever the user
 * is, with a button to the job and its records.
 */
export const batchJobNotificationService = {
    dependencies: ["action", "bus_service", "notification"],
    start(env, {action, bus_service, notification}) {
        bus_service.subscribe(
            "crm_prospection.batch_job_finished",
            ({job_id, title, message, type}) => {
                const close = notification.add(message, {
                    title,
                    type,
                    sticky: true,
                    buttons: [
                        {
                            name: _t("Open the job"),
                            primary: true,
                            onClick: () => {
                                close();
                                action.doAction({
                                    type: "ir.actions.act_window",
                                    res_model: "crm.batch.job",
                                    res_id: job_id,
                                    views: [[false, "form"]],
                                });
                            },
                        },
                    ],
                });
            }
        );
        bus_service.start();
    },
};

registry
    .category("services")
    .add("crm_prospection.batch_job_notification", batchJobNotificationService);
