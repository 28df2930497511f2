//! Access levels and the caller identity. The decision itself lives in the
//! registry's `authz` module: the single point through which layers are resolved.

use serde::{Deserialize, Serialize};

/// Who may read a layer. Only `Public` exists in practice for now; the other
/// levels are here so that the authorization point already refuses them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Access {
    #[default]
    Public,
    /// Reserved to authenticated members of the platform.
    Members,
    /// Reserved to the owning organisation.
    Private,
}

impl Access {
    pub fn as_str(self) -> &'static str {
        match self {
            Access::Public => "public",
            Access::Members => "members",
            Access::Private => "private",
        }
    }

    pub fn parse(s: &str) -> Option<Access> {
        match s {
            "public" => Some(Access::Public),
            "members" => Some(Access::Members),
            "private" => Some(Access::Private),
            _ => None,
        }
    }
}

/// The caller of a request. Authentication arrives with a later issue.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Principal {
    #[default]
    Anonymous,
}
