//! GDAL reads our bucket through `/vsis3/` (path-specific settings that
//! [`BlobStore::s3`] installs), also inside an ingest's network lock-down
//! (`geocentre_gdal::forbid_network`), and there only: on the thread and
//! for the objects that `reading_own_store` / `open_own_object` admit.
//! Everything else stays refused. Its own test binary: the lock-down is
//! process-wide.

mod common;

use bytes::Bytes;
use common::S3Server;
use gdal::Dataset;
use object_store::ObjectStoreExt;

/// A small GeoTIFF, made by GDAL in memory.
fn geotiff() -> Bytes {
    gdal::DriverManager::register_all();
    let mem = gdal::DriverManager::get_driver_by_name("MEM").unwrap();
    let mut ds = mem.create_with_band_type::<u8, _>("", 64, 48, 3).unwrap();
    ds.set_geo_transform(&[600_000.0, 0.2, 0.0, 6_700_000.0, 0.0, -0.2])
        .unwrap();
    for b in 1..=3 {
        let mut band = ds.rasterband(b).unwrap();
        let mut buf = gdal::raster::Buffer::new((64, 48), vec![(b * 60) as u8; 64 * 48]);
        band.write((0, 0), (64, 48), &mut buf).unwrap();
    }
    let gtiff = gdal::DriverManager::get_driver_by_name("GTiff").unwrap();
    let out = ds
        .create_copy(&gtiff, "/vsimem/s3-gdal-test.tif", &Default::default())
        .unwrap();
    drop(out);
    Bytes::from(geocentre_gdal::take_mem_file("/vsimem/s3-gdal-test.tif").unwrap())
}

fn opens(path: &str) -> bool {
    Dataset::open(path).is_ok()
}

/// The mean of band 1, read through GDAL (pixels come over the network).
fn band1(path: &str) -> Option<f64> {
    let ds = Dataset::open(path).ok()?;
    let band = ds.rasterband(1).ok()?;
    let buf = band.read_as::<u8>((0, 0), (64, 48), (64, 48), None).ok()?;
    Some(buf.data().iter().map(|&v| f64::from(v)).sum::<f64>() / (64.0 * 48.0))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn vsis3_reads_our_bucket_and_nothing_else_under_the_lock_down() {
    let server = S3Server::start("gdal", 18700);
    geocentre_gdal::init(64);
    let store = server.store("geocentre-gdal-test", "pre/fix", 16);
    let tif = geotiff();
    store.put("chunks/a.tif", tif.clone()).await.unwrap();
    let ours = store.gdal_path("chunks/a.tif");
    assert_eq!(ours, "/vsis3/geocentre-gdal-test/pre/fix/chunks/a.tif");
    // An object of another bucket on the same server, put without
    // BlobStore::s3: GDAL has no settings (no credentials) for it.
    let other_target = server.target("geocentre-gdal-other", "", 16);
    let other_client = other_target.client().unwrap();
    other_client
        .put(
            &object_store::path::Path::from("x.tif"),
            object_store::PutPayload::from_bytes(tif.clone()),
        )
        .await
        .unwrap();

    // Unrestricted (the server, `gc`): our objects read directly.
    let (ok, mean) = tokio::task::spawn_blocking({
        let ours = ours.clone();
        move || (opens(&ours), band1(&ours))
    })
    .await
    .unwrap();
    assert!(ok, "GDAL cannot open {ours}");
    assert_eq!(mean, Some(60.0));

    let port = server.port;
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let trap = listener.local_addr().unwrap().port();
    let checks = tokio::task::spawn_blocking(move || {
        // GDAL caches what it read; every check below must go to the network.
        let fresh = geocentre_gdal::clear_network_cache;
        geocentre_gdal::forbid_network();
        let mut out = Vec::new();
        fresh();
        out.push(("ours, outside the scope", opens(&ours)));
        fresh();
        out.push((
            "ours, in the scope but not admitted by name",
            geocentre_gdal::reading_own_store(|| opens(&ours)),
        ));
        fresh();
        let admitted = geocentre_gdal::reading_own_store(|| {
            let ds = geocentre_gdal::open_own_object(&ours, || Dataset::open(&ours));
            // Pixels are read after the open, still inside the scope.
            ds.ok().and_then(|ds| {
                let band = ds.rasterband(2).ok()?;
                let buf = band.read_as::<u8>((0, 0), (64, 48), (64, 48), None).ok()?;
                Some(buf.data()[0])
            })
        });
        let other = "/vsis3/geocentre-gdal-other/x.tif";
        fresh();
        out.push((
            "another bucket, admitted by name",
            geocentre_gdal::reading_own_store(|| {
                geocentre_gdal::open_own_object(other, || opens(other))
            }),
        ));
        // The same object of ours by URL, in the scope: /vsicurl/ stays shut.
        let url =
            format!("/vsicurl/http://127.0.0.1:{port}/geocentre-gdal-test/pre/fix/chunks/a.tif");
        fresh();
        out.push((
            "our object by /vsicurl/, admitted by name",
            geocentre_gdal::reading_own_store(|| {
                geocentre_gdal::open_own_object(&url, || opens(&url))
            }),
        ));
        // Names that only look like ours.
        for sneaky in [
            "/vsis3/geocentre-gdal-test/pre/fix/../../geocentre-gdal-other/x.tif",
            "/vsis3/geocentre-gdal-test/pre/fixed/x.tif",
            "/vsis3/geocentre-gdal-test/pre/fix/chunks/a.tif?x=1",
        ] {
            assert!(!geocentre_gdal::is_own_object(sneaky), "{sneaky}");
        }
        // A URL to a listener: nothing connects, in the scope or out of it.
        let trap_url = format!("/vsicurl/http://127.0.0.1:{trap}/x.tif");
        fresh();
        let _ = geocentre_gdal::reading_own_store(|| {
            geocentre_gdal::open_own_object(&trap_url, || opens(&trap_url))
        });
        let _ = opens(&trap_url);
        // And after the scope, the thread is locked down again.
        fresh();
        out.push(("ours, after the scope", opens(&ours)));
        (out, admitted)
    })
    .await
    .unwrap();
    let (refused, admitted) = checks;
    assert_eq!(admitted, Some(120), "our object, admitted in the scope");
    for (what, opened) in refused {
        assert!(!opened, "{what}: GDAL opened it under the lock-down");
    }
    std::thread::sleep(std::time::Duration::from_millis(200));
    match listener.accept() {
        Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
        other => panic!("a connection reached the listener: {other:?}"),
    }
}
