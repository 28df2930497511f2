//! A query as parameterised SQL for a PostGIS table or view.
//!
//! Nothing from a request is ever written into the SQL text: values are
//! bound (`$n`), and identifiers come only from the layer's record (what
//! `connect` read from the database's own catalog), quoted. A request's
//! property names are only looked up in that record.
//!
//! The SQL must select exactly what the GeoPackage backend selects, whose
//! filters are evaluated in Rust (`filter_eval`) with its own rules: a
//! missing value fails every comparison (so `NOT (a = 1)` holds where `a`
//! is null: each leaf is written two-valued), text compares by code point
//! (`COLLATE "C"`), a number compares with a text that reads as one, dates
//! compare as their text. Where a node cannot be written with the same
//! meaning (a number compared with a text field, a real read as text, a
//! case-insensitive pattern beyond ASCII, a geometry with arcs, whose
//! linearisation PostGIS and OGR do differently), the translation gives up
//! on that node: the caller then pushes down what it can (the conjuncts
//! that translate) and evaluates the whole filter on the rows in Rust, as
//! the GeoPackage backend does. Answers are the same either way; only the
//! work differs.

use geocentre_filter::{CmpOp, Expr, FilterGeometry, Literal, SpatialOp, TemporalOp, TimeSpan};
use geocentre_registry::vector::{PostgisSource, VectorLayerRecord};

/// A bound value. Each placeholder carries its type (`$1::float8`), so the
/// server never has to guess.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Bind {
    Int(i64),
    Float(f64),
    Text(String),
    Bytes(Vec<u8>),
    Bool(bool),
}

/// An identifier, quoted (a `"` inside doubled): whatever a column is
/// called, it stays one identifier.
pub(crate) fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// What a field holds, from the OGR type name its record gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Integer,
    Integer64,
    Real,
    String,
    Date,
    DateTime,
}

impl Kind {
    pub(crate) fn of(ogr: &str) -> Kind {
        match ogr {
            "Integer" => Kind::Integer,
            "Integer64" => Kind::Integer64,
            "Real" => Kind::Real,
            "Date" => Kind::Date,
            "DateTime" => Kind::DateTime,
            _ => Kind::String,
        }
    }

    fn numeric(self) -> bool {
        matches!(self, Kind::Integer | Kind::Integer64 | Kind::Real)
    }
}

/// `to_char` pictures of dates as OGR hands them to the writers (the
/// session's time zone is UTC: `PostgisStore` sets it).
const DATE_TEXT: &str = "'YYYY-MM-DD'";
/// A date-time as OGR's reader gives it through the `gdal` crate (whole
/// seconds, UTC) and `to_rfc3339` writes it.
const DATETIME_TEXT: &str = "'YYYY-MM-DD\"T\"HH24:MI:SS\"+00:00\"'";
/// A date-time as set into an OGR field (read back as UTC).
const DATETIME_OGR: &str = "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'";

/// A field and the column behind it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Column<'a> {
    /// The quoted column.
    pub(crate) kind: Kind,
    pub(crate) column: &'a str,
    pub(crate) pg_type: &'a str,
}

impl Column<'_> {
    fn q(&self) -> String {
        ident(self.column)
    }

    fn is_text_type(&self) -> bool {
        matches!(self.pg_type, "text" | "character varying" | "varchar")
            || self.pg_type.starts_with("character varying(")
    }

    /// The value as the select list reads it, in the SQL type its kind
    /// decodes from (a boolean as 0/1, as OGR reads a GeoPackage's).
    pub(crate) fn read(&self) -> String {
        let c = self.q();
        match self.kind {
            Kind::Integer => format!("{c}::int4"),
            Kind::Integer64 => format!("{c}::int8"),
            Kind::Real => format!("{c}::float8"),
            Kind::String => format!("{c}::text"),
            Kind::Date => format!("to_char({c}, {DATE_TEXT})"),
            Kind::DateTime => format!("to_char({c}, {DATETIME_OGR})"),
        }
    }

    /// The value in comparisons with numbers: the column itself where it
    /// is a number already (an index serves it), a boolean as 0/1.
    fn number(&self) -> String {
        let c = self.q();
        match (self.kind, self.pg_type) {
            (Kind::Integer, "boolean") => format!("{c}::int4"),
            (Kind::Real, "double precision") => c,
            (Kind::Real, _) => format!("{c}::float8"),
            _ => c,
        }
    }

    /// The value as the text `filter_eval` compares or matches: None where
    /// SQL would not write it the same (a real: Rust's shortest form and
    /// PostgreSQL's differ).
    fn text(&self) -> Option<String> {
        let c = self.q();
        Some(match self.kind {
            Kind::String if self.is_text_type() => c,
            Kind::String => format!("{c}::text"),
            Kind::Integer | Kind::Integer64 => format!("{}::text", self.read()),
            Kind::Date => format!("to_char({c}, {DATE_TEXT})"),
            Kind::DateTime => format!("to_char({c}, {DATETIME_TEXT})"),
            Kind::Real => return None,
        })
    }

    /// The sort key, ordered as `store::key_order` orders the values read.
    pub(crate) fn sort_key(&self) -> String {
        let c = self.q();
        match self.kind {
            Kind::Integer | Kind::Integer64 | Kind::Real => self.number(),
            Kind::String => format!("{} COLLATE \"C\"", self.text().unwrap_or(c)),
            Kind::Date => c,
            // Read to the second: values within one second are equal keys.
            Kind::DateTime => format!("date_trunc('second', {c})"),
        }
    }
}

/// A PostGIS layer's table, as its record describes it.
pub(crate) struct Table<'a> {
    pub(crate) layer: &'a VectorLayerRecord,
    pub(crate) src: &'a PostgisSource,
}

impl<'a> Table<'a> {
    pub(crate) fn new(layer: &'a VectorLayerRecord, src: &'a PostgisSource) -> Table<'a> {
        Table { layer, src }
    }

    /// `"schema"."table"`.
    pub(crate) fn from(&self) -> String {
        format!("{}.{}", ident(&self.src.schema), ident(&self.src.table))
    }

    pub(crate) fn fid(&self) -> String {
        ident(&self.src.fid)
    }

    pub(crate) fn geometry(&self) -> Option<String> {
        self.src.geometry.as_deref().map(ident)
    }

    /// The field named `name` (a client's name, looked up in the record).
    pub(crate) fn column(&self, name: &str) -> Option<Column<'a>> {
        let i = self.layer.fields.iter().position(|f| f.name == name)?;
        let f = &self.layer.fields[i];
        let c = self.src.columns.get(i)?;
        Some(Column {
            kind: Kind::of(&f.kind),
            column: &c.name,
            pg_type: &c.pg_type,
        })
    }

    /// Whether the layer's geometries may hold arcs: spatial tests are then
    /// made in Rust, on OGR's linearisation, as for a GeoPackage.
    pub(crate) fn curved(&self) -> bool {
        let t = &self.layer.geometry_type;
        [
            "Curve", "Circular", "Compound", "Surface", "Unknown", "Geometry",
        ]
        .iter()
        .any(|k| t.contains(k))
    }
}

/// Placeholders and their values, numbered in the order they are written.
#[derive(Debug, Default, Clone)]
pub(crate) struct Binds {
    pub(crate) values: Vec<Bind>,
}

impl Binds {
    pub(crate) fn push(&mut self, b: Bind) -> String {
        let cast = match &b {
            Bind::Int(_) => "int8",
            Bind::Float(_) => "float8",
            Bind::Text(_) => "text",
            Bind::Bytes(_) => "bytea",
            Bind::Bool(_) => "bool",
        };
        self.values.push(b);
        format!("${}::{cast}", self.values.len())
    }

    /// A number, as an integer when it is one (an index on an integer
    /// column serves it; the comparison is exact either way).
    fn number(&mut self, n: f64) -> String {
        if n.fract() == 0.0 && n.abs() <= 9_007_199_254_740_992.0 {
            self.push(Bind::Int(n as i64))
        } else {
            self.push(Bind::Float(n))
        }
    }
}

fn op_sql(op: CmpOp) -> &'static str {
    match op {
        CmpOp::Eq => "=",
        CmpOp::Ne => "<>",
        CmpOp::Lt => "<",
        CmpOp::Le => "<=",
        CmpOp::Gt => ">",
        CmpOp::Ge => ">=",
    }
}

/// A filter tree as a WHERE condition on one table.
pub(crate) struct FilterSql<'t, 'a> {
    table: &'t Table<'a>,
    /// The filter's geometries in the layer's CRS (`store::prepare`).
    geometries: &'t [(FilterGeometry, gdal::vector::Geometry)],
    pub(crate) binds: Binds,
}

impl<'t, 'a> FilterSql<'t, 'a> {
    pub(crate) fn new(
        table: &'t Table<'a>,
        geometries: &'t [(FilterGeometry, gdal::vector::Geometry)],
        binds: Binds,
    ) -> FilterSql<'t, 'a> {
        FilterSql {
            table,
            geometries,
            binds,
        }
    }

    /// `e` as a condition that is never NULL, or None where SQL cannot say
    /// the same (the placeholders it had written are taken back).
    pub(crate) fn expr(&mut self, e: &Expr) -> Option<String> {
        let mark = self.binds.values.len();
        let out = self.node(e);
        if out.is_none() {
            self.binds.values.truncate(mark);
        }
        out
    }

    fn node(&mut self, e: &Expr) -> Option<String> {
        Some(match e {
            Expr::And(v) if v.is_empty() => "TRUE".into(),
            Expr::Or(v) if v.is_empty() => "FALSE".into(),
            Expr::And(v) | Expr::Or(v) => {
                let mut parts = Vec::with_capacity(v.len());
                for x in v {
                    parts.push(self.node(x)?);
                }
                let sep = if matches!(e, Expr::And(_)) {
                    " AND "
                } else {
                    " OR "
                };
                format!("({})", parts.join(sep))
            }
            Expr::Not(x) => format!("(NOT {})", self.node(x)?),
            Expr::Cmp { prop, op, value } => self.cmp(prop, *op, value)?,
            Expr::Like {
                prop,
                pattern,
                wildcard,
                single,
                escape,
                case_insensitive,
            } => {
                let Some(c) = self.table.column(prop) else {
                    return Some("FALSE".into());
                };
                let text = c.text()?;
                let pattern = if *case_insensitive {
                    // Rust lowercases by Unicode's rules, PostgreSQL by
                    // the database's locale: they agree on ASCII only.
                    if !pattern.is_ascii() {
                        return None;
                    }
                    pattern.to_ascii_lowercase()
                } else {
                    pattern.clone()
                };
                let like = like_pattern(&pattern, *wildcard, *single, *escape);
                let p = self.binds.push(Bind::Text(like));
                let subject = if *case_insensitive {
                    format!("lower({text})")
                } else {
                    text
                };
                format!("({} IS NOT NULL AND {subject} LIKE {p} ESCAPE '\\')", c.q())
            }
            Expr::IsNull(prop) => match self.table.column(prop) {
                Some(c) => format!("({} IS NULL)", c.q()),
                // GML's standard properties: never written, always absent.
                None => "TRUE".into(),
            },
            Expr::IsNil(_) => "FALSE".into(),
            Expr::Between { prop, low, high } => {
                let a = self.cmp(prop, CmpOp::Ge, low)?;
                let b = self.cmp(prop, CmpOp::Le, high)?;
                format!("({a} AND {b})")
            }
            Expr::In { prop, values } => {
                if values.is_empty() {
                    return Some("FALSE".into());
                }
                let mut parts = Vec::with_capacity(values.len());
                for v in values {
                    parts.push(self.cmp(prop, CmpOp::Eq, v)?);
                }
                format!("({})", parts.join(" OR "))
            }
            Expr::Temporal { prop, op, operand } => self.temporal(prop, *op, *operand)?,
            Expr::Spatial { op, geometry } => {
                if self.table.curved() {
                    return None;
                }
                let g = self.table.geometry()?;
                let shape = self
                    .geometries
                    .iter()
                    .find(|(k, _)| k == geometry)
                    .map(|(_, g)| g)?;
                let wkb = match op {
                    // As `filter_eval` does: the client's geometry
                    // buffered by GEOS (8 segments a quarter circle), then
                    // intersected; PostGIS's exact distance would differ
                    // at the edge.
                    SpatialOp::DWithin(d) => shape.buffer(*d, 8).ok()?.wkb().ok()?,
                    _ => shape.wkb().ok()?,
                };
                let p = self.binds.push(Bind::Bytes(wkb));
                let other = format!("ST_GeomFromWKB({p}, {})", self.table.src.srid);
                let test = match op {
                    SpatialOp::Intersects | SpatialOp::DWithin(_) => {
                        format!("ST_Intersects({g}, {other})")
                    }
                    SpatialOp::Disjoint => format!("ST_Disjoint({g}, {other})"),
                    SpatialOp::Within => format!("ST_Within({g}, {other})"),
                    SpatialOp::Contains => format!("ST_Contains({g}, {other})"),
                };
                format!("({g} IS NOT NULL AND {test})")
            }
        })
    }

    /// A comparison as `filter_eval::compare` makes it.
    fn cmp(&mut self, prop: &str, op: CmpOp, value: &Literal) -> Option<String> {
        let Some(c) = self.table.column(prop) else {
            // A GML property: absent, so every comparison fails.
            return Some("FALSE".into());
        };
        let o = op_sql(op);
        let not_null = format!("{} IS NOT NULL", c.q());
        let test = match (value, c.kind) {
            (Literal::Num(n), Kind::Integer | Kind::Integer64 | Kind::Real) => {
                if n.is_nan() {
                    return Some("FALSE".into());
                }
                format!("{} {o} {}", c.number(), self.binds.number(*n))
            }
            // num() of a date is none: the comparison fails.
            (Literal::Num(_) | Literal::Bool(_), Kind::Date | Kind::DateTime) => {
                return Some("FALSE".into())
            }
            // A text field's value read as a number, by Rust's rules.
            (Literal::Num(_) | Literal::Bool(_), Kind::String) => return None,
            (Literal::Bool(b), _) => {
                let p = self.binds.push(Bind::Bool(*b));
                format!("({} <> 0) {o} {p}", c.number())
            }
            (Literal::Str(s), Kind::String) => {
                let text = c.text()?;
                let p = self.binds.push(Bind::Text(s.clone()));
                // Equality is the same under any deterministic collation
                // (and an index serves it); order is by code point.
                match op {
                    CmpOp::Eq | CmpOp::Ne => format!("{text} {o} {p}"),
                    _ => format!("{text} COLLATE \"C\" {o} {p}"),
                }
            }
            (Literal::Str(s), Kind::Integer | Kind::Integer64 | Kind::Real) => {
                match s.trim().parse::<f64>() {
                    Ok(n) if n.is_nan() => return Some("FALSE".into()),
                    Ok(n) => format!("{} {o} {}", c.number(), self.binds.number(n)),
                    // Not a number: the value's text against it.
                    Err(_) => {
                        let text = c.text()?;
                        let p = self.binds.push(Bind::Text(s.clone()));
                        format!("{text} COLLATE \"C\" {o} {p}")
                    }
                }
            }
            (Literal::Str(s), Kind::Date | Kind::DateTime) => {
                let text = c.text()?;
                let p = self.binds.push(Bind::Text(s.clone()));
                format!("{text} COLLATE \"C\" {o} {p}")
            }
        };
        Some(format!("({not_null} AND {test})"))
    }

    /// A temporal operator on a Date or DateTime column, as
    /// `TemporalOp::holds` relates the value's span (a date its day, a
    /// date-time its instant, read to the second) to the operand; a text
    /// field (dates read from its text) is left to Rust.
    fn temporal(&mut self, prop: &str, op: TemporalOp, t: TimeSpan) -> Option<String> {
        let Some(c) = self.table.column(prop) else {
            return Some("FALSE".into());
        };
        const NANOS: i128 = 1_000_000_000;
        let (unit, value, at): (i128, String, fn(&mut Binds, i128) -> String) = match c.kind {
            Kind::Date => (86_400 * NANOS, c.q(), |b, d| {
                format!(
                    "(DATE '1970-01-01' + ({})::int4)",
                    b.push(Bind::Int(d as i64))
                )
            }),
            Kind::DateTime => (NANOS, format!("date_trunc('second', {})", c.q()), |b, s| {
                format!("to_timestamp({})", b.push(Bind::Float(s as f64)))
            }),
            _ => return None,
        };
        // Beyond 100,000 years of 1970 (PostgreSQL's timestamps end in
        // 294276): as an open end.
        let bound = |x: i128| x.abs() < 100_000 * 366 * 86_400 * NANOS;
        let floor = |x: i128| x.div_euclid(unit);
        let ceil = |x: i128| -(-x).div_euclid(unit);
        // The value's span is [v·unit, (v+1)·unit − 1] for a date, the
        // instant v·unit for a date-time.
        let date = c.kind == Kind::Date;
        // first(v) > x  ⟺  v > floor(x / unit)
        let after = |b: &mut Binds, x: i128| -> String {
            if x == i128::MIN {
                "TRUE".into()
            } else if !bound(x) {
                if x > 0 {
                    "FALSE".into()
                } else {
                    "TRUE".into()
                }
            } else {
                format!("{value} > {}", at(b, floor(x)))
            }
        };
        // last(v) < x  ⟺  a date: v < floor(x / day); an instant: v < ceil(x / s)
        let before = |b: &mut Binds, x: i128| -> String {
            if x == i128::MAX {
                "TRUE".into()
            } else if !bound(x) {
                if x < 0 {
                    "FALSE".into()
                } else {
                    "TRUE".into()
                }
            } else {
                let limit = if date { floor(x) } else { ceil(x) };
                format!("{value} < {}", at(b, limit))
            }
        };
        let test = match op {
            TemporalOp::After => after(&mut self.binds, t.last),
            TemporalOp::Before => before(&mut self.binds, t.first),
            TemporalOp::During => {
                let a = after(&mut self.binds, t.first);
                let b = before(&mut self.binds, t.last);
                format!("{a} AND {b}")
            }
            TemporalOp::TEquals => {
                // Equal spans: the operand is exactly one day (a date) or
                // one whole second (a date-time).
                let whole = bound(t.first) && t.first.rem_euclid(unit) == 0;
                let span = if date { unit - 1 } else { 0 };
                if whole && t.last == t.first + span {
                    format!("{value} = {}", at(&mut self.binds, floor(t.first)))
                } else {
                    "FALSE".into()
                }
            }
        };
        Some(format!("({} IS NOT NULL AND {test})", c.q()))
    }
}

/// A client's pattern (its own wildcard, single-character and escape
/// marks, read as `filter_eval::like` reads them) as a LIKE pattern whose
/// escape is `\`: its `%`, `_` and `\` taken literally.
pub(crate) fn like_pattern(pattern: &str, wild: char, single: char, escape: char) -> String {
    let mut out = String::with_capacity(pattern.len() + 4);
    let mut it = pattern.chars();
    let literal = |c: char, out: &mut String| {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    };
    while let Some(c) = it.next() {
        if c == escape {
            if let Some(n) = it.next() {
                literal(n, &mut out);
            }
        } else if c == wild {
            out.push('%');
        } else if c == single {
            out.push('_');
        } else {
            literal(c, &mut out);
        }
    }
    out
}

/// `q.equals`' `name = value` as the GeoPackage backend's attribute
/// filter means it there (SQLite, the value a text literal): a text
/// column compares the text; a numeric column takes a text that reads as
/// a number as that number and matches nothing else; dates compare the
/// text a GeoPackage stores.
pub(crate) fn equals(table: &Table<'_>, binds: &mut Binds, name: &str, value: &str) -> String {
    let Some(c) = table.column(name) else {
        return "FALSE".into();
    };
    match c.kind {
        k if k.numeric() => match sqlite_number(value) {
            Some(n) => format!("{} = {}", c.number(), binds.number(n)),
            None => "FALSE".into(),
        },
        Kind::Date => format!(
            "to_char({}, {DATE_TEXT}) = {}",
            c.q(),
            binds.push(Bind::Text(value.into()))
        ),
        // OGR writes a GeoPackage's date-times with milliseconds, in UTC.
        Kind::DateTime => format!(
            "to_char({}, 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') = {}",
            c.q(),
            binds.push(Bind::Text(value.into()))
        ),
        _ => {
            let text = c.text().unwrap_or_else(|| c.q());
            format!("{text} = {}", binds.push(Bind::Text(value.into())))
        }
    }
}

/// A text as SQLite's numeric affinity reads it: an integer or real
/// literal, spaces around allowed; None for anything else (`inf`, `nan`,
/// hexadecimal, words), which then equals no number.
fn sqlite_number(s: &str) -> Option<f64> {
    let t = s.trim_matches(|c: char| c == ' ' || ('\t'..='\r').contains(&c));
    let body = t.strip_prefix(['+', '-']).unwrap_or(t);
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };
    let digits = mantissa.chars().filter(|c| c.is_ascii_digit()).count();
    let mantissa_ok = digits > 0
        && mantissa.chars().all(|c| c.is_ascii_digit() || c == '.')
        && mantissa.matches('.').count() <= 1;
    let exponent_ok = exponent.is_none_or(|e| {
        let d = e.strip_prefix(['+', '-']).unwrap_or(e);
        !d.is_empty() && d.chars().all(|c| c.is_ascii_digit())
    });
    if mantissa_ok && exponent_ok {
        t.parse().ok().filter(|n: &f64| n.is_finite())
    } else {
        None
    }
}

/// The ORDER BY keys of a query: its sort keys, then the feature id, so
/// that equal keys keep storage order (the GeoPackage's, by fid) and pages
/// never overlap.
pub(crate) fn order_by(table: &Table<'_>, sort_by: &[(String, bool)]) -> String {
    let mut keys: Vec<String> = sort_by
        .iter()
        .filter_map(|(name, desc)| {
            let c = table.column(name)?;
            // ASC puts NULLs last and DESC first, as key_order reversed does.
            Some(format!(
                "{}{}",
                c.sort_key(),
                if *desc { " DESC" } else { "" }
            ))
        })
        .collect();
    keys.push(table.fid());
    keys.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use geocentre_registry::vector::{FieldDef, PostgisColumn};

    fn layer(fields: &[(&str, &str, &str, &str)]) -> VectorLayerRecord {
        VectorLayerRecord {
            name: "l".into(),
            title: "l".into(),
            table_name: "l".into(),
            geometry_type: "Multi Polygon".into(),
            srid: 2154,
            has_z: false,
            feature_count: 0,
            bbox: [0.0; 4],
            bbox_wgs84: [0.0; 4],
            fields: fields
                .iter()
                .map(|(name, kind, _, _)| FieldDef {
                    name: (*name).into(),
                    kind: (*kind).into(),
                    title: None,
                })
                .collect(),
            source: String::new(),
            file: String::new(),
            postgis: Some(PostgisSource {
                connection: "postgres://u@h/d".into(),
                schema: "s\"; DROP TABLE x; --".into(),
                table: "t".into(),
                fid: "fid".into(),
                geometry: Some("geom".into()),
                srid: 2154,
                columns: fields
                    .iter()
                    .map(|(_, _, column, pg_type)| PostgisColumn {
                        name: (*column).into(),
                        pg_type: (*pg_type).into(),
                    })
                    .collect(),
            }),
            sha256: None,
            size: None,
        }
    }

    fn fields() -> VectorLayerRecord {
        layer(&[
            ("nom", "String", "nom", "character varying"),
            ("pop", "Integer", "pop", "integer"),
            ("surf", "Real", "surf", "double precision"),
            ("ok", "Integer", "ok", "boolean"),
            ("jour", "Date", "jour", "date"),
            // A column whose name is SQL, mapped to a safe field name.
            ("evil", "String", "x\" OR 1=1 --", "text"),
        ])
    }

    fn sql(e: &Expr) -> (Option<String>, Vec<Bind>) {
        let l = fields();
        let t = Table::new(&l, l.postgis.as_ref().unwrap());
        let mut f = FilterSql::new(&t, &[], Binds::default());
        let s = f.expr(e);
        (s, f.binds.values)
    }

    fn cmp(prop: &str, op: CmpOp, value: Literal) -> Expr {
        Expr::Cmp {
            prop: prop.into(),
            op,
            value,
        }
    }

    #[test]
    fn values_are_bound_never_written() {
        let hostile = "'); DROP TABLE t; --";
        let (s, b) = sql(&cmp("nom", CmpOp::Eq, Literal::Str(hostile.into())));
        let s = s.unwrap();
        assert!(!s.contains("DROP"), "{s}");
        assert_eq!(s, "(\"nom\" IS NOT NULL AND \"nom\" = $1::text)");
        assert_eq!(b, vec![Bind::Text(hostile.into())]);
        let (s, b) = sql(&Expr::Like {
            prop: "nom".into(),
            pattern: "%' OR '1'='1".into(),
            wildcard: '%',
            single: '_',
            escape: '\\',
            case_insensitive: false,
        });
        assert!(!s.unwrap().contains("OR '1'"));
        assert_eq!(b, vec![Bind::Text("%' OR '1'='1".into())]);
    }

    #[test]
    fn identifiers_are_quoted_from_the_record() {
        let (s, _) = sql(&cmp("evil", CmpOp::Eq, Literal::Str("a".into())));
        assert_eq!(
            s.unwrap(),
            "(\"x\"\" OR 1=1 --\" IS NOT NULL AND \"x\"\" OR 1=1 --\" = $1::text)"
        );
        let l = fields();
        let t = Table::new(&l, l.postgis.as_ref().unwrap());
        assert_eq!(t.from(), "\"s\"\"; DROP TABLE x; --\".\"t\"");
        // A client's name that is not in the record names no column.
        assert!(t.column("nom\" OR 1=1 --").is_none());
        assert_eq!(
            order_by(&t, &[("nom".into(), true), ("pop".into(), false)]),
            "\"nom\" COLLATE \"C\" DESC, \"pop\", \"fid\""
        );
    }

    #[test]
    fn every_leaf_is_two_valued() {
        // NOT (pop = 1) holds where pop is null, as in filter_eval.
        let (s, _) = sql(&Expr::Not(Box::new(cmp(
            "pop",
            CmpOp::Eq,
            Literal::Num(1.0),
        ))));
        assert_eq!(
            s.unwrap(),
            "(NOT (\"pop\" IS NOT NULL AND \"pop\" = $1::int8))"
        );
    }

    #[test]
    fn numbers_and_texts_compare_as_in_rust() {
        // A text reading as a number compares as one on a number field.
        let (s, b) = sql(&cmp("surf", CmpOp::Lt, Literal::Str(" 2.5".into())));
        assert_eq!(
            s.unwrap(),
            "(\"surf\" IS NOT NULL AND \"surf\" < $1::float8)"
        );
        assert_eq!(b, vec![Bind::Float(2.5)]);
        // A number against a text field: Rust reads the text; left to it.
        assert_eq!(sql(&cmp("nom", CmpOp::Eq, Literal::Num(3.0))).0, None);
        // Booleans are 0/1 numbers.
        let (s, _) = sql(&cmp("ok", CmpOp::Eq, Literal::Bool(true)));
        assert_eq!(
            s.unwrap(),
            "(\"ok\" IS NOT NULL AND (\"ok\"::int4 <> 0) = $1::bool)"
        );
        // A date is never a number.
        assert_eq!(
            sql(&cmp("jour", CmpOp::Gt, Literal::Num(1.0))).0.unwrap(),
            "FALSE"
        );
        // GML's standard properties are always absent.
        assert_eq!(
            sql(&cmp("gml:name", CmpOp::Ne, Literal::Str("a".into())))
                .0
                .unwrap(),
            "FALSE"
        );
        assert_eq!(sql(&Expr::IsNull("gml:name".into())).0.unwrap(), "TRUE");
    }

    #[test]
    fn a_node_that_does_not_translate_takes_its_binds_back() {
        let e = Expr::And(vec![
            cmp("pop", CmpOp::Eq, Literal::Num(1.0)),
            cmp("nom", CmpOp::Eq, Literal::Num(2.0)),
        ]);
        let (s, b) = sql(&e);
        assert_eq!(s, None);
        assert!(b.is_empty());
    }

    #[test]
    fn like_patterns_keep_the_clients_marks() {
        assert_eq!(like_pattern("Orl*", '*', '?', '!'), "Orl%");
        assert_eq!(like_pattern("50!%*", '*', '?', '!'), "50\\%%");
        assert_eq!(like_pattern("a_b%c\\", '*', '?', '!'), "a\\_b\\%c\\\\");
        assert_eq!(like_pattern("a?c", '*', '?', '!'), "a_c");
        // A trailing escape escapes nothing.
        assert_eq!(like_pattern("ab!", '*', '?', '!'), "ab");
        // Case-insensitive beyond ASCII is left to Rust.
        let e = Expr::Like {
            prop: "nom".into(),
            pattern: "orl%".into(),
            wildcard: '%',
            single: '_',
            escape: '\\',
            case_insensitive: true,
        };
        assert_eq!(
            sql(&e).0.unwrap(),
            "(\"nom\" IS NOT NULL AND lower(\"nom\") LIKE $1::text ESCAPE '\\')"
        );
        let e = Expr::Like {
            prop: "nom".into(),
            pattern: "Éc%".into(),
            wildcard: '%',
            single: '_',
            escape: '\\',
            case_insensitive: true,
        };
        assert_eq!(sql(&e).0, None);
    }

    #[test]
    fn sqlite_reads_numbers_strictly() {
        assert_eq!(sqlite_number(" 12 "), Some(12.0));
        assert_eq!(sqlite_number("-1.5e3"), Some(-1500.0));
        assert_eq!(sqlite_number(".5"), Some(0.5));
        for bad in ["inf", "NaN", "0x10", "1e", "", "1 2", "--1", "1.2.3"] {
            assert_eq!(sqlite_number(bad), None, "{bad}");
        }
    }

    #[test]
    fn temporal_operators_on_dates() {
        let span = |t: &str| TimeSpan::parse(t).unwrap();
        let e = Expr::Temporal {
            prop: "jour".into(),
            op: TemporalOp::After,
            operand: span("2021-05-03T10:00:00Z"),
        };
        let (s, b) = sql(&e);
        assert_eq!(
            s.unwrap(),
            "(\"jour\" IS NOT NULL AND \"jour\" > (DATE '1970-01-01' + ($1::int8)::int4))"
        );
        // 2021-05-03 is day 18750.
        assert_eq!(b, vec![Bind::Int(18750)]);
        let e = Expr::Temporal {
            prop: "jour".into(),
            op: TemporalOp::TEquals,
            operand: span("2021-05-03T00:00:00Z"),
        };
        assert!(sql(&e).0.unwrap().ends_with("FALSE)"));
    }
}
