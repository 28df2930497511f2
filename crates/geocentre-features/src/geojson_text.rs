//! Features written straight to GeoJSON text. A 1,000-feature OGC API page
//! built as `serde_json` trees, serialised and dropped cost as much as
//! reading and reprojecting it (perf, bench/vector.sh); here each feature
//! goes from OGR to bytes once, its points read and reprojected in arrays.

use gdal::vector::{Feature, Geometry, OGRwkbGeometryType as T};
use geocentre_geo::reproject::Reprojection;
use std::io::Write;

/// Writes features of one layer as GeoJSON `Feature` objects: type, id,
/// geometry, properties. The store's only GeoJSON writer (its values are
/// this text read back).
pub(crate) struct GeoJsonWriter<'q> {
    properties: Option<&'q [String]>,
    /// Field index in the layer and the member key, already escaped; read
    /// from the first feature's definition (OGR's field order).
    keys: Option<Vec<(usize, Vec<u8>)>>,
    swap: bool,
    skip_geometry: bool,
    xs: Vec<f64>,
    ys: Vec<f64>,
    zs: Vec<f64>,
    num: zmij::Buffer,
}

impl<'q> GeoJsonWriter<'q> {
    /// `properties`: those to write (None: all), already checked against
    /// the schema; `swap`: latitude first.
    pub(crate) fn new(
        properties: Option<&'q [String]>,
        swap: bool,
        skip_geometry: bool,
    ) -> GeoJsonWriter<'q> {
        GeoJsonWriter {
            properties,
            keys: None,
            swap,
            skip_geometry,
            xs: Vec::new(),
            ys: Vec::new(),
            zs: Vec::new(),
            num: zmij::Buffer::new(),
        }
    }

    fn keys_of(&self, f: &Feature<'_>) -> Vec<(usize, Vec<u8>)> {
        f.fields()
            .enumerate()
            .filter(|(_, (n, _))| self.properties.is_none_or(|p| p.contains(n)))
            .map(|(i, (n, _))| {
                let mut k = serde_json::to_vec(&n).unwrap_or_else(|_| b"\"\"".to_vec());
                k.push(b':');
                (i, k)
            })
            .collect()
    }

    /// Appends `f` as a GeoJSON Feature, its geometry through `to`.
    pub(crate) fn feature(
        &mut self,
        f: &Feature<'_>,
        to: Option<&Reprojection>,
        out: &mut Vec<u8>,
    ) {
        out.extend_from_slice(b"{\"type\":\"Feature\",\"id\":");
        match f.fid() {
            Some(id) => {
                let _ = write!(out, "{id}");
            }
            None => out.extend_from_slice(b"null"),
        }
        out.extend_from_slice(b",\"geometry\":");
        let geometry = geocentre_gdal::geometry_of(f).filter(|_| !self.skip_geometry);
        match geometry {
            Some(g) => {
                // GeoJSON has no arcs: straight segments, computed in the
                // stored CRS (in degrees they would be distorted).
                let straight = crate::store::is_curve(g.geometry_type())
                    .then(|| geocentre_gdal::linearized(g))
                    .flatten();
                let g = straight.as_ref().unwrap_or(g);
                let z = gdal::vector::geometry_type_has_z(g.geometry_type());
                let start = out.len();
                if !self.geometry(g, z, to, out) {
                    // A point the transformation refused: no geometry, as
                    // for a feature without one.
                    out.truncate(start);
                    out.extend_from_slice(b"null");
                }
            }
            None => out.extend_from_slice(b"null"),
        }
        out.extend_from_slice(b",\"properties\":{");
        if self.keys.is_none() {
            self.keys = Some(self.keys_of(f));
        }
        for (n, (i, key)) in self.keys.iter().flatten().enumerate() {
            if n > 0 {
                out.push(b',');
            }
            out.extend_from_slice(key);
            let v = f.field(*i).ok().flatten();
            if serde_json::to_writer(&mut *out, &crate::store::json_value(v)).is_err() {
                out.extend_from_slice(b"null");
            }
        }
        out.extend_from_slice(b"}}");
    }

    /// False when a coordinate could not be transformed.
    fn geometry(
        &mut self,
        g: &Geometry,
        z: bool,
        to: Option<&Reprojection>,
        out: &mut Vec<u8>,
    ) -> bool {
        let kind = match gdal::vector::geometry_type_flatten(g.geometry_type()) {
            T::wkbPoint => "Point",
            T::wkbLineString | T::wkbLinearRing => "LineString",
            T::wkbPolygon | T::wkbTriangle => "Polygon",
            T::wkbMultiPoint => "MultiPoint",
            T::wkbMultiLineString => "MultiLineString",
            T::wkbMultiPolygon => "MultiPolygon",
            T::wkbGeometryCollection => {
                out.extend_from_slice(b"{\"type\":\"GeometryCollection\",\"geometries\":[");
                for i in 0..g.geometry_count() {
                    if i > 0 {
                        out.push(b',');
                    }
                    let c = g.get_geometry(i);
                    let cz = gdal::vector::geometry_type_has_z(c.geometry_type());
                    if !self.geometry(&c, cz, to, out) {
                        return false;
                    }
                }
                out.extend_from_slice(b"]}");
                return true;
            }
            // Surfaces GeoJSON cannot say (TIN, polyhedral): left out.
            _ => {
                out.extend_from_slice(b"null");
                return true;
            }
        };
        let _ = write!(out, "{{\"type\":\"{kind}\",\"coordinates\":");
        if !self.coordinates(g, z, to, out) {
            return false;
        }
        out.push(b'}');
        true
    }

    /// The coordinates member of a non-collection geometry.
    fn coordinates(
        &mut self,
        g: &Geometry,
        z: bool,
        to: Option<&Reprojection>,
        out: &mut Vec<u8>,
    ) -> bool {
        match gdal::vector::geometry_type_flatten(g.geometry_type()) {
            T::wkbPoint => {
                if !self.read(g, to) {
                    return false;
                }
                if self.xs.is_empty() {
                    out.extend_from_slice(b"[]");
                } else {
                    self.position(0, z, out);
                }
                true
            }
            T::wkbLineString | T::wkbLinearRing => self.sequence(g, z, to, out),
            T::wkbMultiPoint
            | T::wkbPolygon
            | T::wkbTriangle
            | T::wkbMultiLineString
            | T::wkbMultiPolygon => {
                out.push(b'[');
                for i in 0..g.geometry_count() {
                    if i > 0 {
                        out.push(b',');
                    }
                    if !self.coordinates(&g.get_geometry(i), z, to, out) {
                        return false;
                    }
                }
                out.push(b']');
                true
            }
            _ => {
                out.extend_from_slice(b"[]");
                true
            }
        }
    }

    fn sequence(
        &mut self,
        g: &Geometry,
        z: bool,
        to: Option<&Reprojection>,
        out: &mut Vec<u8>,
    ) -> bool {
        if !self.read(g, to) {
            return false;
        }
        out.push(b'[');
        for i in 0..self.xs.len() {
            if i > 0 {
                out.push(b',');
            }
            self.position(i, z, out);
        }
        out.push(b']');
        true
    }

    /// Reads a curve's (or a point's) points, reprojected, into the arrays.
    /// Reprojected x and y are rounded to 0.1 mm: 9 decimals of a degree
    /// (as PostGIS's `ST_AsGeoJSON`), 4 of a metre. The digits below are
    /// the arithmetic's noise (`1.271779999999999` for `1.27178`), far
    /// under any datum transformation's accuracy, and were a third of a
    /// CRS84 page's bytes. Coordinates in the stored CRS are written as
    /// stored.
    fn read(&mut self, g: &Geometry, to: Option<&Reprojection>) -> bool {
        geocentre_gdal::points_into(g, &mut self.xs, &mut self.ys, &mut self.zs);
        let Some(ct) = to.filter(|_| !self.xs.is_empty()) else {
            return true;
        };
        if !ct.transform_coords(&mut self.xs, &mut self.ys, &mut self.zs) {
            return false;
        }
        let scale = if ct.geographic() { 1e9 } else { 1e4 };
        for v in self.xs.iter_mut().chain(self.ys.iter_mut()) {
            // The quotient of two exact integers, correctly rounded: its
            // shortest form has at most the decimals wanted.
            *v = (*v * scale).round() / scale;
        }
        true
    }

    fn position(&mut self, i: usize, z: bool, out: &mut Vec<u8>) {
        let (x, y) = (self.xs[i], self.ys[i]);
        let (a, b) = if self.swap { (y, x) } else { (x, y) };
        out.push(b'[');
        self.number(a, out);
        out.push(b',');
        self.number(b, out);
        if z {
            out.push(b',');
            self.number(self.zs[i], out);
        }
        out.push(b']');
    }

    fn number(&mut self, v: f64, out: &mut Vec<u8>) {
        if v.is_finite() {
            out.extend_from_slice(self.num.format_finite(v).as_bytes());
        } else {
            out.extend_from_slice(b"null");
        }
    }
}
