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
        ],
    )
}

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
        ],
    )
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
    Ok(out)
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
