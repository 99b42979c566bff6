/* License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */
/* global L */
import {
    Component,
    onMounted,
    onWillStart,
    onWillUnmount,
    useRef,
    useState,
} from "@odoo/owl";
import {_t} from "@web/core/l10n/translation";
import {registry} from "@web/core/registry";
import {useService} from "@web/core/utils/hooks";
import {Layout} from "@web/search/layout";
import {session} from "@web/session";
import {standardActionServiceProps} from "@web/webclient/actions/action_service";

// web_leaflet_lib leaves the tile server empty ("False") outside demo databases.
const DEFAULT_TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";
const DEFAULT_COPYRIGHT =
    "&copy; <a href='https://www.openstreetmap.org/copyright'>OpenStreetMap</a>";

/**
 * Customers / prospects map (GEO-3): the geolocated partners the user may read,
 * as Leaflet markers coloured by kind, filtered by kind, agency and salesperson.
 * Clicking a marker opens the partner.
 */
export class CrmPartnerMap extends Component {
    static template = "crm_prospection.PartnerMap";
    static components = {Layout};
    static props = {...standardActionServiceProps};

    setup() {
        this.orm = useService("orm");
        this.actionService = useService("action");
        this.mapRef = useRef("map");
        this.state = useState({
            kind: "",
            agencyId: "",
            userId: "",
            agencies: [],
            users: [],
            count: 0,
            truncated: false,
            limit: 0,
            approximate: 0,
            noAddress: 0,
            notFound: 0,
            loading: true,
        });
        this.kinds = [
            {value: "", label: _t("Customers and prospects")},
            {value: "customer", label: _t("Customers")},
            {value: "prospect", label: _t("Prospects")},
        ];
        onWillStart(async () => {
            const filters = await this.orm.call(
                "crm.partner.map",
                "get_map_filters",
                []
            );
            this.state.agencies = filters.agencies;
            this.state.users = filters.users;
        });
        // Issue 27: opened from "Around…", the map shows its results.
        this.around = this.props.action?.params?.around || null;
        onMounted(() => {
            this.setupMap();
            if (this.around) {
                this.loadAround();
            } else {
                this.loadMarkers();
            }
        });
        onWillUnmount(() => {
            this.map?.remove();
            this.map = null;
        });
    }

    setupMap() {
        this.map = L.map(this.mapRef.el, {center: [46.6, 2.4], zoom: 5});
        const tileUrl = session["leaflet.tile_url"];
        L.tileLayer(tileUrl && tileUrl !== "False" ? tileUrl : DEFAULT_TILE_URL, {
            attribution: session["leaflet.copyright"] || DEFAULT_COPYRIGHT,
            maxZoom: 19,
        }).addTo(this.map);
        this.markerLayer = L.markerClusterGroup
            ? L.markerClusterGroup({maxClusterRadius: 40, showCoverageOnHover: false})
            : L.layerGroup();
        this.markerLayer.addTo(this.map);
    }

    async loadMarkers() {
        this.state.loading = true;
        const data = await this.orm.call("crm.partner.map", "get_map_data", [], {
            kind: this.state.kind || false,
            agency_id: parseInt(this.state.agencyId) || false,
            user_id: parseInt(this.state.userId) || false,
        });
        if (!this.map) {
            return;
        }
        this.markerLayer.clearLayers();
        const markers = data.markers.map((partner) => this.makeMarker(partner));
        markers.forEach((marker) => this.markerLayer.addLayer(marker));
        if (markers.length) {
            const bounds = L.latLngBounds(markers.map((marker) => marker.getLatLng()));
            this.map.fitBounds(bounds, {padding: [40, 40], maxZoom: 13});
        }
        Object.assign(this.state, {
            count: markers.length,
            truncated: data.truncated,
            limit: data.limit,
            approximate: data.markers.filter((partner) => partner.approximate).length,
            noAddress: data.unplaced.no_address,
            notFound: data.unplaced.not_found,
            loading: false,
        });
    }

    /**
     * Issue 27: the results of "Around…": the circle of the search and its
     * records, each with its distance.
     */
    async loadAround() {
        this.state.loading = true;
        const around = this.around;
        const data = await this.orm.call(around.model, "get_around_markers", [
            around.latitude,
            around.longitude,
            around.radius_km,
            around.ids || [],
        ]);
        if (!this.map) {
            return;
        }
        this.markerLayer.clearLayers();
        const circle = L.circle([data.latitude, data.longitude], {
            radius: data.radius_km * 1000,
            className: "o_crm_map_around_circle",
            weight: 1,
        }).addTo(this.map);
        for (const record of data.markers) {
            this.markerLayer.addLayer(this.makeMarker(record, around.model));
        }
        this.map.fitBounds(circle.getBounds(), {padding: [20, 20]});
        Object.assign(this.state, {
            count: data.markers.length,
            truncated: false,
            approximate: data.markers.filter((record) => record.approximate).length,
            noAddress: 0,
            notFound: 0,
            loading: false,
        });
    }

    openAroundSearch() {
        return this.actionService.doAction("crm_prospection.action_crm_around_search");
    }

    makeMarker(partner, model = "res.partner") {
        const marker = L.marker([partner.lat, partner.lng], {
            title: partner.name,
            alt: partner.name,
            icon: L.divIcon({
                className: `o_crm_map_marker o_crm_map_marker_${partner.kind}${
                    partner.approximate ? " o_crm_map_marker_approximate" : ""
                }`,
                iconSize: [18, 18],
            }),
        });
        // Built as DOM nodes: the names are never read as HTML.
        const tooltip = document.createElement("div");
        const name = document.createElement("strong");
        name.textContent = partner.name;
        tooltip.append(name);
        const kinds = {
            customer: _t("Customer"),
            prospect: _t("Prospect"),
            lead: _t("Lead"),
        };
        for (const line of [
            kinds[partner.kind],
            partner.distance === undefined
                ? ""
                : _t("%s km away", partner.distance.toLocaleString()),
            partner.city,
            partner.salesperson,
            partner.approximate ? _t("Approximate location (its zip or city)") : "",
        ]) {
            if (line) {
                const div = document.createElement("div");
                div.textContent = line;
                tooltip.append(div);
            }
        }
        marker.bindTooltip(tooltip, {direction: "top", offset: [0, -8]});
        marker.on("click", () => this.openPartner(partner.id, model));
        return marker;
    }

    openPartner(partnerId, model = "res.partner") {
        return this.actionService.doAction({
            type: "ir.actions.act_window",
            res_model: model,
            res_id: partnerId,
            views: [[false, "form"]],
            target: "current",
        });
    }

    onFilterChange(field, event) {
        this.state[field] = event.target.value;
        this.loadMarkers();
    }
}

registry.category("actions").add("crm_prospection.partner_map", CrmPartnerMap);
