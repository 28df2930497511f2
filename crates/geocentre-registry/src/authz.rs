//! The single authorization point.
//!
//! Layers of a snapshot are reachable only through the functions of this
//! module, and the raster readers take an [`Authorized`] value, which only
//! this module can make. So no request path can reach stored bytes without
//! passing the access check here.

use crate::snapshot::{OrthoLayer, Pyramid, Snapshot, VectorDataset};
use crate::vector::VectorLayerRecord;
use geocentre_core::{Access, Principal};
use std::ops::Deref;
use std::sync::Arc;

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum AuthzError {
    #[error("unknown layer '{0}'")]
    NotFound(String),
    /// Deliberately indistinguishable from NotFound for anonymous callers,
    /// so that private layer names do not leak.
    #[error("layer '{0}' requires authentication")]
    Unauthenticated(String),
}

/// A value the caller has been allowed to read.
#[derive(Debug, Clone)]
pub struct Authorized<T> {
    inner: T,
}

impl<T> Deref for Authorized<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.inner
    }
}

/// One vintage of an orthophoto layer, as addressed by a client.
#[derive(Debug, Clone)]
pub struct OrthoView {
    pub layer: Arc<OrthoLayer>,
    pub pyramid: Arc<Pyramid>,
    /// The identifier the client used: `name` or `name-vintage`.
    pub id: String,
}

fn may_read(principal: &Principal, access: Access) -> bool {
    match (principal, access) {
        (_, Access::Public) => true,
        (Principal::Anonymous, Access::Members | Access::Private) => false,
    }
}

/// Resolves `name` (the composite of every vintage) or `name-YEAR` (that
/// vintage). A layer name may itself contain '-' (`ortho-hr`): an exact
/// layer name wins.
pub fn resolve_ortho(
    snapshot: &Snapshot,
    principal: &Principal,
    id: &str,
) -> Result<Authorized<OrthoView>, AuthzError> {
    let not_found = || AuthzError::NotFound(id.to_string());
    let (layer, pyramid) = if let Some(layer) = snapshot.layers.get(id) {
        (layer, layer.current().ok_or_else(not_found)?)
    } else {
        let (name, year) = id.rsplit_once('-').ok_or_else(not_found)?;
        let year: i32 = year.parse().map_err(|_| not_found())?;
        let layer = snapshot.layers.get(name).ok_or_else(not_found)?;
        (layer, layer.vintages.get(&year).ok_or_else(not_found)?)
    };
    if !may_read(principal, layer.access) {
        return Err(match principal {
            Principal::Anonymous => AuthzError::NotFound(id.to_string()),
        });
    }
    Ok(Authorized {
        inner: OrthoView {
            layer: layer.clone(),
            pyramid: pyramid.clone(),
            id: id.to_string(),
        },
    })
}

/// One layer of a vector dataset, as a client addresses it.
#[derive(Debug, Clone)]
pub struct VectorView {
    pub dataset: Arc<VectorDataset>,
    pub layer: VectorLayerRecord,
}

impl VectorView {
    /// Whether the layer has geometries (a table without any is served by
    /// WFS and OGC API, but neither drawn nor tiled).
    pub fn has_geometry(&self) -> bool {
        self.layer.srid > 0
    }
}

/// Resolves layer `layer` of dataset `dataset`.
pub fn resolve_vector(
    snapshot: &Snapshot,
    principal: &Principal,
    dataset: &str,
    layer: &str,
) -> Result<Authorized<VectorView>, AuthzError> {
    let id = format!("{dataset}.{layer}");
    let d = snapshot
        .vectors
        .get(dataset)
        .filter(|d| may_read(principal, d.access))
        .ok_or_else(|| AuthzError::NotFound(id.clone()))?;
    let l = d
        .layers
        .iter()
        .find(|l| l.name == layer)
        .ok_or(AuthzError::NotFound(id))?;
    Ok(Authorized {
        inner: VectorView {
            dataset: d.clone(),
            layer: l.clone(),
        },
    })
}

/// Every vector layer the principal may read, dataset by dataset.
pub fn visible_vector_layers(
    snapshot: &Snapshot,
    principal: &Principal,
) -> Vec<Authorized<VectorView>> {
    snapshot
        .vectors
        .values()
        .filter(|d| may_read(principal, d.access))
        .flat_map(|d| {
            d.layers.iter().map(|l| Authorized {
                inner: VectorView {
                    dataset: d.clone(),
                    layer: l.clone(),
                },
            })
        })
        .collect()
}

/// Every layer the principal may read, for capabilities and listings.
pub fn visible_ortho_layers(
    snapshot: &Snapshot,
    principal: &Principal,
) -> Vec<Authorized<Arc<OrthoLayer>>> {
    snapshot
        .layers
        .values()
        .filter(|l| may_read(principal, l.access))
        .map(|l| Authorized { inner: l.clone() })
        .collect()
}

/// Every stored catalog record (imported, harvested) the principal may
/// read. Such records describe resources elsewhere and are public; the
/// records of our own data are built from the views above, so they carry
/// their data's access.
pub fn visible_records(
    snapshot: &Snapshot,
    _principal: &Principal,
) -> Vec<Authorized<Arc<crate::catalog::StoredRecord>>> {
    snapshot
        .stored_records()
        .values()
        .map(|r| Authorized { inner: r.clone() })
        .collect()
}

/// The vintage views of a layer the caller already may read.
pub fn vintage_views(layer: &Authorized<Arc<OrthoLayer>>) -> Vec<Authorized<OrthoView>> {
    layer
        .vintages()
        .map(|p| Authorized {
            inner: OrthoView {
                layer: layer.inner.clone(),
                pyramid: p.clone(),
                id: format!("{}-{}", layer.name(), p.vintage()),
            },
        })
        .collect()
}

/// The view named after the layer (its composite) for a caller who
/// already may read the layer.
pub fn current_view(layer: &Authorized<Arc<OrthoLayer>>) -> Option<Authorized<OrthoView>> {
    layer.current().map(|p| Authorized {
        inner: OrthoView {
            layer: layer.inner.clone(),
            pyramid: p.clone(),
            id: layer.name().to_string(),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn snapshot(access: Access) -> Snapshot {
        let pyramid = Arc::new(Pyramid {
            ingest_id: 1,
            vintage: 2024,
            producer: None,
            priority: 0,
            acquired: None,
            native_level: 20,
            tiers: vec![(16, 20)],
            bbox: [0.0; 4],
            chunks: Default::default(),
            published_at: String::new(),
            dalles: Default::default(),
            paint: Vec::new(),
        });
        let mut vintages = BTreeMap::new();
        vintages.insert(2024, pyramid);
        let mut layers = BTreeMap::new();
        layers.insert(
            "ortho".into(),
            Arc::new(OrthoLayer {
                name: "ortho".into(),
                title: "t".into(),
                access,
                resampling: Default::default(),
                vintages,
                composite: None,
            }),
        );
        Snapshot {
            generation: 1,
            layers,
            vectors: BTreeMap::new(),
            groups: BTreeMap::new(),
            records: BTreeMap::new(),
        }
    }

    #[test]
    fn public_layer_resolves_by_name_and_vintage() {
        let s = snapshot(Access::Public);
        let p = Principal::Anonymous;
        assert_eq!(
            resolve_ortho(&s, &p, "ortho").unwrap().pyramid.vintage(),
            2024
        );
        assert_eq!(
            resolve_ortho(&s, &p, "ortho-2024").unwrap().id,
            "ortho-2024"
        );
        assert!(resolve_ortho(&s, &p, "ortho-2023").is_err());
        assert!(resolve_ortho(&s, &p, "other").is_err());
    }

    #[test]
    fn restricted_layers_are_hidden_from_anonymous() {
        for access in [Access::Members, Access::Private] {
            let s = snapshot(access);
            let p = Principal::Anonymous;
            assert_eq!(
                resolve_ortho(&s, &p, "ortho").unwrap_err(),
                AuthzError::NotFound("ortho".into())
            );
            assert!(visible_ortho_layers(&s, &p).is_empty());
        }
    }
}
