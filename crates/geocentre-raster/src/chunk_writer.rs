//! Building one chunk COG: warp the inputs onto the grid, then write a
//! JPEG-YCbCr COG with an internal mask and aligned overviews, in memory.

use crate::plan::ChunkJob;
use gdal::raster::ColorInterpretation;
use gdal::spatial_ref::SpatialRef;
use gdal::{Dataset, DriverManager};
use geocentre_gdal::{self as gdal_ffi, GdalCallError};
use std::sync::atomic::{AtomicU64, Ordering};

static SEQ: AtomicU64 = AtomicU64::new(0);

/// The driver of the chunk COGs this program writes (inputs of the upper
/// tiers and of composites).
pub const OWN_CHUNKS: &[&str] = &["GTiff"];

/// One input of a chunk, as GDAL opens it.
#[derive(Debug, Clone)]
pub struct Input {
    pub gdal_path: String,
    /// Sibling files GDAL may read (a delivered image's sidecars).
    pub siblings: Vec<String>,
    /// The only drivers that may open it ([`OWN_CHUNKS`] for stored chunks).
    pub drivers: &'static [&'static str],
    /// Replace the file's CRS description by this EPSG code.
    pub assign_epsg: Option<u32>,
    /// Its pixels coincide with the chunk's: nearest-neighbour is an exact copy.
    pub on_grid: bool,
    /// A chunk this program stored (never a delivered file): on S3, GDAL
    /// may read it through `/vsis3/` even during an ingest
    /// ([`geocentre_gdal::reading_own_store`]).
    pub stored: bool,
}

impl Input {
    /// A stored chunk COG, by the name GDAL reads it with.
    pub fn stored_chunk(gdal_path: String, on_grid: bool) -> Input {
        Input {
            gdal_path,
            siblings: Vec::new(),
            drivers: OWN_CHUNKS,
            assign_epsg: None,
            on_grid,
            stored: true,
        }
    }
}

#[derive(Debug)]
pub struct Built {
    /// None when no input pixel fell in the chunk.
    pub cog: Option<Vec<u8>>,
    /// Inputs found unreadable while building, with GDAL's message.
    pub bad_inputs: Vec<(usize, String)>,
}

pub struct WriterSettings {
    pub jpeg_quality: u8,
    pub resampling: String,
}

/// An input opened for warping. A virtual copy carrying a corrected CRS
/// refers to the file's dataset, so that one must outlive it: fields drop
/// in declaration order.
struct Opened {
    virt: Option<Dataset>,
    file: Dataset,
    on_grid: bool,
}

impl Opened {
    fn dataset(&self) -> &Dataset {
        self.virt.as_ref().unwrap_or(&self.file)
    }
}

fn open_input(input: &Input) -> Result<Opened, GdalCallError> {
    let open = || crate::scan::open(&input.gdal_path, &input.siblings, input.drivers);
    let file = if input.stored {
        gdal_ffi::open_own_object(&input.gdal_path, open)
    } else {
        open()
    }
    .map_err(|e| GdalCallError(e.to_string()))?;
    let virt = match input.assign_epsg {
        None => None,
        Some(code) => {
            // The virtual copy carries the corrected CRS without touching the file.
            let args = vec![
                "-of".into(),
                "VRT".into(),
                "-a_srs".into(),
                format!("EPSG:{code}"),
            ];
            Some(gdal_ffi::translate(&file, "", &args)?)
        }
    };
    Ok(Opened {
        virt,
        file,
        on_grid: input.on_grid,
    })
}

fn make_target(job: &ChunkJob) -> Result<Dataset, GdalCallError> {
    let e = |x: gdal::errors::GdalError| GdalCallError(x.to_string());
    let driver = DriverManager::get_driver_by_name("MEM").map_err(e)?;
    // MEM allocates with calloc: pages the warp never touches cost no memory.
    let mut ds = driver
        .create_with_band_type::<u8, _>("", job.width as usize, job.height as usize, 4)
        .map_err(e)?;
    ds.set_geo_transform(&[
        job.origin.0,
        job.resolution,
        0.0,
        job.origin.1,
        0.0,
        -job.resolution,
    ])
    .map_err(e)?;
    ds.set_spatial_ref(&SpatialRef::from_epsg(2154).map_err(e)?)
        .map_err(e)?;
    for (i, ci) in [
        ColorInterpretation::RedBand,
        ColorInterpretation::GreenBand,
        ColorInterpretation::BlueBand,
        ColorInterpretation::AlphaBand,
    ]
    .into_iter()
    .enumerate()
    {
        ds.rasterband(i + 1)
            .map_err(e)?
            .set_color_interpretation(ci)
            .map_err(e)?;
    }
    Ok(ds)
}

fn warp(
    job: &ChunkJob,
    inputs: &[(usize, Opened)],
    settings: &WriterSettings,
) -> Result<Dataset, GdalCallError> {
    let dst = make_target(job)?;
    if !inputs.is_empty() && inputs.iter().all(|(_, o)| o.on_grid) {
        // Dalles already on the grid are copied: resampling would only blur
        // them, and the warper transforms every pixel even for "near"
        // (measured: a third of the ingest's CPU time).
        for (_, o) in inputs {
            copy_into(&dst, job, o.dataset())?;
        }
        return Ok(dst);
    }
    let resampling = match job.resampling {
        Some(r) => r,
        None if job.tier > 0 => "average",
        None => settings.resampling.as_str(),
    };
    // No INIT_DEST: with several sources it makes each source's pass wipe
    // the seams of the previous one (measured: gaps at every dalle edge).
    // The MEM target starts zeroed anyway.
    let args: Vec<String> = [
        "-r",
        resampling,
        "-dstalpha",
        "-wm",
        "64",
        "-ovr",
        "AUTO",
        "-q",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let srcs: Vec<&Dataset> = inputs.iter().map(|(_, d)| d.dataset()).collect();
    gdal_ffi::warp_into(&dst, &srcs, &args)?;
    Ok(dst)
}

fn gerr(e: gdal::errors::GdalError) -> GdalCallError {
    GdalCallError(e.to_string())
}

/// Copies an on-grid source into the chunk: a window read, no resampling.
/// Later sources win where they are valid, as with the warper.
fn copy_into(dst: &Dataset, job: &ChunkJob, src: &Dataset) -> Result<(), GdalCallError> {
    let gt = src.geo_transform().map_err(gerr)?;
    let res = job.resolution;
    let sx = ((gt[0] - job.origin.0) / res).round() as i64;
    let sy = ((job.origin.1 - gt[3]) / res).round() as i64;
    let (sw, sh) = src.raster_size();
    let (x0, y0) = (sx.max(0), sy.max(0));
    let x1 = (sx + sw as i64).min(i64::from(job.width));
    let y1 = (sy + sh as i64).min(i64::from(job.height));
    if x0 >= x1 || y0 >= y1 {
        return Ok(());
    }
    let (w, h) = ((x1 - x0) as usize, (y1 - y0) as usize);
    let src_win = ((x0 - sx) as isize, (y0 - sy) as isize);
    let dst_win = (x0 as isize, y0 as isize);
    // The colour bands first, then the validity: GDAL 3.6.2 reading one of
    // our COGs through /vsis3/ returns wrong bytes for some image blocks
    // when the internal mask (interleaved with the image blocks) was read
    // first ("Not a JPEG file", found by tests/interop/test_s3_store.py);
    // in this order the blocks are right, on S3 and on local files alike.
    let mut bands = Vec::with_capacity(3);
    for b in 1..=3 {
        bands.push(
            src.rasterband(b)
                .map_err(gerr)?
                .read_as::<u8>(src_win, (w, h), (w, h), None)
                .map_err(gerr)?,
        );
    }
    // Validity: the alpha band if there is one, else GDAL's mask (nodata,
    // internal mask, or all valid).
    let valid = if src.raster_count() == 4 {
        src.rasterband(4)
            .map_err(gerr)?
            .read_as::<u8>(src_win, (w, h), (w, h), None)
    } else {
        src.rasterband(1)
            .map_err(gerr)?
            .open_mask_band()
            .map_err(gerr)?
            .read_as::<u8>(src_win, (w, h), (w, h), None)
    }
    .map_err(gerr)?;
    let valid = valid.data();
    let all_valid = valid.iter().all(|&v| v != 0);
    for (b, mut data) in (1..=3).zip(bands) {
        let mut band = dst.rasterband(b).map_err(gerr)?;
        if !all_valid {
            let under = band
                .read_as::<u8>(dst_win, (w, h), (w, h), None)
                .map_err(gerr)?;
            for ((d, u), v) in data.data_mut().iter_mut().zip(under.data()).zip(valid) {
                if *v == 0 {
                    *d = *u;
                }
            }
        }
        band.write(dst_win, (w, h), &mut data).map_err(gerr)?;
    }
    let mut alpha_band = dst.rasterband(4).map_err(gerr)?;
    let mut alpha = alpha_band
        .read_as::<u8>(dst_win, (w, h), (w, h), None)
        .map_err(gerr)?;
    for (a, v) in alpha.data_mut().iter_mut().zip(valid) {
        if *v != 0 {
            *a = 255;
        }
    }
    alpha_band.write(dst_win, (w, h), &mut alpha).map_err(gerr)
}

enum Coverage {
    Empty,
    Partial,
    Full,
}

fn coverage(ds: &Dataset) -> Result<Coverage, GdalCallError> {
    let band = ds.rasterband(4).map_err(gerr)?;
    let (w, h) = band.size();
    let buf = band
        .read_as::<u8>((0, 0), (w, h), (w, h), None)
        .map_err(gerr)?;
    let (mut any, mut all) = (false, true);
    for &a in buf.data() {
        any |= a != 0;
        all &= a == 255;
    }
    Ok(match (any, all) {
        (false, _) => Coverage::Empty,
        (true, false) => Coverage::Partial,
        (true, true) => Coverage::Full,
    })
}

fn write_cog(
    ds: &Dataset,
    job: &ChunkJob,
    settings: &WriterSettings,
    full: bool,
) -> Result<Vec<u8>, GdalCallError> {
    let name = format!(
        "/vsimem/geocentre-chunk-{}-{}.tif",
        std::process::id(),
        SEQ.fetch_add(1, Ordering::Relaxed)
    );
    let driver =
        DriverManager::get_driver_by_name("COG").map_err(|e| GdalCallError(e.to_string()))?;
    let options = [
        "COMPRESS=JPEG".to_string(),
        format!("QUALITY={}", settings.jpeg_quality),
        "BLOCKSIZE=256".into(),
        // Exactly hi-lo overviews, even for a clipped chunk: each one is a grid level.
        format!("OVERVIEW_COUNT={}", job.hi - job.lo),
        "OVERVIEW_RESAMPLING=AVERAGE".into(),
        "SPARSE_OK=TRUE".into(),
        "NUM_THREADS=1".into(),
    ];
    let opts: gdal::raster::RasterCreationOptions = options.iter().map(String::as_str).collect();
    // A fully covered chunk needs no mask: writing it from the three colour
    // bands spares the mask and its overviews.
    let rgb;
    let source = if full {
        let args: Vec<String> = ["-of", "VRT", "-b", "1", "-b", "2", "-b", "3"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        rgb = gdal_ffi::translate(ds, "", &args)?;
        &rgb
    } else {
        ds
    };
    let out = source
        .create_copy(&driver, &name, &opts)
        .map_err(|e| GdalCallError(format!("COG writing failed: {e}")))?;
    drop(out);
    gdal_ffi::take_mem_file(&name)
}

/// Builds one chunk. A failing input is isolated (each input is then warped
/// alone), reported, and the chunk is built from the others.
pub fn build(
    job: &ChunkJob,
    inputs: &[Input],
    settings: &WriterSettings,
) -> Result<Built, GdalCallError> {
    // A job made of stored chunks only may read them from the object store
    // while the ingest keeps GDAL off the network; a job with a delivered
    // file never does.
    let stored_only = job
        .inputs
        .iter()
        .all(|&i| inputs.get(i).is_some_and(|inp| inp.stored));
    if stored_only {
        gdal_ffi::reading_own_store(|| build_from(job, inputs, settings))
    } else {
        build_from(job, inputs, settings)
    }
}

fn build_from(
    job: &ChunkJob,
    inputs: &[Input],
    settings: &WriterSettings,
) -> Result<Built, GdalCallError> {
    let mut bad = Vec::new();
    let mut opened = Vec::new();
    for &i in &job.inputs {
        let Some(input) = inputs.get(i) else { continue };
        match open_input(input) {
            Ok(ds) => opened.push((i, ds)),
            Err(e) => bad.push((i, e.0)),
        }
    }
    let ds = match warp(job, &opened, settings) {
        Ok(ds) => ds,
        Err(first) => {
            let mut good = Vec::new();
            for (i, ds) in opened {
                match warp(job, std::slice::from_ref(&(i, ds)), settings) {
                    Ok(_) => good.push(i),
                    Err(e) => bad.push((i, e.0)),
                }
            }
            if bad.is_empty() {
                return Err(first);
            }
            let reopened: Vec<(usize, Opened)> = good
                .iter()
                .filter_map(|&i| {
                    inputs
                        .get(i)
                        .and_then(|inp| open_input(inp).ok())
                        .map(|d| (i, d))
                })
                .collect();
            if reopened.is_empty() {
                return Ok(Built {
                    cog: None,
                    bad_inputs: bad,
                });
            }
            warp(job, &reopened, settings)?
        }
    };
    let full = match coverage(&ds)? {
        Coverage::Empty => {
            return Ok(Built {
                cog: None,
                bad_inputs: bad,
            })
        }
        Coverage::Partial => false,
        Coverage::Full => true,
    };
    let cog = write_cog(&ds, job, settings, full)?;
    Ok(Built {
        cog: Some(cog),
        bad_inputs: bad,
    })
}
