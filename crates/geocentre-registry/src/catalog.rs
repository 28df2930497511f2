//! Stored catalog records: imported (and later harvested) metadata kept as
//! the document that came, with the JSON summary the catalog searches.
//! The records of published data are not stored: they are built from the
//! snapshot. Writes are transactions that bump the generation, so every
//! replica sees a load whole or not at all.

use crate::db::{Registry, RegistryError};
use crate::snapshot::Snapshot;
use sqlx::Row;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Most records one call stores (one transaction).
pub const MAX_BATCH: usize = 10_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordFormat {
    /// `gmd:MD_Metadata`.
    Iso19139,
    /// `csw:Record` (Dublin Core).
    DublinCore,
}

impl RecordFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            RecordFormat::Iso19139 => "iso19139",
            RecordFormat::DublinCore => "dc",
        }
    }
    pub fn parse(s: &str) -> Option<RecordFormat> {
        match s {
            "iso19139" => Some(RecordFormat::Iso19139),
            "dc" => Some(RecordFormat::DublinCore),
            _ => None,
        }
    }
}

/// A record as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredRecord {
    pub id: String,
    /// `import`, or a harvest source's name.
    pub source: String,
    pub format: RecordFormat,
    /// The document as it came.
    pub document: String,
    /// JSON of the searchable fields (geocentre-catalog's `Record`).
    pub summary: String,
    pub modified: String,
    pub revision: i64,
}

/// What a store call did.
#[derive(Debug, Default, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PutOutcome {
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
}

impl Snapshot {
    /// Every stored record, by identifier. Reach them through
    /// [`crate::authz::visible_records`].
    pub(crate) fn stored_records(&self) -> &BTreeMap<String, Arc<StoredRecord>> {
        &self.records
    }
}

impl Registry {
    /// Stores `records` (replacing those of the same identifier) in one
    /// transaction: all are in the catalog after it, or none.
    pub async fn put_records(&self, records: &[StoredRecord]) -> Result<PutOutcome, RegistryError> {
        if records.len() > MAX_BATCH {
            return Err(RegistryError::Invalid(format!(
                "{} records in one load: at most {MAX_BATCH}",
                records.len()
            )));
        }
        let mut out = PutOutcome::default();
        let mut tx = self.begin_write().await?;
        for r in records {
            if r.id.trim().is_empty() {
                return Err(RegistryError::Invalid("a record has no identifier".into()));
            }
            let old: Option<(String, String, String)> = sqlx::query_as(
                "SELECT document, source, summary FROM catalog_records WHERE id = $1",
            )
            .bind(&r.id)
            .fetch_optional(&mut *tx)
            .await?;
            let same = old.as_ref().is_some_and(|(doc, source, summary)| {
                *doc == r.document && *source == r.source && *summary == r.summary
            });
            if same {
                out.unchanged += 1;
                continue;
            }
            sqlx::query(
                "INSERT INTO catalog_records (id, source, format, document, summary, modified)
                 VALUES ($1, $2, $3, $4, $5, $6)
                 ON CONFLICT(id) DO UPDATE SET source = excluded.source, format = excluded.format,
                     document = excluded.document, summary = excluded.summary,
                     modified = excluded.modified, revision = catalog_records.revision + 1,
                     updated_at = $7",
            )
            .bind(&r.id)
            .bind(&r.source)
            .bind(r.format.as_str())
            .bind(&r.document)
            .bind(&r.summary)
            .bind(&r.modified)
            .bind(crate::db::now_iso())
            .execute(&mut *tx)
            .await?;
            if old.is_some() {
                out.updated += 1;
            } else {
                out.added += 1;
            }
        }
        if out.added + out.updated > 0 {
            crate::db::bump_generation(&mut tx).await?;
        }
        tx.commit().await?;
        Ok(out)
    }

    /// Removes the records of these identifiers; the number removed.
    pub async fn remove_records(&self, ids: &[String]) -> Result<usize, RegistryError> {
        let mut tx = self.begin_write().await?;
        let mut n = 0;
        for id in ids {
            n += sqlx::query("DELETE FROM catalog_records WHERE id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?
                .rows_affected() as usize;
        }
        if n > 0 {
            crate::db::bump_generation(&mut tx).await?;
        }
        tx.commit().await?;
        Ok(n)
    }
}

/// The stored records, read on `tx` (the snapshot's read transaction),
/// taking unchanged ones (same revision) from `previous`.
pub(crate) async fn records_in(
    tx: &mut sqlx::AnyConnection,
    previous: &Snapshot,
) -> Result<BTreeMap<String, Arc<StoredRecord>>, RegistryError> {
    let revisions: Vec<(String, i64)> = sqlx::query_as("SELECT id, revision FROM catalog_records")
        .fetch_all(&mut *tx)
        .await?;
    let mut out = BTreeMap::new();
    let mut changed = false;
    for (id, revision) in revisions {
        match previous.records.get(&id).filter(|r| r.revision == revision) {
            Some(r) => {
                out.insert(id, r.clone());
            }
            None => changed = true,
        }
    }
    if !changed {
        return Ok(out);
    }
    // Read whole only when something changed; rows already kept are
    // skipped (one query: a load of 10⁵ records is one round trip).
    let rows = sqlx::query(
        "SELECT id, source, format, document, summary, modified, revision FROM catalog_records",
    )
    .fetch_all(&mut *tx)
    .await?;
    for r in rows {
        let id: String = r.try_get("id")?;
        if out.contains_key(&id) {
            continue;
        }
        let format: String = r.try_get("format")?;
        let record = StoredRecord {
            format: RecordFormat::parse(&format).ok_or_else(|| {
                RegistryError::Corrupt(format!("catalog record {id}: format {format}"))
            })?,
            source: r.try_get("source")?,
            document: r.try_get("document")?,
            summary: r.try_get("summary")?,
            modified: r.try_get("modified")?,
            revision: r.try_get("revision")?,
            id: id.clone(),
        };
        out.insert(id, Arc::new(record));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(id: &str, document: &str) -> StoredRecord {
        StoredRecord {
            id: id.into(),
            source: "import".into(),
            format: RecordFormat::DublinCore,
            document: document.into(),
            summary: format!("{{\"id\":\"{id}\"}}"),
            modified: "2025-01-01".into(),
            revision: 0,
        }
    }

    #[tokio::test]
    async fn records_are_added_replaced_kept_and_removed_on_both_backends() {
        let dir = std::env::temp_dir().join(format!(
            "geocentre-catalog-test-{}-{:?}",
            std::process::id(),
            std::time::SystemTime::now()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        for location in crate::test_support::both_catalogs(&dir).await {
            let cat = Registry::connect(&location, crate::Migrate::Apply)
                .await
                .unwrap();
            let g0 = cat.generation().await.unwrap();
            let out = cat
                .put_records(&[record("a", "<a/>"), record("b", "<b/>")])
                .await
                .unwrap();
            assert_eq!((out.added, out.updated, out.unchanged), (2, 0, 0));
            let s1 = cat.load_snapshot().await.unwrap();
            assert!(s1.generation() > g0);
            assert_eq!(s1.stored_records()["a"].revision, 1);
            // The same again changes nothing, not even the generation.
            let out = cat.put_records(&[record("a", "<a/>")]).await.unwrap();
            assert_eq!((out.added, out.updated, out.unchanged), (0, 0, 1));
            assert_eq!(cat.generation().await.unwrap(), s1.generation());
            // A new document replaces the record and moves its revision;
            // the snapshot keeps the unchanged one as it was.
            let out = cat.put_records(&[record("a", "<a2/>")]).await.unwrap();
            assert_eq!((out.added, out.updated, out.unchanged), (0, 1, 0));
            let s2 = cat.load_snapshot_after(&s1).await.unwrap();
            assert_eq!(s2.stored_records()["a"].revision, 2);
            assert_eq!(s2.stored_records()["a"].document, "<a2/>");
            assert!(Arc::ptr_eq(
                &s1.stored_records()["b"],
                &s2.stored_records()["b"]
            ));
            assert_eq!(
                cat.remove_records(&["b".into(), "zz".into()])
                    .await
                    .unwrap(),
                1
            );
            let s3 = cat.load_snapshot_after(&s2).await.unwrap();
            assert_eq!(s3.stored_records().keys().collect::<Vec<_>>(), ["a"]);
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
