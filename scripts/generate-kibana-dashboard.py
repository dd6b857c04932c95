#!/usr/bin/env python3
"""Writes kibana/saved_objects/mimecast-shipper.ndjson: the "Mimecast provider accountability"
dashboard, its panels and its two data views, in Kibana's saved-objects export format (one object
per line, panelsJSON and searchSourceJSON as JSON strings), for Kibana 8.14 and later.

The NDJSON file is what ships; this script is how it is maintained. Run it after editing, then
scripts/embed-kibana.sh.
"""
import json
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "kibana" / "saved_objects" / "mimecast-shipper.ndjson"
KIBANA = "8.14.0"          # the oldest Kibana the content is made for
CORE_MIGRATION = "8.8.0"   # core's migration version since 8.8
AUDIT_VIEW = "mimecast-shipper-audit"
HEARTBEAT_VIEW = "mimecast-shipper-heartbeat"
TYPE_MIGRATION = {"index-pattern": "8.0.0", "search": "8.0.0", "lens": "8.9.0", "map": "8.4.0", "dashboard": "8.9.0"}


def saved(type_, id_, attributes, references):
    return {
        "attributes": attributes,
        "coreMigrationVersion": CORE_MIGRATION,
        "id": id_,
        "managed": False,
        "references": references,
        "type": type_,
        "typeMigrationVersion": TYPE_MIGRATION[type_],
    }


def data_view(id_, title, name):
    return saved("index-pattern", id_, {
        "allowHidden": False,
        "fieldAttrs": "{}",
        "fieldFormatMap": "{}",
        "fields": "[]",
        "name": name,
        "runtimeFieldMap": "{}",
        "sourceFilters": "[]",
        "timeFieldName": "@timestamp",
        "title": title,
    }, [])


def lens(id_, title, view, visualization_type, columns, order, visualization, query=""):
    layer = "layer1"
    return saved("lens", id_, {
        "description": "",
        "state": {
            "adHocDataViews": {},
            "datasourceStates": {"formBased": {"layers": {layer: {
                "columnOrder": order, "columns": columns, "incompleteColumns": {}, "sampling": 1}}}},
            "filters": [],
            "internalReferences": [],
            "query": {"language": "kuery", "query": query},
            "visualization": dict(visualization, layerId=layer) if visualization_type == "lnsMetric" else visualization,
        },
        "title": title,
        "visualizationType": visualization_type,
    }, [{"id": view, "name": "indexpattern-datasource-layer-" + layer, "type": "index-pattern"}])


def date_column():
    return {"dataType": "date", "isBucketed": True, "label": "@timestamp", "operationType": "date_histogram",
            "params": {"dropPartials": False, "includeEmptyRows": True, "interval": "auto"},
            "scale": "interval", "sourceField": "@timestamp"}


def count_column(label):
    return {"customLabel": True, "dataType": "number", "isBucketed": False, "label": label,
            "operationType": "count", "params": {"emptyAsNull": False}, "scale": "ratio", "sourceField": "___records___"}


def sum_column(field, label):
    return {"customLabel": True, "dataType": "number", "isBucketed": False, "label": label,
            "operationType": "sum", "params": {"emptyAsNull": True}, "scale": "ratio", "sourceField": field}


def xy(series_type, x, accessors, split=None):
    layer = {"accessors": accessors, "layerId": "layer1", "layerType": "data", "seriesType": series_type, "xAccessor": x}
    if split:
        layer["splitAccessor"] = split
    return {"layers": [layer], "legend": {"isVisible": True, "position": "right"},
            "preferredSeriesType": series_type, "title": "Empty XY chart", "valueLabels": "hide"}


objects = [
    data_view(AUDIT_VIEW, "logs-mimecast.audit-*", "Mimecast audit events (mimecast-shipper)"),
    data_view(HEARTBEAT_VIEW, "logs-mimecast.shipper-*", "mimecast-shipper heartbeats"),
    lens("mimecast-shipper-support-logins", "Mimecast support logins over time", AUDIT_VIEW, "lnsXY",
         {"when": date_column(), "logins": count_column("Support logins")}, ["when", "logins"],
         xy("bar_stacked", "when", ["logins"]), 'event.action : "mimecast-support-login"'),
    saved("search", "mimecast-shipper-support-sessions", {
        "columns": ["user.email", "event.action", "source.ip", "source.geo.country_iso_code", "source.as.organization.name",
                    "mimecast.application", "message"],
        "description": "Everything Mimecast support did: logins and support actions (category mimecast_access_logs).",
        "grid": {},
        "hideChart": True,
        "isTextBasedQuery": False,
        "kibanaSavedObjectMeta": {"searchSourceJSON": json.dumps({
            "filter": [],
            "indexRefName": "kibanaSavedObjectMeta.searchSourceJSON.index",
            "query": {"language": "kuery", "query": 'mimecast.category : "mimecast_access_logs"'},
        }, sort_keys=True)},
        "sort": [["@timestamp", "desc"]],
        "title": "Mimecast support sessions",
    }, [{"id": AUDIT_VIEW, "name": "kibanaSavedObjectMeta.searchSourceJSON.index", "type": "index-pattern"}]),
    lens("mimecast-shipper-top-audit-types", "Top Mimecast audit types", AUDIT_VIEW, "lnsXY",
         {"type": {"customLabel": True, "dataType": "string", "isBucketed": True, "label": "Audit type",
                   "operationType": "terms", "params": {"missingBucket": False, "orderBy": {"columnId": "events", "type": "column"},
                                                        "orderDirection": "desc", "otherBucket": True, "size": 10},
                   "scale": "ordinal", "sourceField": "mimecast.audit_type"},
          "events": count_column("Events")}, ["type", "events"],
         xy("bar_horizontal", "type", ["events"])),
    saved("map", "mimecast-shipper-source-locations", {
        "description": "Where console sessions came from: source.geo.location, added at ingest by the GeoIP pipeline.",
        "layerListJSON": json.dumps([
            {"alpha": 1, "id": "basemap", "includeInFitToBounds": True, "label": None, "maxZoom": 24, "minZoom": 0,
             "sourceDescriptor": {"id": None, "isAutoSelect": True, "lightModeDefault": "road_map_desaturated", "type": "EMS_TMS"},
             "style": {"type": "EMS_VECTOR_TILE"}, "type": "EMS_VECTOR_TILE", "visible": True},
            {"alpha": 0.75, "id": "sources", "includeInFitToBounds": True, "label": "Console sessions by source location",
             "maxZoom": 24, "minZoom": 0,
             "sourceDescriptor": {"applyForceRefresh": True, "applyGlobalQuery": True, "applyGlobalTime": True,
                                  "filterByMapBounds": True, "geoField": "source.geo.location", "id": "sources-source",
                                  "indexPatternRefName": "layer_1_source_index_pattern", "scalingType": "LIMIT",
                                  "sortField": "@timestamp", "sortOrder": "desc",
                                  "tooltipProperties": ["user.email", "event.action", "source.ip", "source.as.organization.name"],
                                  "topHitsSize": 1, "type": "ES_SEARCH"},
             "style": {"isTimeAware": True, "properties": {}, "type": "VECTOR"}, "type": "GEOJSON_VECTOR", "visible": True},
        ], sort_keys=True),
        "mapStateJSON": json.dumps({"center": {"lat": 20, "lon": 0}, "filters": [], "query": {"language": "kuery", "query": ""},
                                    "refreshConfig": {"interval": 0, "isPaused": True}, "settings": {}, "zoom": 1.5}, sort_keys=True),
        "title": "Mimecast console sessions by source location",
        "uiStateJSON": json.dumps({"isLayerTOCOpen": True, "openTOCDetails": []}),
    }, [{"id": AUDIT_VIEW, "name": "layer_1_source_index_pattern", "type": "index-pattern"}]),
    lens("mimecast-shipper-last-heartbeat", "Last shipper heartbeat", HEARTBEAT_VIEW, "lnsMetric",
         {"last": {"customLabel": True, "dataType": "date", "isBucketed": False, "label": "Last heartbeat",
                   "operationType": "max", "params": {"emptyAsNull": True}, "scale": "ratio", "sourceField": "@timestamp"}},
         ["last"], {"metricAccessor": "last"}),
    lens("mimecast-shipper-events-per-pass", "Events per pass", HEARTBEAT_VIEW, "lnsXY",
         {"when": date_column(), "events": sum_column("mimecast.shipper.events", "Events read"),
          "indexed": sum_column("mimecast.shipper.indexed", "Indexed"),
          "dead": sum_column("mimecast.shipper.dead_lettered", "Dead-lettered")},
         ["when", "events", "indexed", "dead"], xy("line", "when", ["events", "indexed", "dead"])),
    lens("mimecast-shipper-failed-passes", "Failed passes", HEARTBEAT_VIEW, "lnsXY",
         {"when": date_column(), "failed": count_column("Failed passes")}, ["when", "failed"],
         xy("bar_stacked", "when", ["failed"]), 'event.outcome : "failure"'),
]

# Dashboard layout: 48 columns wide.
layout = [
    ("lens", "mimecast-shipper-support-logins", 0, 0, 32, 12),
    ("lens", "mimecast-shipper-last-heartbeat", 32, 0, 16, 12),
    ("search", "mimecast-shipper-support-sessions", 0, 12, 48, 16),
    ("lens", "mimecast-shipper-top-audit-types", 0, 28, 20, 16),
    ("map", "mimecast-shipper-source-locations", 20, 28, 28, 16),
    ("lens", "mimecast-shipper-events-per-pass", 0, 44, 32, 12),
    ("lens", "mimecast-shipper-failed-passes", 32, 44, 16, 12),
]
panels, references = [], []
for number, (type_, id_, x, y, w, h) in enumerate(layout, start=1):
    index = "p%d" % number
    panels.append({"embeddableConfig": {"enhancements": {}}, "gridData": {"h": h, "i": index, "w": w, "x": x, "y": y},
                   "panelIndex": index, "panelRefName": "panel_" + index, "type": type_, "version": KIBANA})
    references.append({"id": id_, "name": "%s:panel_%s" % (index, index), "type": type_})

objects.append(saved("dashboard", "mimecast-shipper-provider-accountability", {
    "description": "Mimecast support access to this account, what it did, where it came from, and whether the feed is alive (mimecast-shipper).",
    "kibanaSavedObjectMeta": {"searchSourceJSON": json.dumps({"filter": [], "query": {"language": "kuery", "query": ""}})},
    "optionsJSON": json.dumps({"hidePanelTitles": False, "syncColors": False, "syncCursor": True, "syncTooltips": False, "useMargins": True}),
    "panelsJSON": json.dumps(panels, sort_keys=True),
    "refreshInterval": {"pause": True, "value": 60000},
    "timeFrom": "now-7d",
    "timeRestore": True,
    "timeTo": "now",
    "title": "Mimecast provider accountability",
}, references))

OUT.parent.mkdir(parents=True, exist_ok=True)
OUT.write_text("".join(json.dumps(o, sort_keys=True, separators=(",", ":")) + "\n" for o in objects), encoding="utf-8")
print("wrote %s (%d objects)" % (OUT.relative_to(ROOT), len(objects)))
