/* License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */
import {Component, useState} from "@odoo/owl";
import {browser} from "@web/core/browser/browser";
import {_t} from "@web/core/l10n/translation";
import {registry} from "@web/core/registry";
import {useService} from "@web/core/utils/hooks";
import {standardWidgetProps} from "@web/views/widgets/standard_widget_props";

/**
 * Issue 27: "Use my position" in the Around… window: the browser's position
 * becomes the centre of the search (the user allows it once).
 */
export class CrmAroundPosition extends Component {
    static template = "crm_prospection.AroundPosition";
    static props = {...standardWidgetProps};

    setup() {
        this.notification = useService("notification");
        this.state = useState({locating: false});
    }

    locate() {
        const geolocation = browser.navigator.geolocation;
        if (!geolocation) {
            this.notification.add(_t("This browser cannot tell its position."), {
                type: "warning",
            });
            return;
        }
        this.state.locating = true;
        geolocation.getCurrentPosition(
            async (position) => {
                this.state.locating = false;
                await this.props.record.update({
                    latitude: position.coords.latitude,
                    longitude: position.coords.longitude,
                });
            },
            () => {
                this.state.locating = false;
                this.notification.add(
                    _t(
                        "The browser did not give its position: allow it for this site, or choose a city."
                    ),
                    {type: "warning"}
                );
            },
            {enableHighAccuracy: false, timeout: 15000, maximumAge: 300000}
        );
    }
}

registry.category("view_widgets").add("crm_around_position", {
    component: CrmAroundPosition,
    fieldDependencies: [
        {name: "latitude", type: "float", readonly: false},
        {name: "longitude", type: "float", readonly: false},
    ],
});
