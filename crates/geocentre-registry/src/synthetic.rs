//! A SYNTHETIC full-region catalog, for measuring the registry, the
//! snapshot, memory and lookups at the size of a region's 5 cm
//! orthophotography (issue 15; docs/benchmarks.md): a grid of producer
//! dalles over the region's extent, one published ingest per vintage with
//! its chunk rows, and the layer's composite with one row per chunk.
//!
//! No pixel is made: every composite row of a tier points at one real chunk
//! COG the caller gives (copied from a real ingest), so that tiles and maps
//! are served from real files while the catalog has the region's size. The
//! vintages' own chunk rows name files that do not exist; only the
//! composite (the bare layer name) is served. Everything it writes says
//! "synthetic" in its title, producer and dalle names.

use crate::db::{Registry, RegistryError};

/// LAMB93_5cm_EPSG: origin and level-0 resolution (docs/architecture.md).
const ORIGIN_X: f64 = 0.0;
const ORIGIN_Y: f64 = 12_000_000.0;
const RES0: f64 = 209_715.2;

#[derive(Debug, Clone)]
pub struct SynthSpec {
    pub layer: String,
    /// Lower-left corner of the grid of dalles, Lambert-93.
    pub origin: [f64; 2],
    /// Dalle side in metres (PCRS dalles: 200 m).
    pub dalle_m: f64,
    pub cols: u32,
    pub rows: u32,
    /// Pixel size of the dalles, metres.
    pub pixel_m: f64,
    pub vintages: Vec<i32>,
    pub native_level: u8,
    /// (lo, hi) of each tier, finest first.
    pub tiers: Vec<(u8, u8)>,
    /// For each tier, the real chunk object every composite row of that
    /// tier points at, with its pixel size.
    pub chunk_files: Vec<(String, u32, u32)>,
}

#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct SynthReport {
    pub dalles: u64,
    pub vintage_chunks: u64,
    pub composite_chunks: u64,
    pub composite_id: i64,
}

/// Rows per INSERT. The same statement text repeats, so both engines
/// reuse its prepared form; longer statements were slower to prepare than
/// the round trips they saved.
const BATCH: usize = 256;

fn chunk_m(lo: u8) -> f64 {
    256.0 * RES0 / f64::from(1u32 << lo)
}

/// The chunks of tier (lo, hi) covering a box, all full-size.
fn chunks(lo: u8, bbox: [f64; 4]) -> Vec<(i64, i64)> {
    let m = chunk_m(lo);
    let c0 = ((bbox[0] - ORIGIN_X) / m).floor() as i64;
    let c1 = ((bbox[2] - ORIGIN_X) / m).ceil() as i64 - 1;
    let r0 = ((ORIGIN_Y - bbox[3]) / m).floor() as i64;
    let r1 = ((ORIGIN_Y - bbox[1]) / m).ceil() as i64 - 1;
    let mut out = Vec::new();
    for cy in r0..=r1 {
        for cx in c0..=c1 {
            out.push((cx, cy));
        }
    }
    out
}

async fn insert_rows(
    tx: &mut sqlx::AnyConnection,
    head: &str,
    width: usize,
    rows: &[Vec<Val>],
) -> Result<(), RegistryError> {
    for batch in rows.chunks(BATCH) {
        let mut sql = String::from(head);
        let mut n = 0;
        for (i, _) in batch.iter().enumerate() {
            sql.push_str(if i == 0 { " VALUES (" } else { ", (" });
            for j in 0..width {
                n += 1;
                if j > 0 {
                    sql.push_str(", ");
                }
                sql.push_str(&format!("${n}"));
            }
            sql.push(')');
        }
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for row in batch {
            for v in row {
                q = match v {
                    Val::I(x) => q.bind(*x),
                    Val::T(s) => q.bind(s.clone()),
                };
            }
        }
        q.execute(&mut *tx).await?;
    }
    Ok(())
}

enum Val {
    I(i64),
    T(String),
}

impl Registry {
    /// Writes the synthetic catalog `spec` describes, published, in one
    /// transaction. `progress` is told the rows written so far.
    pub async fn synthesize_region(
        &self,
        spec: &SynthSpec,
        progress: &dyn Fn(u64),
    ) -> Result<SynthReport, RegistryError> {
        if spec.chunk_files.len() != spec.tiers.len() {
            return Err(RegistryError::Invalid(format!(
                "{} tiers but {} chunk files",
                spec.tiers.len(),
                spec.chunk_files.len()
            )));
        }
        let mut report = SynthReport::default();
        let mut written = 0u64;
        let bbox = [
            spec.origin[0],
            spec.origin[1],
            spec.origin[0] + spec.dalle_m * f64::from(spec.cols),
            spec.origin[1] + spec.dalle_m * f64::from(spec.rows),
        ];
        let tiers_json = serde_json::to_string(&spec.tiers).unwrap_or_default();
        let bbox_json = serde_json::to_string(&bbox).unwrap_or_default();
        let now = crate::db::now_iso();
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO ortho_layers (name, title) VALUES ($1, $2)
             ON CONFLICT(name) DO UPDATE SET title = excluded.title",
        )
        .bind(&spec.layer)
        .bind("Orthophotographie régionale 5 cm — catalogue SYNTHÉTIQUE (mesures, aucune image réelle)")
        .execute(&mut *tx)
        .await?;
        let mut ingests = Vec::new();
        for &vintage in &spec.vintages {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO ortho_ingests (layer, vintage, producer, state, params_key, tms, chunk_log2,
                     native_level, tiers, bbox, report, published_at, acquired)
                 VALUES ($1, $2, $3, 'published', $4, 'LAMB93_5cm_EPSG', $5, $6, $7, $8, '{}', $9, $10)
                 RETURNING id",
            )
            .bind(&spec.layer)
            .bind(i64::from(vintage))
            .bind("geocentre — données SYNTHÉTIQUES")
            .bind(format!("synthetic-{vintage}"))
            .bind(i64::from(spec.tiers[0].1 - spec.tiers[0].0))
            .bind(i64::from(spec.native_level))
            .bind(&tiers_json)
            .bind(&bbox_json)
            .bind(&now)
            .bind(format!("{vintage}-06-15"))
            .fetch_one(&mut *tx)
            .await?;
            ingests.push(id);
            sqlx::query(
                "INSERT INTO ortho_vintages (layer, vintage, ingest_id) VALUES ($1, $2, $3)
                 ON CONFLICT(layer, vintage) DO UPDATE SET ingest_id = excluded.ingest_id",
            )
            .bind(&spec.layer)
            .bind(i64::from(vintage))
            .bind(id)
            .execute(&mut *tx)
            .await?;
            // Dalles, row by row of the grid.
            let mut rows = Vec::with_capacity(BATCH * 4);
            for r in 0..spec.rows {
                for c in 0..spec.cols {
                    let x0 = spec.origin[0] + spec.dalle_m * f64::from(c);
                    let y0 = spec.origin[1] + spec.dalle_m * f64::from(r);
                    // PCRS dalles are named by their corner in metres.
                    let name = format!(
                        "SYNTH_{vintage}_{}_{}_5cm.jp2",
                        x0.round() as i64,
                        (y0 + spec.dalle_m).round() as i64
                    );
                    let scan = format!(
                        r#"{{"footprint_l93":[{x0},{y0},{},{}],"pixel_size":[{},{}],"format":"JPEG2000","synthetic":true}}"#,
                        x0 + spec.dalle_m,
                        y0 + spec.dalle_m,
                        spec.pixel_m,
                        -spec.pixel_m
                    );
                    rows.push(vec![
                        Val::I(id),
                        Val::T(format!("synthetic/{vintage}/{name}")),
                        Val::T("ingested".into()),
                        Val::T(scan),
                    ]);
                    if rows.len() >= BATCH * 4 {
                        insert_rows(
                            &mut tx,
                            "INSERT INTO ortho_sources (ingest_id, path, status, scan)",
                            4,
                            &rows,
                        )
                        .await?;
                        written += rows.len() as u64;
                        report.dalles += rows.len() as u64;
                        rows.clear();
                        progress(written);
                    }
                }
            }
            insert_rows(
                &mut tx,
                "INSERT INTO ortho_sources (ingest_id, path, status, scan)",
                4,
                &rows,
            )
            .await?;
            written += rows.len() as u64;
            report.dalles += rows.len() as u64;
            // Its chunks, every tier, full-size.
            let mut rows = Vec::new();
            for (t, &(lo, hi)) in spec.tiers.iter().enumerate() {
                let side = 256i64 << (hi - lo);
                for (cx, cy) in chunks(lo, bbox) {
                    rows.push(vec![
                        Val::I(id),
                        Val::I(t as i64),
                        Val::I(cx),
                        Val::I(cy),
                        Val::I(side),
                        Val::I(side),
                        Val::I(0),
                    ]);
                }
            }
            report.vintage_chunks += rows.len() as u64;
            for part in rows.chunks(BATCH * 8) {
                insert_rows(
                    &mut tx,
                    "INSERT INTO ortho_chunks (ingest_id, tier, cx, cy, width, height, bytes)",
                    7,
                    part,
                )
                .await?;
                written += part.len() as u64;
                progress(written);
            }
        }
        // The composite: the last vintage painted over the first, every
        // chunk pointing at the real object of its tier.
        let sources = serde_json::to_string(&ingests).unwrap_or_default();
        let composite_id: i64 = sqlx::query_scalar(
            "INSERT INTO ortho_composites (layer, state, trigger_ingest, based_on, carry_over, native_level,
                 tiers, bbox, sources, report, published_at)
             VALUES ($1, 'published', $2, NULL, 0, $3, $4, $5, $6, '{}', $7) RETURNING id",
        )
        .bind(&spec.layer)
        .bind(*ingests.last().unwrap_or(&0))
        .bind(i64::from(spec.native_level))
        .bind(&tiers_json)
        .bind(&bbox_json)
        .bind(&sources)
        .bind(&now)
        .fetch_one(&mut *tx)
        .await?;
        let mut rows = Vec::new();
        for (t, &(lo, _)) in spec.tiers.iter().enumerate() {
            let (path, w, h) = &spec.chunk_files[t];
            for (cx, cy) in chunks(lo, bbox) {
                rows.push(vec![
                    Val::I(composite_id),
                    Val::I(t as i64),
                    Val::I(cx),
                    Val::I(cy),
                    Val::I(i64::from(*w)),
                    Val::I(i64::from(*h)),
                    Val::T(path.clone()),
                ]);
            }
        }
        report.composite_chunks = rows.len() as u64;
        for part in rows.chunks(BATCH * 8) {
            insert_rows(
                &mut tx,
                "INSERT INTO ortho_composite_chunks (composite_id, tier, cx, cy, width, height, path)",
                7,
                part,
            )
            .await?;
            written += part.len() as u64;
            progress(written);
        }
        sqlx::query("UPDATE ortho_layers SET composite_id = $1 WHERE name = $2")
            .bind(composite_id)
            .bind(&spec.layer)
            .execute(&mut *tx)
            .await?;
        crate::db::bump_generation(&mut tx).await?;
        tx.commit().await?;
        report.composite_id = composite_id;
        Ok(report)
    }
}
