// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import {onWillUnmount, useEffect} from "@odoo/owl";
import {
    ProgressBarField,
    progressBarField,
} from "@web/views/fields/progress_bar/progress_bar_field";
import {registry} from "@web/core/registry";

// Seconds between two readings of a job still waiting or running.
const REFRESH_DELAY = 3000;

/**
 * The progress of a background job (crm.batch.job), read again while the job
 * waits or runs: the form reaches 100 % by itself when the job ends.
 */
export class BatchJobProgressField extends ProgressBarField {
    setup() {
        super.setup();
        let timer = null;
        const stop = () => {
            clearInterval(timer);
            timer = null;
        };
        useEffect(
            (state) => {
                if (!["queued", "running"].includes(state)) {
                    stop();
                } else if (!timer) {
                    timer = setInterval(() => {
                        const record = this.props.record;
                        if (!record.isNew && !record.dirty) {
                            record.model.load();
                        }
                    }, REFRESH_DELAY);
                }
            },
            () => [this.props.record.data.state]
        );
        onWillUnmount(stop);
    }
}

registry.category("fields").add("crm_batch_job_progress", {
    ...progressBarField,
    component: BatchJobProgressField,
});
