//! Named layer groups: a name WMS `LAYERS=` accepts that draws its members
//! in order, each with an optional style (GeoServer's layer groups,
//! MapServer's GROUP). One level only: a member is a layer, never a group.
//!
//! The registry checks a group against what is published when it is set, in
//! the transaction that stores it; servers read groups from the snapshot
//! and resolve every member through [`crate::authz`], as if the caller had
//! listed it, so a group never widens what a caller may read.

use crate::db::{Registry, RegistryError};
use crate::snapshot::Snapshot;
use serde::Serialize;
use sqlx::Row;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// Most members a group may hold.
pub const MAX_MEMBERS: usize = 64;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LayerGroup {
    pub name: String,
    pub title: String,
    #[serde(rename = "abstract")]
    pub abstract_: String,
    /// Bottom first, as LAYERS lists them.
    pub members: Vec<GroupMember>,
    pub updated_at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupMember {
    /// The name WMS gives the layer: `ortho-hr`, `ortho-hr-2021`,
    /// `ortho-hr-dalles`, `admin.communes`, `admin`.
    pub layer: String,
    /// `None`: the layer's own style.
    pub style: Option<String>,
}

impl Snapshot {
    /// The group named `name`. Its members are names, not layers: resolve
    /// them through [`crate::authz`].
    pub fn group(&self, name: &str) -> Option<&Arc<LayerGroup>> {
        self.groups.get(name)
    }

    /// Every group, by name.
    pub fn groups(&self) -> impl Iterator<Item = &Arc<LayerGroup>> {
        self.groups.values()
    }
}

/// What is published, as member names resolve against it.
#[derive(Default)]
struct Known {
    /// Orthophoto layers with a published vintage.
    ortho: HashSet<String>,
    /// Every orthophoto layer name, published or not (names a group may
    /// not take).
    ortho_names: HashSet<String>,
    vintages: HashSet<(String, i64)>,
    /// Dataset → its layers that have a geometry (the WMS draws only those).
    datasets: HashMap<String, Vec<String>>,
    dataset_names: HashSet<String>,
    /// (dataset, layer) → the stored style's name.
    styles: HashMap<(String, String), String>,
    /// Group → its members.
    groups: HashMap<String, Vec<String>>,
}

/// What a member name designates.
enum Resolved {
    Ortho,
    /// (dataset, layer) of each layer drawn.
    Vector(Vec<(String, String)>),
}

impl Known {
    async fn load(tx: &mut sqlx::AnyConnection) -> Result<Known, RegistryError> {
        let mut k = Known::default();
        for (name,) in sqlx::query_as::<_, (String,)>("SELECT name FROM ortho_layers")
            .fetch_all(&mut *tx)
            .await?
        {
            k.ortho_names.insert(name);
        }
        let rows: Vec<(String, i64)> = sqlx::query_as(
            "SELECT v.layer, v.vintage FROM ortho_vintages v JOIN ortho_ingests i ON i.id = v.ingest_id
             WHERE i.state = 'published'",
        )
        .fetch_all(&mut *tx)
        .await?;
        for (layer, vintage) in rows {
            k.ortho.insert(layer.clone());
            k.vintages.insert((layer, vintage));
        }
        for (name,) in sqlx::query_as::<_, (String,)>("SELECT name FROM vector_datasets")
            .fetch_all(&mut *tx)
            .await?
        {
            k.dataset_names.insert(name);
        }
        let rows: Vec<(String, String)> = sqlx::query_as(
            "SELECT d.name, l.name FROM vector_datasets d
             JOIN vector_ingests i ON i.id = d.current_ingest AND i.state = 'published'
             JOIN vector_layers l ON l.ingest_id = i.id
             WHERE l.srid > 0 ORDER BY d.name, l.name",
        )
        .fetch_all(&mut *tx)
        .await?;
        for (dataset, layer) in rows {
            k.datasets.entry(dataset).or_default().push(layer);
        }
        let rows: Vec<(String, String, String)> =
            sqlx::query_as("SELECT dataset, layer, name FROM vector_styles")
                .fetch_all(&mut *tx)
                .await?;
        for (d, l, s) in rows {
            k.styles.insert((d, l), s);
        }
        let rows: Vec<(String, String)> = sqlx::query_as(
            "SELECT g.name, m.layer FROM layer_groups g
             JOIN layer_group_members m ON m.group_name = g.name",
        )
        .fetch_all(&mut *tx)
        .await?;
        for (g, m) in rows {
            k.groups.entry(g).or_default().push(m);
        }
        Ok(k)
    }

    /// Mirrors the WMS: an orthophoto view or its dalle index first, then a
    /// vector layer or dataset.
    fn resolve(&self, name: &str) -> Option<Resolved> {
        let base = name.strip_suffix("-dalles").unwrap_or(name);
        let vintage = base
            .rsplit_once('-')
            .and_then(|(l, y)| Some((l.to_string(), y.parse::<i64>().ok()?)));
        if self.ortho.contains(base) || vintage.is_some_and(|v| self.vintages.contains(&v)) {
            return Some(Resolved::Ortho);
        }
        let (dataset, layer) = match name.split_once('.') {
            Some((d, l)) => (d, Some(l)),
            None => (name, None),
        };
        let layers = self.datasets.get(dataset)?;
        let picked: Vec<(String, String)> = layers
            .iter()
            .filter(|l| layer.is_none_or(|want| want == l.as_str()))
            .map(|l| (dataset.to_string(), l.clone()))
            .collect();
        (!picked.is_empty()).then_some(Resolved::Vector(picked))
    }

    fn check_name(&self, name: &str) -> Result<(), RegistryError> {
        let invalid = |why: String| Err(RegistryError::Invalid(format!("group '{name}': {why}")));
        if !crate::valid_dataset_name(name) {
            return invalid(
                "a name is made of letters, digits, '_' and '-' (64 at most), and does not end \
                 in '-', '-' and digits, or '-dalles'"
                    .into(),
            );
        }
        if self.ortho_names.contains(name) {
            return invalid(format!(
                "the name is taken by the orthophoto layer '{name}'"
            ));
        }
        if self.dataset_names.contains(name) {
            return invalid(format!("the name is taken by the vector dataset '{name}'"));
        }
        if let Some((g, _)) = self
            .groups
            .iter()
            .find(|(g, ms)| *g != name && ms.iter().any(|m| m == name))
        {
            return invalid(format!(
                "the name is a member of group '{g}', and groups do not nest"
            ));
        }
        Ok(())
    }

    fn check_member(&self, group: &str, m: &GroupMember) -> Result<(), RegistryError> {
        let invalid = |why: String| {
            Err(RegistryError::Invalid(format!(
                "group '{group}', member '{}': {why}",
                m.layer
            )))
        };
        if m.layer == group || self.groups.contains_key(&m.layer) {
            return invalid(
                "it is a group, and groups do not nest (list its layers instead)".into(),
            );
        }
        match self.resolve(&m.layer) {
            None => invalid(
                "no such published layer (see `geocentre ortho list`, `geocentre vector list`)"
                    .into(),
            ),
            Some(Resolved::Ortho) => match &m.style {
                Some(s) => invalid(format!(
                    "style '{s}': orthophoto layers and dalle indexes have only the default style"
                )),
                None => Ok(()),
            },
            Some(Resolved::Vector(layers)) => {
                let Some(want) = &m.style else {
                    return Ok(());
                };
                for (d, l) in layers {
                    let stored = self.styles.get(&(d.clone(), l.clone()));
                    if stored != Some(want) {
                        return invalid(format!(
                            "layer '{d}.{l}' has no style '{want}' (styles: default{})",
                            stored.map(|s| format!(", {s}")).unwrap_or_default()
                        ));
                    }
                }
                Ok(())
            }
        }
    }
}

/// `default` and an empty style both mean the layer's own.
fn normalized(m: &GroupMember) -> GroupMember {
    GroupMember {
        layer: m.layer.trim().to_string(),
        style: m
            .style
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty() && *s != "default")
            .map(str::to_string),
    }
}

impl Registry {
    /// Stores group `g`, replacing any of that name, after checking its
    /// name and every member against what is published, in one transaction
    /// that also publishes it.
    pub async fn set_layer_group(&self, g: &LayerGroup) -> Result<(), RegistryError> {
        let members: Vec<GroupMember> = g.members.iter().map(normalized).collect();
        if members.is_empty() || members.len() > MAX_MEMBERS {
            return Err(RegistryError::Invalid(format!(
                "group '{}': give 1 to {MAX_MEMBERS} layers",
                g.name
            )));
        }
        if g.title.trim().is_empty() {
            return Err(RegistryError::Invalid(format!(
                "group '{}': the title is empty",
                g.name
            )));
        }
        let mut tx = self.begin_write().await?;
        let known = Known::load(&mut tx).await?;
        known.check_name(&g.name)?;
        for m in &members {
            known.check_member(&g.name, m)?;
        }
        sqlx::query(
            "INSERT INTO layer_groups (name, title, abstract) VALUES ($1, $2, $3)
             ON CONFLICT(name) DO UPDATE SET title = excluded.title, abstract = excluded.abstract,
                 updated_at = $4",
        )
        .bind(&g.name)
        .bind(g.title.trim())
        .bind(g.abstract_.trim())
        .bind(crate::db::now_iso())
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM layer_group_members WHERE group_name = $1")
            .bind(&g.name)
            .execute(&mut *tx)
            .await?;
        for (i, m) in members.iter().enumerate() {
            sqlx::query(
                "INSERT INTO layer_group_members (group_name, position, layer, style)
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(&g.name)
            .bind(i as i64)
            .bind(&m.layer)
            .bind(&m.style)
            .execute(&mut *tx)
            .await?;
        }
        crate::db::bump_generation(&mut tx).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Removes group `name`. False when there was none.
    pub async fn remove_layer_group(&self, name: &str) -> Result<bool, RegistryError> {
        let mut tx = self.begin_write().await?;
        let n = sqlx::query("DELETE FROM layer_groups WHERE name = $1")
            .bind(name)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if n > 0 {
            crate::db::bump_generation(&mut tx).await?;
        }
        tx.commit().await?;
        Ok(n > 0)
    }

    /// Every group, by name, members in drawing order.
    pub async fn layer_groups(&self) -> Result<Vec<LayerGroup>, RegistryError> {
        let mut tx = self.begin_read().await?;
        let groups = layer_groups_in(&mut tx).await?;
        tx.commit().await?;
        Ok(groups)
    }
}

/// Every group, read on `tx` (the snapshot's read transaction).
pub(crate) async fn layer_groups_in(
    tx: &mut sqlx::AnyConnection,
) -> Result<Vec<LayerGroup>, RegistryError> {
    let rows =
        sqlx::query("SELECT name, title, abstract, updated_at FROM layer_groups ORDER BY name")
            .fetch_all(&mut *tx)
            .await?;
    let mut groups = Vec::with_capacity(rows.len());
    for r in rows {
        let name: String = r.try_get("name")?;
        let members: Vec<(String, Option<String>)> = sqlx::query_as(
            "SELECT layer, style FROM layer_group_members WHERE group_name = $1
             ORDER BY position",
        )
        .bind(&name)
        .fetch_all(&mut *tx)
        .await?;
        groups.push(LayerGroup {
            name,
            title: r.try_get("title")?,
            abstract_: r.try_get("abstract")?,
            members: members
                .into_iter()
                .map(|(layer, style)| GroupMember { layer, style })
                .collect(),
            updated_at: r.try_get("updated_at")?,
        });
    }
    Ok(groups)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vector::{FieldDef, VectorLayerRecord};
    use crate::vector_style::StoredStyle;

    fn layer(name: &str, srid: i64) -> VectorLayerRecord {
        VectorLayerRecord {
            name: name.into(),
            title: name.into(),
            table_name: name.into(),
            geometry_type: "MultiPolygon".into(),
            srid,
            has_z: false,
            feature_count: 1,
            bbox: [0.0, 0.0, 1.0, 1.0],
            bbox_wgs84: [0.0, 0.0, 1.0, 1.0],
            fields: vec![FieldDef {
                name: "nom".into(),
                kind: "String".into(),
                title: None,
            }],
            source: "f.geojson".into(),
            file: "vector/admin/g1/f0.gpkg".into(),
            postgis: None,
            sha256: None,
            size: None,
        }
    }

    async fn registry(location: &geocentre_core::config::CatalogLocation) -> Registry {
        let cat = Registry::connect(location, crate::Migrate::Apply)
            .await
            .unwrap();
        let id = cat.begin_vector_ingest("admin", None).await.unwrap();
        cat.publish_vector_ingest(
            id,
            "vector/admin/g1",
            &[layer("communes", 2154), layer("table", 0)],
            &serde_json::json!({}),
        )
        .await
        .unwrap();
        // A published orthophoto vintage, as an ingest leaves it.
        sqlx::query("INSERT INTO ortho_layers (name, title) VALUES ('ortho-hr', 'Ortho')")
            .execute(&cat.pool)
            .await
            .unwrap();
        sqlx::query(
            "INSERT INTO ortho_ingests (id, layer, vintage, state, params_key, tms, chunk_log2,
                 native_level, tiers, bbox)
             VALUES (7, 'ortho-hr', 2021, 'published', 'k', 'LAMB93_5cm_EPSG', 4,
                 20, '[[16, 20]]', '[0, 0, 1, 1]')",
        )
        .execute(&cat.pool)
        .await
        .unwrap();
        sqlx::query(
            "INSERT INTO ortho_vintages (layer, vintage, ingest_id) VALUES ('ortho-hr', 2021, 7)",
        )
        .execute(&cat.pool)
        .await
        .unwrap();
        cat
    }

    fn group(name: &str, members: &[(&str, Option<&str>)]) -> LayerGroup {
        LayerGroup {
            name: name.into(),
            title: "Plan".into(),
            abstract_: String::new(),
            members: members
                .iter()
                .map(|(l, s)| GroupMember {
                    layer: l.to_string(),
                    style: s.map(str::to_string),
                })
                .collect(),
            updated_at: String::new(),
        }
    }

    fn refused(e: Result<(), RegistryError>, what: &str) {
        match e {
            Err(RegistryError::Invalid(m)) => assert!(m.contains(what), "{m}"),
            other => panic!("expected a refusal naming {what}: {other:?}"),
        }
    }

    #[tokio::test]
    async fn a_group_is_checked_replaced_published_and_removed() {
        let dir = std::env::temp_dir().join(format!(
            "geocentre-group-test-{}-{:?}",
            std::process::id(),
            std::time::SystemTime::now()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        for location in crate::test_support::both_catalogs(&dir).await {
            group_lifecycle(&registry(&location).await).await;
        }
        let _ = std::fs::remove_dir_all(&dir);
    }

    async fn group_lifecycle(cat: &Registry) {
        let g0 = cat.generation().await.unwrap();
        let plan = group(
            "plan",
            &[
                ("ortho-hr", None),
                ("ortho-hr-2021-dalles", Some("default")),
                ("admin.communes", None),
            ],
        );
        cat.set_layer_group(&plan).await.unwrap();
        let stored = cat.layer_groups().await.unwrap();
        assert_eq!(stored.len(), 1);
        assert_eq!(stored[0].members[1].style, None, "default is the own style");
        // Replaced whole: one member left, in the same order.
        cat.set_layer_group(&group("plan", &[("admin", None)]))
            .await
            .unwrap();
        let snap = cat.load_snapshot().await.unwrap();
        let got = snap.group("plan").unwrap();
        assert_eq!(got.members.len(), 1);
        assert_eq!(got.members[0].layer, "admin");
        assert_eq!(cat.generation().await.unwrap(), g0 + 2);

        refused(
            cat.set_layer_group(&group("x", &[("admin.nope", None)]))
                .await,
            "member 'admin.nope': no such published layer",
        );
        refused(
            cat.set_layer_group(&group("x", &[("admin.table", None)]))
                .await,
            "no such published layer",
        );
        refused(
            cat.set_layer_group(&group("x", &[("ortho-hr-2019", None)]))
                .await,
            "no such published layer",
        );
        refused(
            cat.set_layer_group(&group("x", &[("plan", None)])).await,
            "groups do not nest",
        );
        refused(
            cat.set_layer_group(&group("ortho-hr", &[("admin", None)]))
                .await,
            "taken by the orthophoto layer",
        );
        refused(
            cat.set_layer_group(&group("admin", &[("ortho-hr", None)]))
                .await,
            "taken by the vector dataset",
        );
        for bad in ["a.b", "x-2024", "x-dalles", "", "é"] {
            refused(
                cat.set_layer_group(&group(bad, &[("admin", None)])).await,
                "a name is made of",
            );
        }
        refused(
            cat.set_layer_group(&group("x", &[("ortho-hr", Some("fancy"))]))
                .await,
            "only the default style",
        );
        refused(
            cat.set_layer_group(&group("x", &[("admin.communes", Some("fancy"))]))
                .await,
            "has no style 'fancy' (styles: default)",
        );
        refused(cat.set_layer_group(&group("x", &[])).await, "give 1 to");
        cat.set_vector_style(
            "admin",
            "communes",
            &StoredStyle {
                name: "fancy".into(),
                format: "toml".into(),
                body: String::new(),
                source: "s.toml".into(),
                updated_at: String::new(),
            },
        )
        .await
        .unwrap();
        cat.set_layer_group(&group("x", &[("admin.communes", Some("fancy"))]))
            .await
            .unwrap();
        // Nothing refused was stored.
        let names: Vec<String> = cat
            .layer_groups()
            .await
            .unwrap()
            .into_iter()
            .map(|g| g.name)
            .collect();
        assert_eq!(names, ["plan", "x"]);

        assert!(cat.remove_layer_group("plan").await.unwrap());
        assert!(!cat.remove_layer_group("plan").await.unwrap());
        let snap = cat.load_snapshot().await.unwrap();
        assert!(snap.group("plan").is_none());
        assert_eq!(snap.groups().count(), 1);
    }
}
