//! The thin unsafe wrapper around the GDAL calls the `gdal` crate does not
//! expose safely (warp, translate, memory files, error capture). Nothing
//! outside this module uses `unsafe`.

use gdal::Dataset;
use std::ffi::{CStr, CString};
use std::ptr;

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct GdalCallError(pub String);

fn last_error(context: &str) -> GdalCallError {
    // SAFETY: CPLGetLastErrorMsg returns a pointer to a thread-local buffer
    // that stays valid until the next GDAL call on this thread.
    let msg = unsafe { CStr::from_ptr(gdal_sys::CPLGetLastErrorMsg()) }
        .to_string_lossy()
        .into_owned();
    GdalCallError(if msg.is_empty() {
        context.to_string()
    } else {
        format!("{context}: {msg}")
    })
}

fn reset_error() {
    // SAFETY: no arguments; resets thread-local state.
    unsafe { gdal_sys::CPLErrorReset() }
}

/// A NULL-terminated argv for the GDAL "app" option parsers.
struct Argv {
    _owned: Vec<CString>,
    ptrs: Vec<*mut CChar>,
}
type CChar = std::os::raw::c_char;

impl Argv {
    fn new(args: &[String]) -> Result<Argv, GdalCallError> {
        let owned: Vec<CString> = args
            .iter()
            .map(|a| {
                CString::new(a.as_str())
                    .map_err(|_| GdalCallError(format!("NUL in argument {a:?}")))
            })
            .collect::<Result<_, _>>()?;
        let mut ptrs: Vec<*mut CChar> = owned.iter().map(|c| c.as_ptr() as *mut _).collect();
        ptrs.push(ptr::null_mut());
        Ok(Argv {
            _owned: owned,
            ptrs,
        })
    }
}

/// Warps `sources` into the existing dataset `dst` (like `gdalwarp` onto an
/// existing output). `args` are gdalwarp command-line options.
pub fn warp_into(
    dst: &Dataset,
    sources: &[&Dataset],
    args: &[String],
) -> Result<(), GdalCallError> {
    let mut argv = Argv::new(args)?;
    reset_error();
    // SAFETY: argv is NULL-terminated and outlives the call; the options
    // object is freed below on every path.
    let opts = unsafe { gdal_sys::GDALWarpAppOptionsNew(argv.ptrs.as_mut_ptr(), ptr::null_mut()) };
    if opts.is_null() {
        return Err(last_error("invalid warp options"));
    }
    let mut handles: Vec<gdal_sys::GDALDatasetH> = sources.iter().map(|d| d.c_dataset()).collect();
    let mut usage_error: i32 = 0;
    // SAFETY: all dataset handles are valid for the duration of the call
    // (borrowed from live `Dataset`s); GDALWarp returns `dst` itself on
    // success, which we must not close.
    let out = unsafe {
        gdal_sys::GDALWarp(
            ptr::null(),
            dst.c_dataset(),
            handles.len() as i32,
            handles.as_mut_ptr(),
            opts,
            &mut usage_error,
        )
    };
    // SAFETY: opts came from GDALWarpAppOptionsNew.
    unsafe { gdal_sys::GDALWarpAppOptionsFree(opts) };
    // A failing source may only emit CE_Failure and still return the
    // destination; treat any recorded failure as an error.
    // SAFETY: reads thread-local error state.
    let err_type = unsafe { gdal_sys::CPLGetLastErrorType() };
    if out.is_null() || usage_error != 0 || err_type >= gdal_sys::CPLErr::CE_Failure {
        return Err(last_error("warp failed"));
    }
    Ok(())
}

/// `gdal_translate` of `src` into a new dataset `dest` with `args`.
pub fn translate(src: &Dataset, dest: &str, args: &[String]) -> Result<Dataset, GdalCallError> {
    let mut argv = Argv::new(args)?;
    let c_dest = CString::new(dest).map_err(|_| GdalCallError("NUL in path".into()))?;
    reset_error();
    // SAFETY: as in warp_into.
    let opts =
        unsafe { gdal_sys::GDALTranslateOptionsNew(argv.ptrs.as_mut_ptr(), ptr::null_mut()) };
    if opts.is_null() {
        return Err(last_error("invalid translate options"));
    }
    let mut usage_error: i32 = 0;
    // SAFETY: src is a live dataset; the returned handle is owned by us and
    // wrapped in a `Dataset` that closes it.
    let h = unsafe {
        gdal_sys::GDALTranslate(c_dest.as_ptr(), src.c_dataset(), opts, &mut usage_error)
    };
    // SAFETY: opts came from GDALTranslateOptionsNew.
    unsafe { gdal_sys::GDALTranslateOptionsFree(opts) };
    if h.is_null() || usage_error != 0 {
        return Err(last_error("translate failed"));
    }
    // SAFETY: h is a fresh, owned dataset handle.
    Ok(unsafe { Dataset::from_c_dataset(h) })
}

/// Takes ownership of the bytes of a /vsimem/ file and unlinks it.
pub fn take_mem_file(path: &str) -> Result<Vec<u8>, GdalCallError> {
    gdal::vsi::get_vsi_mem_file_bytes_owned(path).map_err(|e| GdalCallError(format!("{path}: {e}")))
}

/// Reads one whole band window, reporting GDAL's own message on failure.
pub fn read_window_check(
    ds: &Dataset,
    window: (isize, isize),
    size: (usize, usize),
) -> Result<(), GdalCallError> {
    let band = ds.rasterband(1).map_err(|e| GdalCallError(e.to_string()))?;
    let out = (size.0.clamp(1, 64), size.1.clamp(1, 64));
    band.read_as::<u8>(window, size, out, None)
        .map(|_| ())
        .map_err(|e| GdalCallError(e.to_string()))
}

/// The features of `layer` under its filters, counted if need be. OGR
/// answers -1 when the count fails (an attribute filter the driver cannot
/// run: SQLite refuses expressions deeper than 1000); the `gdal` crate
/// casts that to u64::MAX, a count no client must ever see.
pub fn feature_count(layer: &impl gdal::vector::LayerAccess) -> Result<u64, GdalCallError> {
    reset_error();
    // SAFETY: the layer handle is valid while `layer` is borrowed; force=1
    // only makes OGR count by reading when it has no faster way.
    let n = unsafe { gdal_sys::OGR_L_GetFeatureCount(layer.c_layer(), 1) };
    u64::try_from(n).map_err(|_| last_error("the feature count failed"))
}

/// Forgets GDAL's last error on this thread: [`last_failure`] then reports
/// only what fails after this call.
pub fn clear_last_error() {
    reset_error();
}

/// GDAL's last failure on this thread since [`clear_last_error`], if any.
/// OGR ends a read that failed (a statement SQLite could not prepare) the
/// way it ends one that reached the last feature: only this tells them apart.
pub fn last_failure() -> Option<String> {
    // SAFETY: no arguments; reads thread-local state.
    let kind = unsafe { gdal_sys::CPLGetLastErrorType() };
    (kind == gdal_sys::CPLErr::CE_Failure || kind == gdal_sys::CPLErr::CE_Fatal)
        .then(|| last_error("read failed").0)
}

thread_local! {
    /// Messages GDAL emitted on this thread while a capture is active.
    static CAPTURED: std::cell::RefCell<Option<Vec<String>>> = const { std::cell::RefCell::new(None) };
}

/// GDAL writes warnings to stderr by default, which would tear a progress
/// bar; route them to tracing instead (and to an active [`capture`]).
pub fn quiet_errors() {
    gdal::config::set_error_handler(|class, _code, msg| {
        CAPTURED.with(|c| {
            if let Some(v) = c.borrow_mut().as_mut() {
                if v.len() < 1000 {
                    let failure = matches!(
                        class,
                        gdal::errors::CplErrType::Failure | gdal::errors::CplErrType::Fatal
                    );
                    v.push(if failure {
                        format!("{ERROR_PREFIX}{msg}")
                    } else {
                        msg.to_string()
                    });
                }
            }
        });
        if class == gdal::errors::CplErrType::Warning {
            tracing::debug!(target: "gdal", "{msg}");
        } else {
            tracing::debug!(target: "gdal", "{class:?}: {msg}");
        }
    });
}

/// Marks captured messages that GDAL reported as failures, not warnings.
pub const ERROR_PREFIX: &str = "ERROR: ";

/// Runs `f` and returns what it returned with the warnings and errors GDAL
/// reported on this thread meanwhile (after [`quiet_errors`]); failures
/// start with [`ERROR_PREFIX`].
pub fn capture<T>(f: impl FnOnce() -> T) -> (T, Vec<String>) {
    CAPTURED.with(|c| *c.borrow_mut() = Some(Vec::new()));
    let out = f();
    let msgs = CAPTURED.with(|c| c.borrow_mut().take()).unwrap_or_default();
    (out, msgs)
}

/// `ogr2ogr` of `src` into `dest` (a new file, or an existing one with
/// `-update`/`-append` in `args`).
pub fn vector_translate(dest: &str, src: &Dataset, args: &[String]) -> Result<(), GdalCallError> {
    let mut argv = Argv::new(args)?;
    let c_dest = CString::new(dest).map_err(|_| GdalCallError("NUL in path".into()))?;
    reset_error();
    // SAFETY: argv is NULL-terminated and outlives the call; the options
    // object is freed below on every path.
    let opts =
        unsafe { gdal_sys::GDALVectorTranslateOptionsNew(argv.ptrs.as_mut_ptr(), ptr::null_mut()) };
    if opts.is_null() {
        return Err(last_error("invalid vector translate options"));
    }
    let mut src_h = src.c_dataset();
    let mut usage_error: i32 = 0;
    // SAFETY: src is a live dataset, borrowed for the call; the returned
    // handle is a new dataset we own and close right away.
    let h = unsafe {
        gdal_sys::GDALVectorTranslate(
            c_dest.as_ptr(),
            ptr::null_mut(),
            1,
            &mut src_h,
            opts,
            &mut usage_error,
        )
    };
    // SAFETY: opts came from GDALVectorTranslateOptionsNew.
    unsafe { gdal_sys::GDALVectorTranslateOptionsFree(opts) };
    if h.is_null() || usage_error != 0 {
        return Err(last_error("vector translate failed"));
    }
    // SAFETY: h is a fresh, owned dataset handle; closing flushes the file.
    drop(unsafe { Dataset::from_c_dataset(h) });
    Ok(())
}

/// The geometry with its arcs (circular strings, curve polygons) turned
/// into straight segments (OGR's default step); `None` when OGR cannot.
pub fn linearized(g: &gdal::vector::Geometry) -> Option<gdal::vector::Geometry> {
    // SAFETY: `g` keeps its handle alive for the call; the result is a new
    // geometry owned here, destroyed below after its WKB is copied out.
    let h = unsafe { gdal_sys::OGR_G_GetLinearGeometry(g.c_geometry(), 0.0, ptr::null_mut()) };
    if h.is_null() {
        return None;
    }
    // SAFETY: h is a valid geometry handle until destroyed below.
    let size = unsafe { gdal_sys::OGR_G_WkbSizeEx(h) };
    let mut wkb = vec![0u8; size];
    // SAFETY: wkb holds exactly the size OGR reported for h.
    let rc = unsafe {
        gdal_sys::OGR_G_ExportToIsoWkb(h, gdal_sys::OGRwkbByteOrder::wkbNDR, wkb.as_mut_ptr())
    };
    // SAFETY: h came from OGR_G_GetLinearGeometry and is not used after.
    unsafe { gdal_sys::OGR_G_DestroyGeometry(h) };
    if rc != gdal_sys::OGRErr::OGRERR_NONE {
        return None;
    }
    gdal::vector::Geometry::from_wkb(&wkb).ok()
}

/// The geometry as GML 3.2 (`gml:id` given, `srsName` as an OGC URN,
/// latitude first for geographic CRSs as the URN's axis order requires).
pub fn gml32(g: &gdal::vector::Geometry, gml_id: &str) -> Result<String, GdalCallError> {
    gml(
        g,
        &[
            "FORMAT=GML32".to_string(),
            format!("GMLID={gml_id}"),
            "SRSNAME_FORMAT=OGC_URN".to_string(),
            "NAMESPACE_DECL=NO".to_string(),
            SRSDIMENSION.to_string(),
        ],
    )
}

/// Where OGR states that coordinates have three values: by default only
/// on `gml:posList`, which left a 3D point's `<gml:pos>x y z</gml:pos>`
/// in a 2D CRS (srsName EPSG:3946) with nothing saying so. On the top
/// geometry too, the dimension covers every `pos` below it.
const SRSDIMENSION: &str = "SRSDIMENSION_LOC=GEOMETRY,POSLIST";

/// The geometry as GML 3.1.1 (WFS 1.1.0), srsName as a URN (the axis
/// order WFS 1.1.0 clients expect with URNs), no namespace declaration.
/// GDAL's GML3 writer takes no gml:id for geometries; WFS 1.1 needs none.
pub fn gml31(g: &gdal::vector::Geometry) -> Result<String, GdalCallError> {
    gml(
        g,
        &[
            "FORMAT=GML3".to_string(),
            "GML3_LONGSRS=YES".to_string(),
            "NAMESPACE_DECL=NO".to_string(),
            SRSDIMENSION.to_string(),
        ],
    )
}

/// A feature's geometry, or None when it has none. The gdal crate's
/// `Feature::geometry` answers `Some` around a null handle for a feature
/// whose geometry is null (GeoJSON `"geometry": null`, an empty GeoPackage
/// blob), and the first call on it fails in GDAL ("Pointer 'hGeom' is NULL"):
/// every reader of features goes through this instead.
pub fn geometry_of<'a>(f: &'a gdal::vector::Feature<'_>) -> Option<&'a gdal::vector::Geometry> {
    // SAFETY: the handle is only compared with null; it belongs to `f`.
    f.geometry()
        .filter(|g| unsafe { !g.c_geometry().is_null() })
}

/// Gives a feature built in memory (a row read from PostGIS) its
/// identifier: the `gdal` crate has no setter for it. False when OGR
/// refuses the value (it is beyond i64).
pub fn set_fid(f: &mut gdal::vector::Feature<'_>, fid: u64) -> bool {
    let Ok(fid) = i64::try_from(fid) else {
        return false;
    };
    // SAFETY: the handle is alive for the call and owned by `f`.
    unsafe { gdal_sys::OGR_F_SetFID(f.c_feature(), fid) == gdal_sys::OGRErr::OGRERR_NONE }
}

/// The points of a simple curve (or a point) in three coordinate arrays,
/// replacing their contents, in one call: the `gdal` crate reads them one
/// FFI call at a time, which showed in feature-page profiles.
pub fn points_into(
    g: &gdal::vector::Geometry,
    xs: &mut Vec<f64>,
    ys: &mut Vec<f64>,
    zs: &mut Vec<f64>,
) -> usize {
    // SAFETY: the handle is alive for the call; a non-curve answers 0.
    let n = unsafe { gdal_sys::OGR_G_GetPointCount(g.c_geometry()) };
    let n = usize::try_from(n).unwrap_or(0);
    for v in [&mut *xs, &mut *ys, &mut *zs] {
        v.clear();
        v.resize(n, 0.0);
    }
    if n == 0 {
        return 0;
    }
    let stride = std::mem::size_of::<f64>() as std::os::raw::c_int;
    // SAFETY: each array holds n doubles, written with an 8-byte stride;
    // GDAL writes at most OGR_G_GetPointCount points; Z is set to 0 when
    // the geometry has none.
    let got = unsafe {
        gdal_sys::OGR_G_GetPoints(
            g.c_geometry(),
            xs.as_mut_ptr().cast(),
            stride,
            ys.as_mut_ptr().cast(),
            stride,
            zs.as_mut_ptr().cast(),
            stride,
        )
    };
    let got = usize::try_from(got).unwrap_or(0).min(n);
    for v in [xs, ys, zs] {
        v.truncate(got);
    }
    got
}

fn gml(g: &gdal::vector::Geometry, args: &[String]) -> Result<String, GdalCallError> {
    let mut argv = Argv::new(args)?;
    // SAFETY: `g` keeps its handle alive for the call; argv is
    // NULL-terminated and outlives it; the returned string is ours to free.
    let p = unsafe { gdal_sys::OGR_G_ExportToGMLEx(g.c_geometry(), argv.ptrs.as_mut_ptr()) };
    if p.is_null() {
        return Err(last_error("GML export failed"));
    }
    // SAFETY: p is a NUL-terminated string allocated by GDAL.
    let out = unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned();
    // SAFETY: p came from GDAL's allocator and is not used after.
    unsafe { gdal_sys::VSIFree(p.cast()) };
    // Curve-polygon boundaries come out as curves, not rings, and the
    // curves without gml:id: geocentre_ogc::gml_rings makes them valid
    // GML where the text is used (the feature store).
    Ok(out)
}

/// What GDAL's virtual file system says of a path, from metadata only
/// (for a zip member: its central directory entry, nothing inflated).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VsiStat {
    pub size: u64,
    pub is_dir: bool,
}

// ogr_core.h: AlterFieldDefn changes the name only.
const ALTER_NAME_FLAG: std::os::raw::c_int = 0x1;

// cpl_vsi.h: what VSIStatExL is asked to fill in.
const VSI_STAT_EXISTS_FLAG: std::os::raw::c_int = 0x1;
const VSI_STAT_NATURE_FLAG: std::os::raw::c_int = 0x2;
const VSI_STAT_SIZE_FLAG: std::os::raw::c_int = 0x4;

/// Size and nature of `path` through GDAL (`/vsizip/…` members included);
/// None when it does not exist.
pub fn vsi_stat(path: &str) -> Option<VsiStat> {
    let c = CString::new(path).ok()?;
    // SAFETY: an all-zero `stat64` is a valid value; gdal-sys leaves the
    // type opaque, libc gives its layout (VSIStatBufL is `struct stat64`
    // on Linux).
    let mut st: libc::stat64 = unsafe { std::mem::zeroed() };
    // SAFETY: `c` is NUL-terminated; `st` is a writable stat64 that
    // outlives the call.
    let rc = unsafe {
        gdal_sys::VSIStatExL(
            c.as_ptr(),
            (&mut st as *mut libc::stat64).cast(),
            VSI_STAT_EXISTS_FLAG | VSI_STAT_NATURE_FLAG | VSI_STAT_SIZE_FLAG,
        )
    };
    (rc == 0).then(|| VsiStat {
        size: u64::try_from(st.st_size).unwrap_or(0),
        is_dir: (st.st_mode & libc::S_IFMT) == libc::S_IFDIR,
    })
}

/// A file opened read-only through GDAL's virtual file system, closed on drop.
struct VsiFile(*mut gdal_sys::VSILFILE);

impl VsiFile {
    fn open(path: &str) -> Result<VsiFile, GdalCallError> {
        let c = CString::new(path).map_err(|_| GdalCallError("NUL in path".into()))?;
        // SAFETY: both strings are NUL-terminated and outlive the call.
        let f = unsafe { gdal_sys::VSIFOpenL(c.as_ptr(), c"rb".as_ptr()) };
        if f.is_null() {
            return Err(GdalCallError(format!("cannot open {path}")));
        }
        Ok(VsiFile(f))
    }

    fn read(&mut self, buf: &mut [u8]) -> usize {
        // SAFETY: buf is writable for buf.len() bytes; the handle is open.
        unsafe { gdal_sys::VSIFReadL(buf.as_mut_ptr().cast(), 1, buf.len(), self.0) }
    }
}

impl Drop for VsiFile {
    fn drop(&mut self) {
        // SAFETY: the handle came from VSIFOpenL and is closed once.
        unsafe { gdal_sys::VSIFCloseL(self.0) };
    }
}

/// The first `max` bytes (fewer if the file is shorter) of `path`, read
/// through GDAL: a zip member is inflated only that far.
pub fn vsi_head(path: &str, max: usize) -> Result<Vec<u8>, GdalCallError> {
    vsi_read_at(path, 0, max)
}

/// Up to `len` bytes of `path` from `offset`, read through GDAL.
pub fn vsi_read_at(path: &str, offset: u64, len: usize) -> Result<Vec<u8>, GdalCallError> {
    let mut f = VsiFile::open(path)?;
    // SAFETY: the handle is open; SEEK_SET from the start.
    if unsafe { gdal_sys::VSIFSeekL(f.0, offset, libc::SEEK_SET) } != 0 {
        return Err(GdalCallError(format!("cannot seek in {path}")));
    }
    let mut buf = vec![0u8; len];
    let mut got = 0;
    while got < len {
        let n = f.read(&mut buf[got..]);
        if n == 0 {
            break;
        }
        got += n;
    }
    buf.truncate(got);
    Ok(buf)
}

/// Copies `path` (a zip member…) read through GDAL into the new local
/// file `dest`.
pub fn vsi_copy(path: &str, dest: &std::path::Path) -> Result<u64, GdalCallError> {
    use std::io::Write;
    let mut f = VsiFile::open(path)?;
    let mut out = std::fs::File::create(dest)
        .map_err(|e| GdalCallError(format!("{}: {e}", dest.display())))?;
    let mut buf = vec![0u8; 1 << 20];
    let mut total = 0u64;
    loop {
        let n = f.read(&mut buf);
        if n == 0 {
            break;
        }
        out.write_all(&buf[..n])
            .map_err(|e| GdalCallError(format!("{}: {e}", dest.display())))?;
        total += n as u64;
    }
    Ok(total)
}

/// Reads `path` through to its end and counts its bytes, stopping as soon
/// as more than `limit` have come: what a stream really holds, whatever a
/// header declares. Returns the count (at most `limit` + one read).
pub fn vsi_count(path: &str, limit: u64) -> Result<u64, GdalCallError> {
    let mut f = VsiFile::open(path)?;
    let mut buf = vec![0u8; 1 << 20];
    let mut total = 0u64;
    loop {
        let n = f.read(&mut buf);
        if n == 0 {
            return Ok(total);
        }
        total += n as u64;
        if total > limit {
            return Ok(total);
        }
    }
}

/// Renames field `index` of `layer` to `name`, keeping its type (OGR
/// AlterFieldDefn; a GeoPackage renames the column in place).
pub fn rename_field(
    layer: &impl gdal::vector::LayerAccess,
    index: usize,
    name: &str,
) -> Result<(), GdalCallError> {
    let c_name = CString::new(name).map_err(|_| GdalCallError(format!("NUL in {name:?}")))?;
    let i = std::os::raw::c_int::try_from(index)
        .map_err(|_| GdalCallError(format!("field index {index}")))?;
    // SAFETY: the handle stays valid while `layer` is borrowed here.
    let h = unsafe { layer.c_layer() };
    // SAFETY: the layer handle is alive while `layer` is borrowed; the
    // field definition returned by OGR_FD_GetFieldDefn belongs to the
    // layer and is only read.
    let kind = unsafe {
        let defn = gdal_sys::OGR_L_GetLayerDefn(h);
        if i >= gdal_sys::OGR_FD_GetFieldCount(defn) {
            return Err(GdalCallError(format!("no field {index}")));
        }
        gdal_sys::OGR_Fld_GetType(gdal_sys::OGR_FD_GetFieldDefn(defn, i))
    };
    reset_error();
    // SAFETY: the new definition is ours, destroyed after the call (OGR
    // copies what it needs); ALTER_NAME_FLAG changes only the name.
    let rc = unsafe {
        let fd = gdal_sys::OGR_Fld_Create(c_name.as_ptr(), kind);
        let rc = gdal_sys::OGR_L_AlterFieldDefn(h, i, fd, ALTER_NAME_FLAG);
        gdal_sys::OGR_Fld_Destroy(fd);
        rc
    };
    if rc != gdal_sys::OGRErr::OGRERR_NONE {
        return Err(last_error(&format!("renaming field {index} to {name}")));
    }
    Ok(())
}

/// The GDAL settings that keep an ingest off the network, whatever a
/// delivered file names: every HTTP(S) request GDAL would make through
/// libcurl (`/vsicurl/`, `/vsis3/` and the other network file systems,
/// CPLHTTPFetch for GML schemas and OSR's URL CRS definitions) goes to a
/// closed loopback port, and `/vsicurl/` and its kin accept no file name.
/// Not for `serve`: the scale-out work reads stored tiles over /vsis3/.
const NO_NETWORK: &[(&str, &str)] = &[
    // Port 9 (discard) on loopback: nothing listens there. libcurl still
    // honours a NO_PROXY environment variable over this setting; the
    // ingest commands clear it (`geocentre` main) and the fetch callback
    // below does not use libcurl at all.
    ("GDAL_HTTP_PROXY", "127.0.0.1:9"),
    ("GDAL_HTTPS_PROXY", "127.0.0.1:9"),
    ("GDAL_HTTP_CONNECTTIMEOUT", "1"),
    ("GDAL_HTTP_TIMEOUT", "1"),
    ("GDAL_HTTP_MAX_RETRY", "0"),
    // /vsicurl/ (and /vsis3/, /vsigs/, /vsiaz/…, which share its checks)
    // opens only this exact name, which no delivery can produce.
    (
        "CPL_VSIL_CURL_ALLOWED_FILENAME",
        "/geocentre-ingest-opens-no-url",
    ),
    // GML: no schema download, no xlink resolution (both the defaults,
    // stated so that an environment variable cannot turn them on).
    ("GML_DOWNLOAD_WFS_SCHEMA", "NO"),
    ("GML_SKIP_RESOLVE_ELEMS", "ALL"),
    // PROJ grids over the network (off by default in PROJ).
    ("PROJ_NETWORK", "OFF"),
];

// cpl_http.h (not in gdal-sys's bindings). The result is freed by GDAL with
// CPLHTTPDestroyResult, so it is allocated with GDAL's allocator.
#[repr(C)]
struct CplHttpResult {
    n_status: std::os::raw::c_int,
    psz_content_type: *mut CChar,
    psz_err_buf: *mut CChar,
    n_data_len: std::os::raw::c_int,
    n_data_alloc: std::os::raw::c_int,
    paby_data: *mut u8,
    papsz_headers: *mut *mut CChar,
    n_mime_part_count: std::os::raw::c_int,
    pas_mime_part: *mut std::ffi::c_void,
}

type HttpWriteFn = Option<
    unsafe extern "C" fn(*mut std::ffi::c_void, usize, usize, *mut std::ffi::c_void) -> usize,
>;
type HttpFetchFn = unsafe extern "C" fn(
    *const CChar,
    *const *const CChar,
    gdal_sys::GDALProgressFunc,
    *mut std::ffi::c_void,
    HttpWriteFn,
    *mut std::ffi::c_void,
    *mut std::ffi::c_void,
) -> *mut CplHttpResult;

extern "C" {
    fn CPLHTTPSetFetchCallback(func: Option<HttpFetchFn>, user_data: *mut std::ffi::c_void);
}

const REFUSED_FETCH: &CStr = c"network access is disabled during an ingest";

/// Every CPLHTTPFetch of the process ends here once [`forbid_network`]
/// ran: an error result, no connection.
unsafe extern "C" fn refuse_fetch(
    _url: *const CChar,
    _options: *const *const CChar,
    _progress: gdal_sys::GDALProgressFunc,
    _progress_arg: *mut std::ffi::c_void,
    _write: HttpWriteFn,
    _write_arg: *mut std::ffi::c_void,
    _user: *mut std::ffi::c_void,
) -> *mut CplHttpResult {
    // SAFETY: GDAL's allocator, zeroed (every pointer NULL), freed by the
    // caller with CPLHTTPDestroyResult; CPLStrdup copies the message.
    unsafe {
        gdal_sys::CPLError(
            gdal_sys::CPLErr::CE_Failure,
            1, // CPLE_AppDefined
            c"%s".as_ptr(),
            REFUSED_FETCH.as_ptr(),
        );
        let r =
            gdal_sys::VSICalloc(1, std::mem::size_of::<CplHttpResult>()).cast::<CplHttpResult>();
        if !r.is_null() {
            (*r).n_status = 1;
            (*r).psz_err_buf = gdal_sys::CPLStrdup(REFUSED_FETCH.as_ptr());
        }
        r
    }
}

/// Whether [`forbid_network`] ran in this process.
static NETWORK_FORBIDDEN: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Keeps this process off the network as far as GDAL goes: the settings
/// of [`NO_NETWORK`] and a CPLHTTPFetch that refuses every URL. For the
/// ingest commands only. Our own object store stays readable through
/// [`reading_own_store`] and [`open_own_object`], nothing else.
pub fn forbid_network() {
    for (k, v) in NO_NETWORK {
        let _ = gdal::config::set_config_option(k, v);
    }
    // SAFETY: a plain function pointer with the C signature GDAL expects;
    // it keeps no state (user data NULL).
    unsafe { CPLHTTPSetFetchCallback(Some(refuse_fetch), ptr::null_mut()) };
    NETWORK_FORBIDDEN.store(true, std::sync::atomic::Ordering::SeqCst);
}

// ---------------------------------------------------------------------------
// Our own S3 store through /vsis3/, beside the ingest's network lock-down.
//
// GDAL reads our chunk COGs from the bucket where it must (the warper
// building the upper tiers and the composites from stored chunks). The
// settings that reach the bucket (endpoint, addressing, credentials) are
// GDAL *path-specific options* of `/vsis3/{bucket}/{prefix}`: no other
// bucket or host gets our credentials.
//
// An ingest also keeps GDAL off the network ([`forbid_network`]): delivered
// files are hostile and may name URLs. GDAL 3.6 reads the proxy and
// `CPL_VSIL_CURL_ALLOWED_FILENAME` from its global (or thread-local)
// configuration only, not per path (checked: a path-specific
// `GDAL_HTTP_PROXY` is ignored), so the lock-down stays global and is
// lifted *on one thread, for one job* that opens nothing but our own chunks:
// [`reading_own_store`] connects that thread directly (an empty thread-local
// proxy) and [`open_own_object`] admits exactly one name of our store while
// GDAL opens it. A delivered file is never opened inside that scope (the
// chunk writer uses it only for jobs whose inputs are all stored chunks),
// and every other name stays refused even there.
// ---------------------------------------------------------------------------

/// The `/vsis3/{bucket}/{prefix}/` of our store, once [`allow_vsis3`] ran.
static OWN_S3: std::sync::RwLock<Vec<String>> = std::sync::RwLock::new(Vec::new());

/// Sets GDAL up to read `/vsis3/{bucket}/{prefix}/…` with `options` (the
/// `AWS_*` settings: endpoint, region, addressing, credentials), scoped
/// to that prefix.
pub fn allow_vsis3(bucket: &str, prefix: &str, options: &[(&str, &str)]) {
    let root = if prefix.is_empty() {
        format!("/vsis3/{bucket}/")
    } else {
        format!("/vsis3/{bucket}/{prefix}/")
    };
    let Ok(c_root) = CString::new(root.trim_end_matches('/')) else {
        return;
    };
    for (k, v) in options {
        let (Ok(ck), Ok(cv)) = (CString::new(*k), CString::new(*v)) else {
            continue;
        };
        // SAFETY: three NUL-terminated strings GDAL copies.
        unsafe { gdal_sys::VSISetPathSpecificOption(c_root.as_ptr(), ck.as_ptr(), cv.as_ptr()) };
    }
    let mut own = OWN_S3.write().unwrap_or_else(|p| p.into_inner());
    if !own.contains(&root) {
        own.push(root);
    }
}

/// Whether `path` is an object of our own store: under a prefix given to
/// [`allow_vsis3`], with no `..`, query or odd byte that could make GDAL
/// or the server read it as something else.
pub fn is_own_object(path: &str) -> bool {
    let own = OWN_S3.read().unwrap_or_else(|p| p.into_inner());
    own.iter().any(|root| {
        path.strip_prefix(root.as_str()).is_some_and(|rest| {
            !rest.is_empty()
                && rest
                    .split('/')
                    .all(|seg| !seg.is_empty() && seg != "." && seg != "..")
                && rest
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-_./".contains(&b))
        })
    })
}

/// The connection settings of a thread that reads our store while the
/// network is forbidden: direct (empty proxy, which libcurl takes as "no
/// proxy"), with the timeouts and retries of an ordinary read.
const OWN_STORE_READS: &[(&str, &str)] = &[
    ("GDAL_HTTP_PROXY", ""),
    ("GDAL_HTTPS_PROXY", ""),
    ("GDAL_HTTP_CONNECTTIMEOUT", "10"),
    ("GDAL_HTTP_TIMEOUT", "120"),
    ("GDAL_HTTP_MAX_RETRY", "3"),
    ("GDAL_HTTP_RETRY_DELAY", "1"),
];

/// Lifts the thread-local settings of [`reading_own_store`] when dropped,
/// also on a panic.
struct OwnStoreScope;

impl Drop for OwnStoreScope {
    fn drop(&mut self) {
        for (k, _) in OWN_STORE_READS {
            let _ = gdal::config::clear_thread_local_config_option(k);
        }
        let _ = gdal::config::clear_thread_local_config_option(ALLOWED_FILENAME);
    }
}

const ALLOWED_FILENAME: &str = "CPL_VSIL_CURL_ALLOWED_FILENAME";

/// Runs `f`, a job that opens only objects of our own store (through
/// [`open_own_object`]), with this thread connected to the store although
/// the network is forbidden. Without [`forbid_network`] it only runs `f`.
pub fn reading_own_store<T>(f: impl FnOnce() -> T) -> T {
    if !NETWORK_FORBIDDEN.load(std::sync::atomic::Ordering::SeqCst) {
        return f();
    }
    let _scope = OwnStoreScope;
    for (k, v) in OWN_STORE_READS {
        let _ = gdal::config::set_thread_local_config_option(k, v);
    }
    f()
}

/// Runs `open` (a GDAL open of `path`) admitting exactly `path` to
/// `/vsis3/` when it is an object of our store ([`is_own_object`]) and the
/// thread is inside [`reading_own_store`]; any other name stays refused.
pub fn open_own_object<T>(path: &str, open: impl FnOnce() -> T) -> T {
    if !NETWORK_FORBIDDEN.load(std::sync::atomic::Ordering::SeqCst) || !is_own_object(path) {
        return open();
    }
    let _ = gdal::config::set_thread_local_config_option(ALLOWED_FILENAME, path);
    let out = open();
    // Back to the process-wide setting (which admits no name).
    let _ = gdal::config::clear_thread_local_config_option(ALLOWED_FILENAME);
    out
}

/// Forgets what GDAL's network file systems cached (object sizes, read
/// regions), so that the next read goes to the network.
pub fn clear_network_cache() {
    // SAFETY: no arguments; GDAL locks its caches.
    unsafe { gdal_sys::VSICurlClearCache() }
}

/// Caps the arenas of the C library's allocator, which GDAL allocates
/// through. glibc gives each thread that allocates at once an arena of its
/// own, up to 8 per core, and keeps what is freed in each: under the load
/// benchmark (64 blocking threads reading features with GDAL) the server
/// held 1.4 GB resident, 0.9 GB with 4 arenas. 0 leaves glibc's default.
/// Call before any thread starts.
pub fn limit_malloc_arenas(n: usize) {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    if n > 0 {
        let n = std::os::raw::c_int::try_from(n).unwrap_or(std::os::raw::c_int::MAX);
        // SAFETY: mallopt only tunes the allocator; it is called once at
        // start-up, before other threads allocate.
        unsafe {
            libc::mallopt(libc::M_ARENA_MAX, n);
        }
    }
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    let _ = n;
}

/// Process-wide GDAL setup: drivers, error routing, cache size.
pub fn init(cache_mb: u32) {
    gdal::DriverManager::register_all();
    quiet_errors();
    let _ = gdal::config::set_config_option("GDAL_CACHEMAX", &cache_mb.to_string());
    // Our COGs are read by path many times; skip the sibling-file probe.
    let _ = gdal::config::set_config_option("GDAL_DISABLE_READDIR_ON_OPEN", "EMPTY_DIR");
    // The COG driver's temporary overview file lives in /vsimem with ours;
    // compressing it (ZSTD by default) cost a quarter of the ingest's CPU
    // time for a file that is read once, a few seconds later.
    let _ = gdal::config::set_config_option("COG_TMP_COMPRESSION", "NONE");
}

#[cfg(test)]
mod tests {
    #[test]
    fn three_d_geometries_say_so() {
        let g = |wkt: &str| gdal::vector::Geometry::from_wkt(wkt).unwrap();
        let compound = g("CURVEPOLYGON Z (COMPOUNDCURVE Z (CIRCULARSTRING Z (0 0 1,1 1 1,2 0 1),(2 0 1,0 0 1)),(0.5 0.2 1,1 0.2 1,1 0.4 1,0.5 0.2 1))");
        for out in [
            super::gml32(&compound, "a").unwrap(),
            super::gml31(&compound).unwrap(),
        ] {
            assert!(out.contains(r#"srsDimension="3""#), "{out}");
        }
        let circle = super::gml32(&g("CURVEPOLYGON (CIRCULARSTRING (0 0,1 1,0 0))"), "c").unwrap();
        assert!(!circle.contains("srsDimension"), "{circle}");
        let point = super::gml32(&g("POINT Z (1 2 3)"), "p").unwrap();
        assert!(
            point.starts_with(r#"<gml:Point srsDimension="3""#)
                && point.contains("<gml:pos>1 2 3</gml:pos>"),
            "{point}"
        );
    }

    /// A GeoPackage layer with one feature, in memory.
    fn one_feature_gpkg(path: &str) -> gdal::Dataset {
        use gdal::vector::LayerAccess;
        let drv = gdal::DriverManager::get_driver_by_name("GPKG").unwrap();
        let mut ds = drv.create_vector_only(path).unwrap();
        {
            let layer = ds
                .create_layer(gdal::vector::LayerOptions {
                    name: "t",
                    ty: gdal_sys::OGRwkbGeometryType::wkbNone,
                    ..Default::default()
                })
                .unwrap();
            layer
                .create_defn_fields(&[("nom", gdal::vector::OGRFieldType::OFTString)])
                .unwrap();
            let defn = gdal::vector::Defn::from_layer(&layer);
            let mut f = gdal::vector::Feature::new(&defn).unwrap();
            f.set_field_string(0, "Tours").unwrap();
            f.create(&layer).unwrap();
        }
        ds
    }

    #[test]
    fn a_count_that_fails_is_an_error_not_u64_max() {
        use gdal::vector::LayerAccess;
        super::quiet_errors();
        let ds = one_feature_gpkg("/vsimem/count-test.gpkg");
        let mut layer = ds.layer_by_name("t").unwrap();
        layer.set_attribute_filter("nom = 'Tours'").unwrap();
        assert_eq!(super::feature_count(&layer).unwrap(), 1);
        super::clear_last_error();
        assert_eq!(layer.features().count(), 1);
        assert_eq!(super::last_failure(), None);
        // Deeper than SQLite's expression limit: OGR accepts the filter,
        // then cannot run it.
        let deep = vec!["nom = 'Tours'"; 1200].join(" AND ");
        layer.set_attribute_filter(&deep).unwrap();
        assert!(super::feature_count(&layer).is_err());
        super::clear_last_error();
        layer.reset_feature_reading();
        assert_eq!(layer.features().count(), 0);
        assert!(super::last_failure().is_some());
        // The dataset is closed (its file released) before the unlink.
        drop(ds);
        let _ = gdal::vsi::unlink_mem_file("/vsimem/count-test.gpkg");
    }

    #[test]
    fn vsi_reads_heads_sizes_and_counts() {
        gdal::DriverManager::register_all();
        let data = b"0123456789".repeat(1000);
        gdal::vsi::create_mem_file("/vsimem/gc-vsi-test.bin", data.clone()).unwrap();
        let p = "/vsimem/gc-vsi-test.bin";
        assert_eq!(
            super::vsi_stat(p),
            Some(super::VsiStat {
                size: 10_000,
                is_dir: false
            })
        );
        assert_eq!(super::vsi_head(p, 4).unwrap(), b"0123");
        assert_eq!(super::vsi_read_at(p, 9_998, 10).unwrap(), b"89");
        assert_eq!(super::vsi_head(p, 1 << 20).unwrap().len(), 10_000);
        assert_eq!(super::vsi_count(p, 1 << 30).unwrap(), 10_000);
        assert!(super::vsi_count(p, 100).unwrap() > 100);
        assert_eq!(super::vsi_stat("/vsimem/gc-vsi-absent"), None);
        assert!(super::vsi_head("/vsimem/gc-vsi-absent", 4).is_err());
        gdal::vsi::unlink_mem_file(p).unwrap();
    }

    #[test]
    fn fields_are_renamed_in_place() {
        use gdal::vector::LayerAccess;
        gdal::DriverManager::register_all();
        let dir = std::env::temp_dir().join(format!("gc-rename-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("t.gpkg");
        {
            let drv = gdal::DriverManager::get_driver_by_name("GPKG").unwrap();
            let mut ds = drv.create_vector_only(&path).unwrap();
            let layer = ds.create_layer(Default::default()).unwrap();
            let f = gdal::vector::FieldDefn::new("a b<c>", gdal::vector::OGRFieldType::OFTInteger)
                .unwrap();
            f.add_to_layer(&layer).unwrap();
        }
        {
            let ds = gdal::Dataset::open_ex(
                &path,
                gdal::DatasetOptions {
                    open_flags: gdal::GdalOpenFlags::GDAL_OF_UPDATE
                        | gdal::GdalOpenFlags::GDAL_OF_VECTOR,
                    ..Default::default()
                },
            )
            .unwrap();
            let layer = ds.layer(0).unwrap();
            super::rename_field(&layer, 0, "a_b_c_").unwrap();
            assert!(super::rename_field(&layer, 5, "x").is_err());
        }
        let ds = gdal::Dataset::open(&path).unwrap();
        let layer = ds.layer(0).unwrap();
        let names: Vec<_> = layer
            .defn()
            .fields()
            .map(|f| (f.name(), f.field_type()))
            .collect();
        assert_eq!(
            names,
            [("a_b_c_".to_string(), gdal::vector::OGRFieldType::OFTInteger)]
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn no_request_leaves_once_the_network_is_forbidden() {
        gdal::DriverManager::register_all();
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let port = listener.local_addr().unwrap().port();
        // Without the lock-down a request would wait on the silent
        // listener: bounded, so that the test fails instead of hanging.
        gdal::config::set_config_option("GDAL_HTTP_TIMEOUT", "2").unwrap();
        super::forbid_network();
        // /vsicurl/ directly, and a GeoJSON whose CRS is a link (fetched by
        // OSR through CPLHTTPFetch when allowed).
        assert!(super::vsi_head(&format!("/vsicurl/http://127.0.0.1:{port}/x.tif"), 16).is_err());
        let dir = std::env::temp_dir().join(format!("gc-nonet-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let gj = dir.join("link.geojson");
        std::fs::write(
            &gj,
            format!(
                r#"{{"type":"FeatureCollection","crs":{{"type":"link","properties":{{"href":"http://127.0.0.1:{port}/crs","type":"ogcwkt"}}}},"features":[]}}"#
            ),
        )
        .unwrap();
        let _ = gdal::Dataset::open(&gj);
        std::thread::sleep(std::time::Duration::from_millis(200));
        match listener.accept() {
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
            other => panic!("a connection reached the listener: {other:?}"),
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn arcs_become_segments() {
        let g = gdal::vector::Geometry::from_wkt(
            "CURVEPOLYGON Z (COMPOUNDCURVE Z (CIRCULARSTRING Z (0 0 1,1 1 1,2 0 1),(2 0 1,0 0 1)))",
        )
        .unwrap();
        let l = super::linearized(&g).expect("linearized");
        assert_eq!(l.geometry_name(), "POLYGON");
        assert!(l.json().is_ok());
    }

    #[test]
    fn points_come_in_arrays() {
        let g = gdal::vector::Geometry::from_wkt("LINESTRING Z (1 2 3, 4 5 6)").unwrap();
        let (mut x, mut y, mut z) = (vec![9.0; 7], Vec::new(), Vec::new());
        assert_eq!(super::points_into(&g, &mut x, &mut y, &mut z), 2);
        assert_eq!((x, y, z), (vec![1.0, 4.0], vec![2.0, 5.0], vec![3.0, 6.0]));
        let p = gdal::vector::Geometry::from_wkt("POLYGON ((0 0, 1 0, 0 1, 0 0))").unwrap();
        let (mut x, mut y, mut z) = (Vec::new(), Vec::new(), Vec::new());
        assert_eq!(super::points_into(&p, &mut x, &mut y, &mut z), 0);
    }

    #[test]
    fn gml32_names_its_crs_and_id() {
        let mut g = gdal::vector::Geometry::from_wkt("POINT (1 2)").unwrap();
        let mut srs = gdal::spatial_ref::SpatialRef::from_epsg(2154).unwrap();
        srs.set_axis_mapping_strategy(gdal::spatial_ref::AxisMappingStrategy::TraditionalGisOrder);
        g.set_spatial_ref(srs);
        let gml = super::gml32(&g, "f.1").unwrap();
        assert!(
            gml.contains("gml:id=\"f.1\"") && gml.contains("EPSG::2154"),
            "{gml}"
        );
    }
}
