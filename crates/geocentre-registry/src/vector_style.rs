//! Styles of vector layers: one per layer, replaced atomically, published
//! with the registry generation like any other change.

use crate::db::{Registry, RegistryError};
use sqlx::Row;

/// A layer's style as stored: the text format and its source.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredStyle {
    /// What WMS STYLES= names.
    pub name: String,
    /// `toml` or `json`.
    pub format: String,
    pub body: String,
    /// The file it was read from (`sld:` before an imported SLD).
    pub source: String,
    pub updated_at: String,
}

impl Registry {
    /// Stores the style of `dataset.layer` (a published layer), replacing
    /// any, in one transaction that also publishes it.
    pub async fn set_vector_style(
        &self,
        dataset: &str,
        layer: &str,
        style: &StoredStyle,
    ) -> Result<(), RegistryError> {
        let mut tx = self.begin_write().await?;
        let found: Option<i64> = sqlx::query_scalar(
            "SELECT 1 FROM vector_datasets d JOIN vector_layers l ON l.ingest_id = d.current_ingest
             WHERE d.name = $1 AND l.name = $2",
        )
        .bind(dataset)
        .bind(layer)
        .fetch_optional(&mut *tx)
        .await?;
        if found.is_none() {
            return Err(RegistryError::Invalid(format!(
                "no published layer '{layer}' in dataset '{dataset}' (see `geocentre vector list`)"
            )));
        }
        sqlx::query(
            "INSERT INTO vector_styles (dataset, layer, name, format, body, source)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT(dataset, layer) DO UPDATE SET name = excluded.name,
                 format = excluded.format, body = excluded.body, source = excluded.source,
                 updated_at = $7",
        )
        .bind(dataset)
        .bind(layer)
        .bind(&style.name)
        .bind(&style.format)
        .bind(&style.body)
        .bind(&style.source)
        .bind(crate::db::now_iso())
        .execute(&mut *tx)
        .await?;
        crate::db::bump_generation(&mut tx).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Removes the style of `dataset.layer` (it then draws with the default
    /// one). False when it had none.
    pub async fn reset_vector_style(
        &self,
        dataset: &str,
        layer: &str,
    ) -> Result<bool, RegistryError> {
        let mut tx = self.begin_write().await?;
        let n = sqlx::query("DELETE FROM vector_styles WHERE dataset = $1 AND layer = $2")
            .bind(dataset)
            .bind(layer)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if n > 0 {
            crate::db::bump_generation(&mut tx).await?;
        }
        tx.commit().await?;
        Ok(n > 0)
    }

    /// Every stored style: (dataset, layer, style).
    pub async fn vector_styles(&self) -> Result<Vec<(String, String, StoredStyle)>, RegistryError> {
        vector_styles_in(&mut *self.pool.acquire().await?).await
    }
}

/// Every stored style, read on `conn` (the snapshot's read transaction).
pub(crate) async fn vector_styles_in(
    conn: &mut sqlx::AnyConnection,
) -> Result<Vec<(String, String, StoredStyle)>, RegistryError> {
    let rows = sqlx::query(
        "SELECT dataset, layer, name, format, body, source, updated_at FROM vector_styles
         ORDER BY dataset, layer",
    )
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok((
                r.try_get("dataset")?,
                r.try_get("layer")?,
                StoredStyle {
                    name: r.try_get("name")?,
                    format: r.try_get("format")?,
                    body: r.try_get("body")?,
                    source: r.try_get("source")?,
                    updated_at: r.try_get("updated_at")?,
                },
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vector::{FieldDef, VectorLayerRecord};

    fn layer(name: &str) -> VectorLayerRecord {
        VectorLayerRecord {
            name: name.into(),
            title: name.into(),
            table_name: name.into(),
            geometry_type: "MultiPolygon".into(),
            srid: 2154,
            has_z: false,
            feature_count: 1,
            bbox: [0.0, 0.0, 1.0, 1.0],
            bbox_wgs84: [0.0, 0.0, 1.0, 1.0],
            fields: vec![FieldDef {
                name: "nom".into(),
                kind: "String".into(),
                title: None,
            }],
            source: "communes.geojson".into(),
            file: "vector/admin/g1/f0.gpkg".into(),
            postgis: None,
            sha256: None,
            size: None,
        }
    }

    #[tokio::test]
    async fn a_style_is_published_replaced_and_removed_with_the_generation() {
        let dir = std::env::temp_dir().join(format!(
            "geocentre-style-test-{}-{:?}",
            std::process::id(),
            std::time::SystemTime::now()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        for location in crate::test_support::both_catalogs(&dir).await {
            let cat = Registry::connect(&location, crate::Migrate::Apply)
                .await
                .unwrap();
            style_lifecycle(&cat).await;
        }
        let _ = std::fs::remove_dir_all(&dir);
    }

    async fn style_lifecycle(cat: &Registry) {
        let id = cat.begin_vector_ingest("admin", None).await.unwrap();
        cat.publish_vector_ingest(
            id,
            "vector/admin/g1",
            &[layer("communes")],
            &serde_json::json!({}),
        )
        .await
        .unwrap();
        let style = |name: &str| StoredStyle {
            name: name.into(),
            format: "toml".into(),
            body: "[[rule]]\nfill = \"#ff0000\"".into(),
            source: "s.toml".into(),
            updated_at: String::new(),
        };
        let g0 = cat.generation().await.unwrap();
        cat.set_vector_style("admin", "communes", &style("a"))
            .await
            .unwrap();
        cat.set_vector_style("admin", "communes", &style("b"))
            .await
            .unwrap();
        assert_eq!(cat.generation().await.unwrap(), g0 + 2);
        let snap = cat.load_snapshot().await.unwrap();
        let d = crate::authz::resolve_vector(
            &snap,
            &geocentre_core::Principal::Anonymous,
            "admin",
            "communes",
        )
        .unwrap();
        assert_eq!(
            d.dataset.style("communes").map(|s| s.name.as_str()),
            Some("b")
        );
        // Only published layers take a style.
        assert!(cat
            .set_vector_style("admin", "nope", &style("c"))
            .await
            .is_err());
        assert!(cat.reset_vector_style("admin", "communes").await.unwrap());
        assert!(!cat.reset_vector_style("admin", "communes").await.unwrap());
        let snap = cat.load_snapshot().await.unwrap();
        let d = crate::authz::resolve_vector(
            &snap,
            &geocentre_core::Principal::Anonymous,
            "admin",
            "communes",
        )
        .unwrap();
        assert!(d.dataset.style("communes").is_none());
    }
}
