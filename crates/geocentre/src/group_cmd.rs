//! `geocentre group …`: named layer groups, which the WMS draws as one
//! layer (docs/configuration.md). The registry checks a group against what
//! is published and stores it in one transaction.

use crate::out::outln;
use crate::Env;
use anyhow::bail;
use clap::Subcommand;
use geocentre_registry::{GroupMember, LayerGroup};

#[derive(Subcommand)]
pub enum GroupCommand {
    /// Define (or replace whole) a group: its layers in drawing order, the
    /// first at the bottom, each as LAYER or LAYER:STYLE; LAYER as WMS
    /// LAYERS names it (ortho-hr, ortho-hr-2021, admin.communes, admin).
    Set {
        /// What WMS LAYERS= names (letters, digits, '_' and '-').
        name: String,
        /// Shown in the capabilities and the viewer.
        #[arg(long)]
        title: String,
        #[arg(long = "abstract")]
        abstract_: Option<String>,
        /// The layers, bottom first; STYLE a stored style's name (default:
        /// the layer's own).
        #[arg(required = true, value_name = "LAYER[:STYLE]")]
        layers: Vec<String>,
    },
    /// List the groups and their layers.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Remove a group (its layers are untouched).
    Remove { name: String },
}

/// `LAYER` or `LAYER:STYLE` (layer names hold no ':').
fn member(arg: &str) -> anyhow::Result<GroupMember> {
    let (layer, style) = match arg.split_once(':') {
        Some((l, s)) => (l.trim(), Some(s.trim())),
        None => (arg.trim(), None),
    };
    if layer.is_empty() {
        bail!("'{arg}': no layer name before ':'");
    }
    if style.is_some_and(|s| s.is_empty() || s.contains(':')) {
        bail!("'{arg}': give LAYER or LAYER:STYLE");
    }
    Ok(GroupMember {
        layer: layer.to_string(),
        style: style.map(str::to_string),
    })
}

pub async fn run(env: &Env, cmd: GroupCommand) -> anyhow::Result<u8> {
    match cmd {
        GroupCommand::Set {
            name,
            title,
            abstract_,
            layers,
        } => {
            let members = layers
                .iter()
                .map(|a| member(a))
                .collect::<anyhow::Result<Vec<_>>>()?;
            let n = members.len();
            env.registry
                .set_layer_group(&LayerGroup {
                    name: name.clone(),
                    title,
                    abstract_: abstract_.unwrap_or_default(),
                    members,
                    updated_at: String::new(),
                })
                .await?;
            outln!("groupe « {name} » enregistré ({n} couche(s))");
            Ok(0)
        }
        GroupCommand::List { json } => {
            let groups = env.registry.layer_groups().await?;
            if json {
                outln!("{}", serde_json::to_string_pretty(&groups)?);
                return Ok(0);
            }
            if groups.is_empty() {
                outln!("Aucun groupe de couches.");
            }
            for g in groups {
                outln!("{} — {}", g.name, g.title);
                for (i, m) in g.members.iter().enumerate() {
                    outln!(
                        "  {}. {}{}",
                        i + 1,
                        m.layer,
                        m.style
                            .as_deref()
                            .map(|s| format!(" (style {s})"))
                            .unwrap_or_default()
                    );
                }
            }
            Ok(0)
        }
        GroupCommand::Remove { name } => {
            if !env.registry.remove_layer_group(&name).await? {
                bail!("group '{name}': no such group (see `geocentre group list`)");
            }
            outln!("groupe « {name} » retiré");
            Ok(0)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_are_layer_or_layer_colon_style() {
        assert_eq!(member("admin.communes").unwrap().style, None);
        let m = member("admin.communes:noms").unwrap();
        assert_eq!(
            (m.layer.as_str(), m.style.as_deref()),
            ("admin.communes", Some("noms"))
        );
        for bad in [":x", "a:", "a:b:c"] {
            assert!(member(bad).unwrap_err().to_string().contains(bad), "{bad}");
        }
    }
}
