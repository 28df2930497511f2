//! CSV column types that hold every value as written.
//!
//! GDAL's CSV type detection (AUTODETECT_TYPE) reads codes such as the
//! INSEE code `01001` or the postcode `06000` as integers (`1001`), and it
//! guesses from the first AUTODETECT_SIZE_LIMIT bytes only (1 MB in GDAL
//! 3.6): past that point a value that does not fit the guess is changed
//! without a word (`2A004` in an Integer column reads as NULL, `12.5` as 12,
//! a 20-digit identifier is clamped). One streaming pass over the whole file
//! decides, for each column GDAL guessed numeric, a type that holds all its
//! values; where that differs from the guess, the file is opened through a
//! `.csvt` that says so. GDAL 3.6 has no COLUMN_TYPES open option (3.6.2
//! answers "does not support open option"); a `.csvt` beside the file wins
//! over AUTODETECT_TYPE, and the delivered file is not ours to write beside,
//! so a symbolic link to it and the `.csvt` go into the ingest's own directory.

use gdal::vector::{LayerAccess, OGRFieldType};
use gdal::{Dataset, DatasetOptions, GdalOpenFlags};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// A column stored with another type than GDAL guessed, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ColumnNote {
    pub column: String,
    /// GDAL's guess from the start of the file.
    pub detected: String,
    /// The type it is stored with.
    pub stored: String,
    /// `leading-zero`, `not-a-number`, `beyond-int64`, `inexact-as-real`
    /// (`stored` is String) or `wider-number` (a wider numeric type).
    pub reason: &'static str,
    /// The first value that decided it, and its data row (1 = the first
    /// record after the header).
    pub example: String,
    pub row: u64,
}

impl ColumnNote {
    /// One line for the text report (French, as the rest of it).
    pub fn describe(&self) -> String {
        let why = match self.reason {
            "leading-zero" => "zéro initial",
            "not-a-number" => "valeur non numérique",
            "beyond-int64" => "entier au-delà de 64 bits",
            "inexact-as-real" => "plus de chiffres qu'un réel n'en garde",
            _ => "valeurs plus larges plus loin dans le fichier",
        };
        format!(
            "colonne {} : {} lue comme {} ({why}, « {} » ligne {})",
            self.column, self.detected, self.stored, self.example, self.row
        )
    }
}

/// What GDAL opens for a delivered file, and the notes on its columns.
/// Dropping it removes the link and the `.csvt`: keep it alive as long as
/// the dataset opened from `path`.
#[derive(Debug)]
pub struct CsvSource {
    pub path: PathBuf,
    pub notes: Vec<ColumnNote>,
    /// Why the columns that needed it could not be protected.
    pub warning: Option<String>,
    work: Option<PathBuf>,
}

impl CsvSource {
    fn as_is(path: &Path) -> CsvSource {
        CsvSource {
            path: path.to_path_buf(),
            notes: Vec::new(),
            warning: None,
            work: None,
        }
    }

    /// The directory holding the link, to name the delivered file instead
    /// of it in GDAL's messages.
    pub fn link_dir(&self) -> Option<&Path> {
        self.work.as_deref()
    }
}

impl Drop for CsvSource {
    fn drop(&mut self) {
        if let Some(w) = &self.work {
            let _ = std::fs::remove_dir_all(w);
        }
    }
}

/// The kind of one value, as far as the stored type is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Int32,
    Int64,
    Real,
    /// An integer no 64-bit integer holds.
    BigInt,
    NotNumber,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Value {
    pub kind: Kind,
    /// `0` followed by another digit, after an optional sign: `01001`,
    /// `-007`, `00.5` (not `0`, `0.5`, `-0.25`).
    pub leading_zero: bool,
    /// A double gives back every written digit.
    pub exact_as_real: bool,
}

/// Classifies one raw value (surrounding blanks ignored, as GDAL does).
/// Numbers are GDAL's: digits with an optional sign, point and `e`
/// exponent; `nan`, `inf`, `0x10`, `1d5` are not (GDAL reads `1d5` as 1).
pub fn classify(raw: &str) -> Value {
    let not_number = Value {
        kind: Kind::NotNumber,
        leading_zero: false,
        exact_as_real: false,
    };
    let s = raw.trim_matches(|c: char| c.is_ascii_whitespace());
    let unsigned = s.strip_prefix(['+', '-']).unwrap_or(s);
    let (mant, exp) = match unsigned.find(['e', 'E']) {
        Some(i) => (&unsigned[..i], Some(&unsigned[i + 1..])),
        None => (unsigned, None),
    };
    let (int, frac) = match mant.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (mant, None),
    };
    let digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
    let exp_ok = exp.is_none_or(|e| {
        let e = e.strip_prefix(['+', '-']).unwrap_or(e);
        !e.is_empty() && digits(e)
    });
    if int.len() + frac.map_or(0, str::len) == 0
        || !digits(int)
        || !frac.is_none_or(digits)
        || !exp_ok
    {
        return not_number;
    }
    let b = int.as_bytes();
    let leading_zero = b.len() >= 2 && b[0] == b'0';
    let kind = if frac.is_some() || exp.is_some() {
        Kind::Real
    } else if s.parse::<i32>().is_ok() {
        Kind::Int32
    } else if s.parse::<i64>().is_ok() {
        Kind::Int64
    } else {
        Kind::BigInt
    };
    Value {
        kind,
        leading_zero,
        exact_as_real: kind == Kind::Int32 || exact_as_real(s, int, frac.unwrap_or(""), exp),
    }
}

/// Whether the double nearest to the decimal number `int.frac e exp`
/// printed with as many significant digits gives the same digits: true of
/// any value of up to 15 digits, and of what a program printed from a
/// double (`%.17g`, shortest round-trip).
fn exact_as_real(s: &str, int: &str, frac: &str, exp: Option<&str>) -> bool {
    // The common case, decided without parsing: at most 15 digits and no
    // exponent is a value between 1e-15 and 1e15, where every such
    // decimal survives a double.
    if exp.is_none() && int.len() + frac.len() <= 15 {
        return true;
    }
    let all: String = [int, frac].concat();
    let lead = all.bytes().take_while(|&b| b == b'0').count();
    let sig = all[lead..].trim_end_matches('0');
    if sig.is_empty() {
        return true;
    }
    let Ok(v) = s.parse::<f64>() else {
        return false;
    };
    if !v.is_finite() || v == 0.0 {
        return false;
    }
    if sig.len() <= 15 && v.abs() >= f64::MIN_POSITIVE {
        return true;
    }
    // A double's exact decimal expansion has at most 767 significant digits.
    if sig.len() > 800 {
        return false;
    }
    let Some(e) = exp.map_or(Some(0), |e| e.parse::<i64>().ok()) else {
        return false;
    };
    let dec_exp = int.len() as i64 - 1 - lead as i64 + e;
    let printed = format!("{:.*e}", sig.len() - 1, v.abs());
    let Some((m, pe)) = printed.split_once('e') else {
        return false;
    };
    let pdigits: String = m.chars().filter(char::is_ascii_digit).collect();
    pdigits.trim_end_matches('0') == sig && pe.parse::<i64>().ok() == Some(dec_exp)
}

#[derive(Debug, Clone)]
struct Seen {
    value: String,
    row: u64,
}

impl Seen {
    fn new(raw: &str, row: u64) -> Seen {
        let mut value: String = raw.trim().chars().take(40).collect();
        if raw.trim().chars().count() > 40 {
            value.push('…');
        }
        Seen { value, row }
    }
}

/// What a column's values say, over the whole file; bounded whatever the
/// file's size.
#[derive(Debug, Default, Clone)]
pub struct ColumnStats {
    leading_zero: Option<Seen>,
    not_number: Option<Seen>,
    big_int: Option<Seen>,
    inexact: Option<Seen>,
    real: Option<Seen>,
    int64: Option<Seen>,
}

impl ColumnStats {
    pub fn add(&mut self, raw: &str, row: u64) {
        if raw.trim().is_empty() {
            return;
        }
        let v = classify(raw);
        let slot = |s: &mut Option<Seen>, hit: bool| {
            if hit && s.is_none() {
                *s = Some(Seen::new(raw, row));
            }
        };
        slot(&mut self.leading_zero, v.leading_zero);
        slot(&mut self.not_number, v.kind == Kind::NotNumber);
        slot(&mut self.big_int, v.kind == Kind::BigInt);
        slot(&mut self.real, v.kind == Kind::Real);
        slot(&mut self.int64, v.kind == Kind::Int64);
        slot(
            &mut self.inexact,
            v.kind != Kind::NotNumber && !v.exact_as_real,
        );
    }

    /// Whether nothing more can change the decision (the column is text).
    fn settled(&self) -> bool {
        self.leading_zero.is_some() || self.not_number.is_some() || self.big_int.is_some()
    }
}

fn rank(t: &str) -> u8 {
    match t {
        "Integer" => 0,
        "Integer64" => 1,
        _ => 2,
    }
}

/// The type a column GDAL guessed `detected` (Integer, Integer64 or Real)
/// is stored with, given all its values; None when the guess holds them.
pub fn decide(column: &str, detected: &str, st: &ColumnStats) -> Option<ColumnNote> {
    let note = |stored: &str, reason, seen: &Seen| ColumnNote {
        column: column.to_string(),
        detected: detected.to_string(),
        stored: stored.to_string(),
        reason,
        example: seen.value.clone(),
        row: seen.row,
    };
    // Codes first: a column of codes is text even where one of its values
    // would also fail as a number.
    if let Some(s) = &st.leading_zero {
        return Some(note("String", "leading-zero", s));
    }
    if let Some(s) = &st.not_number {
        return Some(note("String", "not-a-number", s));
    }
    if let Some(s) = &st.big_int {
        return Some(note("String", "beyond-int64", s));
    }
    let needed = if st.real.is_some() {
        "Real"
    } else if st.int64.is_some() {
        "Integer64"
    } else {
        "Integer"
    };
    let stored = if rank(needed) > rank(detected) {
        needed
    } else {
        detected
    };
    if stored == "Real" {
        if let Some(s) = &st.inexact {
            return Some(note("String", "inexact-as-real", s));
        }
    }
    if stored != detected {
        let s = st.real.as_ref().or(st.int64.as_ref())?;
        return Some(note(stored, "wider-number", s));
    }
    None
}

/// One column of the file as GDAL guessed it.
struct Column {
    name: String,
    /// Its `.csvt` type.
    csvt: String,
    /// The field holding its raw text, for the columns to check.
    raw: Option<usize>,
}

fn is_csv(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
}

fn sidecar(path: &Path, ext: &str) -> Option<PathBuf> {
    [ext.to_string(), ext.to_ascii_uppercase()]
        .into_iter()
        .map(|e| path.with_extension(e))
        .find(|p| p.is_file())
}

/// GDAL's guess for every column, in file order, and where their raw text
/// is: KEEP_SOURCE_COLUMNS puts `<name>_original` (as written) right after
/// each column guessed other than String, in one open and one read.
fn columns(layer: &gdal::vector::Layer) -> Option<Vec<Column>> {
    let fields: Vec<(String, u32, i32)> = layer
        .defn()
        .fields()
        .map(|f| (f.name(), f.field_type(), f.width()))
        .collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < fields.len() {
        let (name, t, width) = &fields[i];
        let mut csvt = gdal::vector::field_type_to_name(*t);
        let mut raw = None;
        if *t != OGRFieldType::OFTString {
            let original = fields.get(i + 1)?;
            if original.0 != format!("{name}_original") {
                return None;
            }
            // GDAL marks the booleans it guesses (true/false, yes/no…)
            // with width 1; the gdal crate does not expose the subtype.
            if *t == OGRFieldType::OFTInteger && *width == 1 {
                csvt = "Integer(Boolean)".into();
            } else if [
                OGRFieldType::OFTInteger,
                OGRFieldType::OFTInteger64,
                OGRFieldType::OFTReal,
            ]
            .contains(t)
            {
                raw = Some(i + 1);
            }
            i += 1;
        }
        out.push(Column {
            name: name.clone(),
            csvt,
            raw,
        });
        i += 1;
    }
    Some(out)
}

#[cfg(unix)]
fn link(target: &Path, at: &Path) -> std::io::Result<()> {
    std::os::unix::fs::symlink(target, at)
}

#[cfg(windows)]
fn link(target: &Path, at: &Path) -> std::io::Result<()> {
    std::os::windows::fs::symlink_file(target, at)
}

#[cfg(not(any(unix, windows)))]
fn link(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::ErrorKind::Unsupported.into())
}

/// Writes the link to `src` and its `.csvt` into `work` (made anew).
fn write_override(src: &Path, work: &Path, types: &[String]) -> std::io::Result<PathBuf> {
    let name = src
        .file_name()
        .ok_or_else(|| std::io::Error::other("no file name"))?;
    let _ = std::fs::remove_dir_all(work);
    std::fs::create_dir_all(work)?;
    let target = std::fs::canonicalize(src)?;
    let at = work.join(name);
    link(&target, &at)?;
    if let Some(prj) = sidecar(src, "prj") {
        link(&std::fs::canonicalize(prj)?, &at.with_extension("prj"))?;
    }
    std::fs::write(at.with_extension("csvt"), types.join(",") + "\n")?;
    Ok(at)
}

/// The source GDAL should open for `src`: `src` itself, unless it is a CSV
/// whose columns GDAL would guess wrong, then a link to it in `work`
/// beside a `.csvt`. A `.csvt` delivered with the file is the producer's
/// word on its types and is left to GDAL; so are files GDAL cannot open
/// (the ingest rejects them with the usual reason).
pub fn prepare(src: &Path, work: &Path) -> CsvSource {
    if !is_csv(src) || sidecar(src, "csvt").is_some() {
        return CsvSource::as_is(src);
    }
    let (plan, _messages) = geocentre_gdal::capture(|| plan(src));
    let Some((types, notes)) = plan else {
        return CsvSource::as_is(src);
    };
    if notes.is_empty() {
        return CsvSource::as_is(src);
    }
    match write_override(src, work, &types) {
        Ok(path) => CsvSource {
            path,
            notes,
            warning: None,
            work: Some(work.to_path_buf()),
        },
        Err(e) => {
            let _ = std::fs::remove_dir_all(work);
            let cols: Vec<&str> = notes.iter().map(|n| n.column.as_str()).collect();
            let mut source = CsvSource::as_is(src);
            source.warning = Some(format!(
                "columns {} could not be kept as written ({e}): GDAL's guessed types used",
                cols.join(", ")
            ));
            source
        }
    }
}

/// The `.csvt` types of every column and the notes, from one read of the
/// whole file; None when GDAL cannot read it or lays its fields out
/// otherwise than expected.
fn plan(src: &Path) -> Option<(Vec<String>, Vec<ColumnNote>)> {
    let p = src.to_string_lossy().into_owned();
    let opts = [
        "AUTODETECT_TYPE=YES",
        "KEEP_SOURCE_COLUMNS=YES",
        "KEEP_GEOM_COLUMNS=YES",
        "EMPTY_STRING_AS_NULL=YES",
    ];
    let ds = Dataset::open_ex(
        &p,
        DatasetOptions {
            open_flags: GdalOpenFlags::GDAL_OF_VECTOR | GdalOpenFlags::GDAL_OF_READONLY,
            allowed_drivers: Some(&["CSV"]),
            open_options: Some(&opts),
            ..Default::default()
        },
    )
    .ok()?;
    let mut layer = ds.layer(0).ok()?;
    let cols = columns(&layer)?;
    let checked: Vec<(usize, usize)> = cols
        .iter()
        .enumerate()
        .filter_map(|(c, col)| col.raw.map(|f| (c, f)))
        .collect();
    let types = |cols: &[Column]| cols.iter().map(|c| c.csvt.clone()).collect::<Vec<_>>();
    if checked.is_empty() {
        return Some((types(&cols), Vec::new()));
    }
    let mut stats = vec![ColumnStats::default(); checked.len()];
    let mut row = 0u64;
    for f in layer.features() {
        // Columns already text need no more values: a file of codes is
        // decided on its first rows.
        if stats.iter().all(ColumnStats::settled) {
            break;
        }
        row += 1;
        for (k, &(_, field)) in checked.iter().enumerate() {
            if stats[k].settled() {
                continue;
            }
            if let Ok(Some(v)) = f.field_as_string(field) {
                stats[k].add(&v, row);
            }
        }
    }
    let mut cols = cols;
    let mut notes = Vec::new();
    for (k, &(c, _)) in checked.iter().enumerate() {
        let col = &mut cols[c];
        if let Some(n) = decide(&col.name, &col.csvt, &stats[k]) {
            col.csvt = n.stored.clone();
            notes.push(n);
        }
    }
    Some((types(&cols), notes))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stats(values: &[&str]) -> ColumnStats {
        let mut s = ColumnStats::default();
        for (i, v) in values.iter().enumerate() {
            s.add(v, i as u64 + 1);
        }
        s
    }

    #[test]
    fn leading_zero_rule() {
        for v in [
            "01001",
            "06000",
            "021000123",
            "00",
            "-007",
            "+01",
            "00.5",
            " 01001 ",
        ] {
            assert!(classify(v).leading_zero, "{v}");
        }
        for v in [
            "0", "0.5", "-0.25", "-0", "0e5", "45234", "10", "2A004", "0x10", "",
        ] {
            assert!(!classify(v).leading_zero, "{v}");
        }
    }

    #[test]
    fn numbers_as_gdal_reads_them() {
        assert_eq!(classify("45234").kind, Kind::Int32);
        assert_eq!(classify("+7").kind, Kind::Int32);
        assert_eq!(classify("2147483648").kind, Kind::Int64);
        assert_eq!(classify("-9223372036854775808").kind, Kind::Int64);
        assert_eq!(classify("9223372036854775808").kind, Kind::BigInt);
        assert_eq!(classify("12345678901234567890123").kind, Kind::BigInt);
        for v in ["1.5", ".5", "5.", "1e5", "-2.5E-3"] {
            assert_eq!(classify(v).kind, Kind::Real, "{v}");
        }
        for v in [
            "2A004", "nan", "inf", "1d5", "0x10", "1,5", "- 5", ".", "e5", "1e", "1.2.3",
        ] {
            assert_eq!(classify(v).kind, Kind::NotNumber, "{v}");
        }
    }

    #[test]
    fn digits_a_double_holds() {
        for v in [
            "47.9",
            "0.1",
            "0.10000000000000001",    // %.17g of 0.1
            "0.10000000000000000555", // 20 digits of 0.1's expansion
            "0.30000000000000004",    // repr(0.1 + 0.2)
            "0.33333333333333331",    // %.17g of 1/3
            "9007199254740992",
            "1.50000000000000000000",
            "0",
            "0.000",
        ] {
            assert!(classify(v).exact_as_real, "{v}");
        }
        for v in [
            "9007199254740993",
            "12345678901234567890",
            "47.123456789012345678",
            "1.5e400",
            "1e-400",
        ] {
            assert!(!classify(v).exact_as_real, "{v}");
        }
    }

    #[test]
    fn codes_with_leading_zeros_become_text() {
        let n = decide("code", "Integer", &stats(&["45234", "18001", "01001"])).unwrap();
        assert_eq!(
            (n.stored.as_str(), n.reason, n.example.as_str(), n.row),
            ("String", "leading-zero", "01001", 3)
        );
        let n = decide("siren", "Real", &stats(&["1.5", "021000123"])).unwrap();
        assert_eq!(n.reason, "leading-zero");
        // 0, 0.5 and negative zero are numbers, not codes.
        assert_eq!(
            decide("x", "Real", &stats(&["0", "0.5", "-0.25", "12"])),
            None
        );
        assert_eq!(decide("x", "Integer", &stats(&["0", "10", "", "-3"])), None);
    }

    #[test]
    fn what_the_sample_missed() {
        let n = decide("code", "Integer", &stats(&["45234", "2A004"])).unwrap();
        assert_eq!((n.stored.as_str(), n.reason), ("String", "not-a-number"));
        let n = decide("id", "Integer64", &stats(&["1", "12345678901234567890"])).unwrap();
        assert_eq!((n.stored.as_str(), n.reason), ("String", "beyond-int64"));
        let n = decide("v", "Integer", &stats(&["1", "12.5"])).unwrap();
        assert_eq!(
            (n.stored.as_str(), n.reason, n.row),
            ("Real", "wider-number", 2)
        );
        let n = decide("v", "Integer", &stats(&["1", "3000000000"])).unwrap();
        assert_eq!((n.stored.as_str(), n.reason), ("Integer64", "wider-number"));
        // Integers a double cannot hold stay exact as Integer64…
        assert_eq!(
            decide("id", "Integer64", &stats(&["9007199254740993", "2"])),
            None
        );
        // …but not in a column of reals.
        let n = decide("v", "Real", &stats(&["1.5", "9007199254740993"])).unwrap();
        assert_eq!((n.stored.as_str(), n.reason), ("String", "inexact-as-real"));
        assert_eq!(
            decide("v", "Real", &stats(&["1.5", "0.10000000000000001", "3"])),
            None
        );
    }

    /// A scratch directory of its own, removed at the end.
    struct Scratch(PathBuf);
    impl Scratch {
        fn new(name: &str) -> Scratch {
            let d =
                std::env::temp_dir().join(format!("gc-csv-types-{}-{name}", std::process::id()));
            let _ = std::fs::remove_dir_all(&d);
            std::fs::create_dir_all(&d).unwrap();
            Scratch(d)
        }
    }
    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    /// (name, type) of each field, and each feature's values as text.
    type Table = (Vec<(String, String)>, Vec<Vec<Option<String>>>);

    fn read(path: &Path) -> Table {
        let ds = crate::scan::open(path, &["CSV"]).unwrap();
        let mut layer = ds.layer(0).unwrap();
        let fields = layer
            .defn()
            .fields()
            .map(|f| (f.name(), gdal::vector::field_type_to_name(f.field_type())))
            .collect::<Vec<_>>();
        let rows = layer
            .features()
            .map(|f| {
                (0..fields.len())
                    .map(|i| f.field_as_string(i).unwrap())
                    .collect()
            })
            .collect();
        (fields, rows)
    }

    #[test]
    fn past_gdal_sample_codes_stay_text_and_geometry_is_kept() {
        let dir = Scratch::new("sample");
        let csv = dir.0.join("communes.csv");
        // More than GDAL's 1 MB sample before the first leading zero.
        let mut text = String::from("code,num,surf,lon,lat\n");
        let mut i = 0;
        while text.len() < 1_100_000 {
            text += &format!(
                "{},{},{}.5,1.{:03},47.5\n",
                45000 + i % 300,
                100 + i % 200,
                i,
                i % 1000
            );
            i += 1;
        }
        text += "01001,099,7,1.5,47.5\n";
        std::fs::write(&csv, text).unwrap();
        // What GDAL alone does with it: the code loses its zero.
        let (fields, rows) = read(&csv);
        assert_eq!(fields[0], ("code".into(), "Integer".into()));
        assert_eq!(rows.last().unwrap()[0].as_deref(), Some("1001"));

        let work = dir.0.join("f0.csvt.d");
        let source = prepare(&csv, &work);
        let got: Vec<_> = source
            .notes
            .iter()
            .map(|n| (n.column.as_str(), n.reason))
            .collect();
        assert_eq!(got, [("code", "leading-zero"), ("num", "leading-zero")]);
        assert_eq!(source.notes[0].row, i as u64 + 1);
        let (fields, rows) = read(&source.path);
        let kinds: Vec<_> = fields.iter().map(|(n, t)| format!("{n}:{t}")).collect();
        assert_eq!(kinds, ["code:String", "num:String", "surf:Real"]);
        let last = rows.last().unwrap();
        assert_eq!(last[0].as_deref(), Some("01001"));
        assert_eq!(last[1].as_deref(), Some("099"));
        assert_eq!(rows[0][0].as_deref(), Some("45000"));
        {
            let ds = crate::scan::open(&source.path, &["CSV"]).unwrap();
            let mut layer = ds.layer(0).unwrap();
            let f = layer.features().last().unwrap();
            let g = f.geometry().unwrap().get_point(0);
            assert_eq!((g.0, g.1), (1.5, 47.5));
        }
        drop(source);
        assert!(
            !work.exists(),
            "the link and .csvt are removed with the source"
        );
    }

    #[test]
    fn files_guessed_right_or_typed_by_their_producer_are_left_alone() {
        let dir = Scratch::new("alone");
        let csv = dir.0.join("a.csv");
        std::fs::write(
            &csv,
            "code,flag,when,lon,lat\n45234,true,2024-01-05,1.5,47.2\n",
        )
        .unwrap();
        let s = prepare(&csv, &dir.0.join("w"));
        assert_eq!((s.path.as_path(), s.notes.len()), (csv.as_path(), 0));
        // A producer's .csvt is their word, even where it loses zeros.
        let typed = dir.0.join("b.csv");
        std::fs::write(&typed, "code,lon,lat\n01001,1.5,47.2\n").unwrap();
        std::fs::write(dir.0.join("b.csvt"), "Integer,Real,Real\n").unwrap();
        let s = prepare(&typed, &dir.0.join("w"));
        assert_eq!((s.path.as_path(), s.notes.len()), (typed.as_path(), 0));
        // Booleans GDAL guessed keep their subtype when a .csvt is written.
        let mixed = dir.0.join("c.csv");
        std::fs::write(
            &mixed,
            "code,flag,when,lon,lat\n01001,true,2024-01-05,1.5,47.2\n",
        )
        .unwrap();
        let s = prepare(&mixed, &dir.0.join("w"));
        let csvt = std::fs::read_to_string(s.path.with_extension("csvt")).unwrap();
        assert_eq!(csvt.trim(), "String,Integer(Boolean),Date,Real,Real");
    }

    #[test]
    fn notes_read_well() {
        let n = decide("num", "Integer", &stats(&["334", "099"])).unwrap();
        assert_eq!(
            n.describe(),
            "colonne num : Integer lue comme String (zéro initial, « 099 » ligne 2)"
        );
    }
}
