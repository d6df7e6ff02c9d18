/* Grannsamverkan maps: turns <div data-map="..."> elements into Leaflet maps.
 *
 * Configuration comes only from data-* attributes (watch/widgets.py, {% map_attrs %}),
 * never from inline script, so pages work under a CSP without 'unsafe-inline'.
 * Whatever a map edits also lives in ordinary form fields that stay in the page, so
 * forms keep working without JavaScript, without Leaflet and without the tile server.
 * Area names and labels are user input: they reach the page as text only.
 * Leaflet's own English texts (the zoom buttons, a marker's alt text, the title of its
 * attribution link) are replaced by the server's translations (data-leaflet-strings).
 *
 * Kinds: areas, editor, pin, points, shape, pick, reach (see the init* functions below).
 */
(function () {
  'use strict';

  // Loaded twice (a form's media and includes/map_assets.html): enhance once.
  if (window.GrannsamverkanMaps) return;

  const AREA_STYLE = { color: '#0b4f8a', weight: 2, fillOpacity: 0.15 };
  const INACTIVE_AREA_STYLE = { color: '#4a5360', weight: 2, dashArray: '6 4', fillOpacity: 0.1 };
  const BORDER_STYLE = { color: '#8a8f98', weight: 1.5, fillColor: '#ffffff', fillOpacity: 0.6, className: 'map-border' };
  const BACKGROUND_STYLE = { color: '#6b7280', weight: 1, dashArray: '4 4', fillOpacity: 0.08 };
  const EDIT_STYLE = { color: '#0b4f8a', weight: 3, fillOpacity: 0.2 };
  const TARGET_STYLE = { color: '#b3261e', weight: 3, fillOpacity: 0.15 };
  // Areas to pick from (kind "pick"), and the ones picked or reached (kinds "pick", "reach").
  const PICKABLE_STYLE = { color: '#0b4f8a', fillColor: '#0b4f8a', weight: 2, fillOpacity: 0.12 };
  const CHOSEN_STYLE = { color: '#b3261e', fillColor: '#b3261e', weight: 3, fillOpacity: 0.4 };
  const INCIDENT_STYLE = { color: '#b3261e', weight: 2, dashArray: '6 4', fill: false, interactive: false };
  const FIT = { padding: [24, 24], maxZoom: 16 };
  const PIN_ZOOM = 15;  // close enough to put a pin on the right house
  const FALLBACK_CENTER = [62, 15];  // Sweden, if data-center is missing or broken

  const byId = (id) => (id ? document.getElementById(id) : null);
  const warn = (error) => console.warn('maps.js:', error);
  const round6 = (x) => Math.round(x * 1e6) / 1e6;

  // '' and junk -> NaN. A decimal comma is accepted: people type Swedish numbers.
  function number(text) {
    const s = String(text == null ? '' : text).trim().replace(',', '.');
    return s === '' ? NaN : Number(s);
  }

  function latLngOrNull(lat, lon) {
    const ok = Number.isFinite(lat) && Number.isFinite(lon) && Math.abs(lat) <= 90 && Math.abs(lon) <= 180;
    return ok ? L.latLng(lat, lon) : null;
  }

  // Set a form field and tell listeners (validation, "unsaved changes" guards) about
  // it, as if typed. Unchanged values fire nothing.
  function setField(field, value) {
    const text = String(value);
    if (field.value === text) return;
    field.value = text;
    field.dispatchEvent(new Event('input', { bubbles: true }));
    field.dispatchEvent(new Event('change', { bubbles: true }));
  }

  // Only http(s) links, so a bad URL in the data cannot become javascript:.
  function safeHref(url) {
    if (typeof url !== 'string' || url === '') return null;
    try {
      const parsed = new URL(url, document.baseURI);
      return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : null;
    } catch (e) {
      return null;
    }
  }

  function element(tag, text, className) {
    const node = document.createElement(tag);
    if (text != null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  // A map in a part of the page hidden when it loads (the composer's Who step shows one
  // way of choosing at a time) has no size yet: it fits its shapes once it is shown
  // (createMap's ResizeObserver).
  const pendingFits = new WeakMap();

  function fitTo(map, layer) {
    // Leaflet keeps the size it measured when the map was made; the container may have
    // been shown or laid out since.
    map.invalidateSize({ animate: false, pan: false });
    const size = map.getSize();
    if (!size.x || !size.y) {
      pendingFits.set(map, layer);
      return;
    }
    // At once, not animated: a click during the animation would miss what it aimed at.
    if (layer.getBounds().isValid()) map.fitBounds(layer.getBounds(), Object.assign({ animate: false }, FIT));
  }

  function fetchGeoJSON(url) {
    return fetch(url, {
      credentials: 'same-origin',
      headers: { Accept: 'application/geo+json, application/json' },
    }).then((response) => {
      if (!response.ok) throw new Error(url + ': HTTP ' + response.status);
      return response.json();
    });
  }

  // The polygons (coordinate arrays) in any GeoJSON someone may paste.
  function polygonsOf(geojson) {
    if (!geojson || typeof geojson !== 'object') return [];
    const all = (list) => [].concat(...(Array.isArray(list) ? list : []).map(polygonsOf));
    switch (geojson.type) {
      case 'Polygon': return [geojson.coordinates];
      case 'MultiPolygon': return Array.isArray(geojson.coordinates) ? geojson.coordinates.slice() : [];
      case 'Feature': return polygonsOf(geojson.geometry);
      case 'FeatureCollection': return all(geojson.features);
      case 'GeometryCollection': return all(geojson.geometries);
      default: return [];
    }
  }

  // null for an empty field, undefined for text that is not JSON (left for the server
  // to explain: the map does not overwrite what someone is typing).
  function parseJSON(text) {
    if (!text || !text.trim()) return null;
    try {
      return JSON.parse(text);
    } catch (e) {
      return undefined;
    }
  }

  // depth 1: Polygon coordinates; 2: MultiPolygon coordinates (one layer, several parts).
  function polygonLayer(coordinates, style, depth) {
    try {
      return L.polygon(L.GeoJSON.coordsToLatLngs(coordinates, depth || 1), style);
    } catch (e) {
      warn(e);
      return null;
    }
  }

  // --- Common setup --------------------------------------------------------------

  // Leaflet's own texts, translated by the server: {zoomIn, zoomOut, marker, attribution}.
  function leafletStrings(el) {
    try {
      const strings = JSON.parse(el.dataset.leafletStrings || '{}');
      return strings && typeof strings === 'object' ? strings : {};
    } catch (e) {
      warn(e);
      return {};
    }
  }

  // For the one attribute value written into Leaflet's attribution prefix (an HTML string).
  function escapeAttribute(text) {
    return String(text).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  }

  function translateControls(map, strings) {
    const zoom = { position: 'topleft' };
    if (typeof strings.zoomIn === 'string') zoom.zoomInTitle = strings.zoomIn;
    if (typeof strings.zoomOut === 'string') zoom.zoomOutTitle = strings.zoomOut;
    L.control.zoom(zoom).addTo(map);
    const attribution = map.attributionControl;
    const prefix = attribution && attribution.options.prefix;
    if (typeof strings.attribution === 'string' && typeof prefix === 'string') {
      attribution.setPrefix(prefix.replace(/title="[^"]*"/, 'title="' + escapeAttribute(strings.attribution) + '"'));
    }
  }

  function markerOptions(el, options) {
    const strings = leafletStrings(el);
    const alt = typeof strings.marker === 'string' ? { alt: strings.marker } : {};
    return Object.assign(alt, options);
  }

  function createMap(el) {
    const d = el.dataset;
    if (d.leafletImages) L.Icon.Default.imagePath = d.leafletImages;
    const parts = (d.center || '').split(',').map(number);
    const zoom = parseInt(d.zoom, 10);
    const map = L.map(el, {
      center: latLngOrNull(parts[0], parts[1]) || FALLBACK_CENTER,
      zoom: Number.isFinite(zoom) ? zoom : 5,
      zoomControl: false,  // added by translateControls, with translated titles
    });
    translateControls(map, leafletStrings(el));
    if (window.ResizeObserver) {
      new ResizeObserver(() => {
        if (!el.clientWidth || !el.clientHeight) return;
        map.invalidateSize();
        const layer = pendingFits.get(map);
        if (layer) {
          pendingFits.delete(map);
          fitTo(map, layer);
        }
      }).observe(el);
    }
    if (d.tilesUrl) {
      const tiles = L.tileLayer(d.tilesUrl, { attribution: d.tilesAttribution || '', maxZoom: 19 });
      // One notice (not one per tile: a blocked tile server fails them all), under the
      // map so it covers nothing. Shapes, pins and fields work without tiles.
      tiles.once('tileerror', () => {
        const notice = element('p', d.tilesFailedText || '', 'map-notice');
        notice.setAttribute('role', 'status');
        el.insertAdjacentElement('afterend', notice);
        addBorders(map, el);
      });
      tiles.addTo(map);
    } else {
      addBorders(map, el);
    }
    return map;
  }

  // Without a background map (no tile server, or it cannot be reached) the map is a
  // light plain with the municipalities' borders (data-municipalities-url), so areas
  // still sit somewhere a reader recognises.
  function addBorders(map, el) {
    el.classList.add('map-offline');
    if (!el.dataset.municipalitiesUrl) return;
    if (!map.getPane('borders')) map.createPane('borders').style.zIndex = 250;
    fetchGeoJSON(el.dataset.municipalitiesUrl).then((data) => {
      L.geoJSON(data, {
        pane: 'borders',
        interactive: false,
        style: () => BORDER_STYLE,
        filter: (feature) => polygonsOf(feature).length > 0,
      }).addTo(map);
    }).catch(warn);
  }

  // Other areas in grey, in their own pane under the shapes being drawn, and not
  // clickable, so clicks and drawing go through to the map.
  function addBackground(map, url) {
    if (!url) return;
    if (!map.getPane('background')) map.createPane('background').style.zIndex = 350;
    fetchGeoJSON(url).then((data) => {
      L.geoJSON(data, {
        pane: 'background',
        interactive: false,
        style: () => BACKGROUND_STYLE,
        filter: (feature) => polygonsOf(feature).length > 0,
      }).addTo(map);
    }).catch(warn);
  }

  // Leaflet.draw's toolbar, its texts translated by the server (data-draw-strings).
  function addDrawControl(map, el, group, shapes) {
    if (!L.Control.Draw) {
      warn('Leaflet.draw is not loaded; the field can still be typed in.');
      return;
    }
    let strings = null;
    try {
      strings = JSON.parse(el.dataset.drawStrings || 'null');
    } catch (e) {
      warn(e);
    }
    if (strings) mergeKnown(L.drawLocal, strings);
    map.addControl(new L.Control.Draw({
      draw: Object.assign({ polyline: false, marker: false, circlemarker: false, circle: false }, shapes),
      edit: { featureGroup: group, remove: true },
    }));
  }

  // Copy strings only onto keys Leaflet.draw already has (no prototype surprises).
  function mergeKnown(target, source) {
    Object.keys(source).forEach((key) => {
      if (!Object.prototype.hasOwnProperty.call(target, key)) return;
      const value = source[key];
      if (typeof value === 'string') target[key] = value;
      else if (value && typeof value === 'object' && typeof target[key] === 'object') mergeKnown(target[key], value);
    });
  }

  // Two-way sync between drawn shapes and form fields. `read` fills the group from the
  // fields (returning false for text that is not JSON); `write` fills the fields from
  // the group. While one runs, the events it causes do not start the other.
  function syncShapes(map, group, fields, read, write, onlyOne) {
    let busy = false;
    const guard = (fn) => () => {
      if (busy) return false;
      busy = true;
      try {
        return fn();
      } finally {
        busy = false;
      }
    };
    const load = guard(read);
    const save = guard(write);
    load();
    fitTo(map, group);
    map.on('draw:created', (e) => {
      if (onlyOne) guard(() => group.clearLayers())();
      group.addLayer(e.layer);  // -> layeradd -> save
    });
    // Leaflet.draw reports edits only on "Save", and a form submitted mid-edit would
    // lose them: so save on every change, and again when an edit or delete session
    // ends (Cancel puts the old shapes back).
    group.on('layeradd layerremove', save);
    const E = L.Draw && L.Draw.Event;
    if (E) map.on([E.EDITVERTEX, E.EDITMOVE, E.EDITRESIZE, E.EDITED, E.DELETED, E.EDITSTOP, E.DELETESTOP].join(' '), save);
    // GeoJSON or numbers typed or pasted into the fields show up on the map.
    fields.forEach((field) => field.addEventListener('change', () => {
      if (load()) fitTo(map, group);
    }));
  }

  // No area readout: Leaflet.draw 1.0.4's code for it assigns an undeclared variable,
  // which throws wherever that code runs in strict mode (Leaflet.draw#1026).
  const POLYGON = { allowIntersection: false, showArea: false, showLength: false };
  const RECTANGLE = { showArea: false };

  // --- data-map="areas": data-geojson-url ------------------------------------------

  function areaPopup(props) {
    const box = element('div', null, 'map-popup');
    const title = element('strong');
    const href = safeHref(props.url);
    const name = href ? element('a', props.name || '') : element('span', props.name || '');
    if (href) name.href = href;
    title.appendChild(name);
    box.appendChild(title);
    if (props.municipality) box.appendChild(element('div', props.municipality));
    return box;
  }

  // Each area by its status, its name on it where the area is large enough on screen
  // (a dot stands in for a small one), and a popup with its link.
  function initAreas(map, el) {
    if (!el.dataset.geojsonUrl) return;
    fetchGeoJSON(el.dataset.geojsonUrl).then((data) => {
      const features = data && Array.isArray(data.features) ? data.features : [];
      const areas = features.map((feature) => {
        const props = feature.properties || {};
        return { id: feature.id, name: props.name, geometry: feature.geometry, props: props };
      });
      const set = namedAreas(map, areas, {
        style: (chosen, area) => (!area.props.status || area.props.status === 'active' ? AREA_STYLE : INACTIVE_AREA_STYLE),
        // A DOM node: a string would be parsed as HTML.
        popup: (area) => areaPopup(area.props),
        namesOfSmallAreas: false,
      });
      fitTo(map, set.group);
      set.refresh();
    }).catch(warn);
  }

  // --- data-map="editor": data-input, data-context-url -------------------------------

  function initEditor(map, el) {
    const input = byId(el.dataset.input);
    if (!input) return;
    input.classList.add('map-enhanced');  // CSS hook: a smaller textarea under a working map
    addBackground(map, el.dataset.contextUrl);
    const drawn = L.featureGroup().addTo(map);

    // Field -> map. One layer per polygon, so each can be edited or removed alone.
    function read() {
      const data = parseJSON(input.value);
      if (data === undefined) return false;
      drawn.clearLayers();
      polygonsOf(data).forEach((coordinates) => {
        const layer = polygonLayer(coordinates, EDIT_STYLE);
        if (layer) drawn.addLayer(layer);
      });
      return true;
    }

    // Map -> field. toGeoJSON gives lon,lat order and closed rings.
    function write() {
      const polygons = [];
      drawn.eachLayer((layer) => polygons.push(...polygonsOf(layer.toGeoJSON().geometry)));
      let value = '';
      if (polygons.length === 1) value = JSON.stringify({ type: 'Polygon', coordinates: polygons[0] });
      else if (polygons.length > 1) value = JSON.stringify({ type: 'MultiPolygon', coordinates: polygons });
      setField(input, value);
    }

    addDrawControl(map, el, drawn, {
      polygon: Object.assign({ shapeOptions: EDIT_STYLE }, POLYGON),
      rectangle: Object.assign({ shapeOptions: EDIT_STYLE }, RECTANGLE),
    });
    syncShapes(map, drawn, [input], read, write, false);

    // A boundary file, once chosen, is shown on the map before the form is sent. A file
    // over its limit has already been unchosen by file-size.js, which listens first.
    document.querySelectorAll('input[type="file"][data-boundary-input="' + input.id + '"]')
      .forEach((chooser) => chooser.addEventListener('change', () => {
        const file = chooser.files && chooser.files[0];
        if (file) file.text().then((text) => setField(input, text)).catch(warn);
      }));
  }

  // --- data-map="pin": data-lon-input, data-lat-input, data-areas-url, and
  // data-outlines (optional, as for "points"): the area the pin belongs in, drawn under it,
  // and the map fitted to it until a pin is placed (a sign's place in its area).

  function initPin(map, el) {
    const lonInput = byId(el.dataset.lonInput);
    const latInput = byId(el.dataset.latInput);
    if (!lonInput || !latInput) return;
    addBackground(map, el.dataset.areasUrl);
    const outlined = L.featureGroup().addTo(map);
    addOutlines(outlined, el);
    let marker = null;
    let busy = false;

    const typed = () => latLngOrNull(number(latInput.value), number(lonInput.value));

    function place(latlng) {
      if (marker) {
        marker.setLatLng(latlng);
        return;
      }
      marker = L.marker(latlng, markerOptions(el, { draggable: true, autoPan: true })).addTo(map);
      marker.on('dragend', () => write(marker.getLatLng()));
    }

    function write(latlng) {
      const wrapped = latlng.wrap();  // a map panned round the world still gives -180..180
      busy = true;
      setField(lonInput, round6(wrapped.lng));
      setField(latInput, round6(wrapped.lat));
      busy = false;
    }

    const start = typed();
    if (start) {
      place(start);
      map.setView(start, Math.max(map.getZoom(), PIN_ZOOM));
    } else if (outlined.getLayers().length) {
      fitTo(map, outlined);
    }
    map.on('click', (e) => {
      place(e.latlng);
      write(e.latlng);
    });
    // Coordinates typed by hand move the pin.
    const follow = () => {
      const latlng = busy ? null : typed();
      if (latlng) {
        place(latlng);
        map.panTo(latlng);
      }
    };
    lonInput.addEventListener('change', follow);
    latInput.addEventListener('change', follow);
  }

  // --- data-map="points": data-points = id of a json_script with [[lon, lat, label]],
  // the coordinates in millionths of a degree (map_point in watch/areas/widgets.py);
  // data-outlines (optional), drawn under the pins (the area the pins are in).

  // data-outlines: the id of a json_script with a list of GeoJSON geometries, drawn as
  // areas into group; not clickable, so that a click on one reaches the map (a pin map).
  function addOutlines(group, el) {
    const outlines = jsonScript(el.dataset.outlines);
    (Array.isArray(outlines) ? outlines : []).forEach((geometry) => {
      polygonsOf(geometry).forEach((coordinates) => {
        const layer = polygonLayer(coordinates, Object.assign({ interactive: false }, AREA_STYLE));
        if (layer) group.addLayer(layer);
      });
    });
  }

  function jsonScript(id) {
    const source = byId(id);
    if (!source) return null;
    try {
      return JSON.parse(source.textContent);
    } catch (e) {
      warn(e);
      return null;
    }
  }

  function initPoints(map, el) {
    const points = jsonScript(el.dataset.points);
    if (points === null) return;
    const group = L.featureGroup().addTo(map);
    addOutlines(group, el);
    (Array.isArray(points) ? points : []).forEach((point) => {
      if (!Array.isArray(point)) return;
      const latlng = latLngOrNull(number(point[1]) / 1e6, number(point[0]) / 1e6);
      if (!latlng) return;
      const label = point[2] == null ? '' : String(point[2]);
      // alt: the marker is focusable, and this is what a screen reader reads.
      const marker = L.marker(latlng, label ? { alt: label, title: label } : markerOptions(el, {})).addTo(group);
      if (label) marker.bindPopup(() => element('span', label));
    });
    fitTo(map, group);
  }

  // --- data-map="shape": data-input, data-circle-{lon,lat,radius}-input, data-geojson-url

  function initShape(map, el) {
    const d = el.dataset;
    const input = byId(d.input);
    const lonInput = byId(d.circleLonInput);
    const latInput = byId(d.circleLatInput);
    const radiusInput = byId(d.circleRadiusInput);
    if (!input || !lonInput || !latInput || !radiusInput) return;
    input.classList.add('map-enhanced');
    addBackground(map, d.geojsonUrl);
    const drawn = L.featureGroup().addTo(map);

    // Fields -> map: the polygon if there is one, else the circle.
    function read() {
      const data = parseJSON(input.value);
      if (data === undefined) return false;
      const polygons = polygonsOf(data);
      const centre = latLngOrNull(number(latInput.value), number(lonInput.value));
      const radius = number(radiusInput.value);
      let layer = null;
      if (polygons.length === 1) layer = polygonLayer(polygons[0], TARGET_STYLE);
      else if (polygons.length > 1) layer = polygonLayer(polygons, TARGET_STYLE, 2);
      else if (centre && radius > 0) layer = L.circle(centre, Object.assign({ radius: radius }, TARGET_STYLE));
      drawn.clearLayers();
      if (layer) drawn.addLayer(layer);
      return true;
    }

    // Map -> fields. A circle and a polygon exclude each other.
    function write() {
      const layer = drawn.getLayers()[0];
      const circle = layer instanceof L.Circle ? layer : null;
      const centre = circle ? circle.getLatLng().wrap() : null;
      setField(input, layer && !circle ? JSON.stringify(layer.toGeoJSON().geometry) : '');
      setField(lonInput, centre ? round6(centre.lng) : '');
      setField(latInput, centre ? round6(centre.lat) : '');
      setField(radiusInput, circle ? Math.round(circle.getRadius()) : '');
    }

    addDrawControl(map, el, drawn, {
      polygon: Object.assign({ shapeOptions: TARGET_STYLE }, POLYGON),
      rectangle: Object.assign({ shapeOptions: TARGET_STYLE }, RECTANGLE),
      circle: { shapeOptions: TARGET_STYLE, showRadius: true, metric: true },
    });
    // One shape at a time: a new one replaces the old.
    syncShapes(map, drawn, [input, lonInput, latInput, radiusInput], read, write, true);
  }

  // --- Named areas (kinds "pick" and "reach") ------------------------------------------

  // Each area is its outline; a dot standing in for it while it is too small on screen
  // to see or to hit (zoomed out); and its name, a marker of text only (a DOM node, never
  // HTML) that is not focusable. On a "pick" map the name and the dot can be clicked like
  // the area. With options.namesOfSmallAreas false, a name shows only while its area is
  // drawn larger than a dot (the public map of every area, where names would crowd).
  const DOT_BELOW_PX = 18;
  const DOT_RADIUS = 9;

  function namedAreas(map, areas, options) {
    const group = L.featureGroup().addTo(map);
    const items = [];
    areas.forEach((area) => {
      const style = area && options.style(false, area);
      const layer = area && areaLayer(area.geometry, Object.assign({ className: 'map-area' }, style));
      if (!layer) return;
      group.addLayer(layer);
      const id = String(area.id);
      const path = layer.getElement();
      if (path) path.setAttribute('data-area', id);
      const centre = layer.getCenter();
      const dot = L.circleMarker(centre, Object.assign({ radius: DOT_RADIUS, className: 'map-area-dot' }, style));
      dot.on('add', () => dot.getElement().setAttribute('data-area', id));
      const node = element('span', area.name == null ? '' : area.name, 'map-area-label');
      L.marker(centre, {
        icon: L.divIcon({ className: 'map-area-label-anchor', html: node, iconSize: null }),
        interactive: false,
        keyboard: false,
      }).addTo(map);
      const item = { id: id, layer: layer, dot: dot, path: path, node: node, chosen: false, small: false };
      if (options.popup) {
        layer.bindPopup(() => options.popup(area));
        dot.bindPopup(() => options.popup(area));
      }
      if (options.click) {
        const click = () => options.click(item);
        layer.on('click', click);
        dot.on('click', click);
        node.classList.add('map-area-label-button');
        L.DomEvent.disableClickPropagation(node);
        L.DomEvent.on(node, 'click', click);
      }
      items.push(item);
    });
    const namesOfSmallAreas = options.namesOfSmallAreas !== false;
    const refresh = () => {
      showDots(map, items);
      if (!namesOfSmallAreas) items.forEach((item) => item.node.classList.toggle('map-area-label-small', item.small));
      declutter(items.filter((item) => namesOfSmallAreas || !item.small));
    };
    map.on('zoomend resize', refresh);
    return { group: group, items: items, refresh: refresh };
  }

  function setChosen(item, chosen, style) {
    item.chosen = chosen;
    item.layer.setStyle(style);
    item.dot.setStyle(style);
    if (item.path) item.path.classList.toggle('map-area-chosen', chosen);
    item.node.classList.toggle('map-area-label-chosen', chosen);
  }

  function showDots(map, items) {
    items.forEach((item) => {
      const bounds = item.layer.getBounds();
      const a = map.latLngToContainerPoint(bounds.getNorthWest());
      const b = map.latLngToContainerPoint(bounds.getSouthEast());
      const small = Math.max(Math.abs(b.x - a.x), Math.abs(b.y - a.y)) < DOT_BELOW_PX;
      item.small = small;
      if (small && !map.hasLayer(item.dot)) item.dot.addTo(map);
      else if (!small && map.hasLayer(item.dot)) item.dot.remove();
    });
  }

  // Names that would cover another are hidden, chosen areas' first in line. Names keep
  // their size while areas grow and shrink, so this runs again after every zoom.
  function declutter(items) {
    const shown = [];
    const overlaps = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
    items.slice().sort((a, b) => Number(b.chosen) - Number(a.chosen)).forEach((item) => {
      const box = item.node.getBoundingClientRect();
      const hidden = shown.some((other) => overlaps(box, other));
      item.node.classList.toggle('map-area-label-hidden', hidden);
      if (!hidden) shown.push(box);
    });
  }

  // One layer per area (several polygons of one area stay one layer), or null.
  function areaLayer(geometry, style) {
    const polygons = polygonsOf(geometry);
    if (polygons.length === 0) return null;
    return polygons.length === 1 ? polygonLayer(polygons[0], style) : polygonLayer(polygons, style, 2);
  }

  // --- data-map="pick": data-areas = id of a json_script with [{id, name, geometry}],
  // data-checkboxes = the name of the form's checkboxes, one per area (value = its id).
  // A click on an area (or its name) ticks or unticks its checkbox; ticking one in the
  // list colours the area: the list stays the way for keyboards and screen readers, and
  // the form's value.

  function initPick(map, el) {
    const areas = jsonScript(el.dataset.areas);
    const form = el.closest('form');
    if (!Array.isArray(areas) || !form || !el.dataset.checkboxes) return;
    const boxes = new Map();
    form.querySelectorAll('input[type="checkbox"]').forEach((box) => {
      if (box.name === el.dataset.checkboxes) boxes.set(box.value, box);
    });
    const offered = areas.filter((area) => area && boxes.has(String(area.id)));
    const style = (chosen) => (chosen ? CHOSEN_STYLE : PICKABLE_STYLE);
    const set = namedAreas(map, offered, {
      style: style,
      click: (item) => {
        const box = boxes.get(item.id);
        box.checked = !box.checked;
        box.dispatchEvent(new Event('change', { bubbles: true }));
      },
    });
    set.items.forEach((item) => {
      const box = boxes.get(item.id);
      const show = () => setChosen(item, box.checked, style(box.checked));
      show();
      box.addEventListener('change', () => {
        show();
        declutter(set.items);
      });
    });
    fitTo(map, set.group);
    set.refresh();
  }

  // --- data-map="reach": data-areas as for "pick" (the areas an alert reaches), and
  // data-outlines (optional) = id of a json_script with GeoJSON geometries drawn dashed
  // (the shape drawn around an incident). Nothing to click: it shows where the alert goes.

  function initReach(map, el) {
    const areas = jsonScript(el.dataset.areas);
    if (!Array.isArray(areas)) return;
    const style = Object.assign({ interactive: false }, CHOSEN_STYLE);
    const set = namedAreas(map, areas, { style: () => style });
    set.items.forEach((item) => setChosen(item, true, style));
    const outlines = jsonScript(el.dataset.outlines);
    (Array.isArray(outlines) ? outlines : []).forEach((geometry) => {
      const layer = areaLayer(geometry, INCIDENT_STYLE);
      if (layer) set.group.addLayer(layer);
    });
    fitTo(map, set.group);
    set.refresh();
  }

  // --- Start -----------------------------------------------------------------------

  const KINDS = {
    areas: initAreas, editor: initEditor, pin: initPin, points: initPoints, shape: initShape,
    pick: initPick, reach: initReach,
  };

  function enhance(el) {
    const init = KINDS[el.dataset.map];
    if (!init || el.classList.contains('map-ready')) return;
    el.classList.add('map-ready');
    const map = createMap(el);
    init(map, el);
    // For page scripts that want the Leaflet map (same-origin files only, under the CSP).
    el.dispatchEvent(new CustomEvent('map:ready', { bubbles: true, detail: { map: map } }));
  }

  function start() {
    if (typeof window.L === 'undefined') {
      warn('Leaflet is not loaded; maps are off, the form fields still work.');
      return;
    }
    document.querySelectorAll('[data-map]').forEach((el) => {
      try {
        enhance(el);
      } catch (error) {
        warn(error);  // one broken map must not take the others down
      }
    });
  }

  window.GrannsamverkanMaps = { enhance: enhance };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
