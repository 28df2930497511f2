//! `geocentre vector style`: stores a layer's style (the documented text
//! format, or an SLD imported into it) after checking it against the
//! layer, or removes it.

use crate::out::outln;
use crate::Env;
use anyhow::{bail, Context};
use clap::{ArgGroup, Args};
use geocentre_carto::style::{self, Style, StyleFormat};
use geocentre_registry::vector_style::StoredStyle;
use std::path::{Path, PathBuf};

#[derive(Args)]
#[command(group(ArgGroup::new("what").required(true).args(["file", "sld", "reset", "show"])))]
pub struct StyleArgs {
    #[arg(long)]
    dataset: String,
    #[arg(long)]
    layer: String,
    /// A style in the text format (docs/styles.md): TOML, or JSON when the
    /// name ends in .json.
    #[arg(long)]
    file: Option<PathBuf>,
    /// An SLD 1.0 / SE 1.1 document, imported into the text format.
    #[arg(long)]
    sld: Option<PathBuf>,
    /// Remove the stored style: the layer draws with the default style of
    /// its geometry type.
    #[arg(long)]
    reset: bool,
    /// Print the stored style.
    #[arg(long)]
    show: bool,
}

fn read(path: &Path) -> anyhow::Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("{}: cannot read", path.display()))
}

/// The style in `path`, what it is stored as, and the import's warnings.
fn load(
    file: Option<&Path>,
    sld: Option<&Path>,
) -> anyhow::Result<(Style, StyleFormat, String, String, Vec<String>)> {
    if let Some(path) = file {
        let text = read(path)?;
        let format = match path.extension().and_then(|e| e.to_str()) {
            Some(e) if e.eq_ignore_ascii_case("json") => StyleFormat::Json,
            _ => StyleFormat::Toml,
        };
        let st =
            style::parse(&text, format).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        return Ok((st, format, text, path.display().to_string(), Vec::new()));
    }
    let Some(path) = sld else {
        bail!("give --file, --sld, --reset or --show");
    };
    let text = read(path)?;
    let imp = geocentre_carto::sld::import(&text)
        .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    let body = serde_json::to_string_pretty(&style::to_json(&imp.style))?;
    Ok((
        imp.style,
        StyleFormat::Json,
        body,
        format!("sld:{}", path.display()),
        imp.warnings,
    ))
}

pub async fn run(env: &Env, a: StyleArgs) -> anyhow::Result<u8> {
    let id = format!("{}.{}", a.dataset, a.layer);
    if a.reset {
        let had = env
            .registry
            .reset_vector_style(&a.dataset, &a.layer)
            .await?;
        outln!(
            "{id} : {}",
            if had {
                "style retiré, la couche reprend le style par défaut"
            } else {
                "aucun style enregistré, rien à retirer"
            }
        );
        return Ok(0);
    }
    let sets = env.registry.vector_datasets().await?;
    let layer = sets
        .iter()
        .filter(|d| d.name == a.dataset)
        .flat_map(|d| &d.layers)
        .find(|l| l.name == a.layer)
        .with_context(|| {
            format!(
                "no published layer '{}' in dataset '{}' (see `geocentre vector list`)",
                a.layer, a.dataset
            )
        })?;
    if a.show {
        let stored = env
            .registry
            .vector_styles()
            .await?
            .into_iter()
            .find(|(d, l, _)| *d == a.dataset && *l == a.layer);
        match stored {
            Some((_, _, s)) => outln!("{}", s.body),
            None => outln!(
                "{}",
                serde_json::to_string_pretty(&style::to_json(&style::default_style(
                    &layer.geometry_type,
                    &layer.title
                )))?
            ),
        }
        return Ok(0);
    }
    let (st, format, body, source, warnings) = load(a.file.as_deref(), a.sld.as_deref())?;
    let what = a
        .file
        .as_deref()
        .or(a.sld.as_deref())
        .unwrap_or(Path::new("?"));
    for w in &warnings {
        eprintln!("warning: {}: {w}", what.display());
    }
    let fields: Vec<&str> = layer.fields.iter().map(|f| f.name.as_str()).collect();
    st.check_properties(&fields)
        .map_err(|e| anyhow::anyhow!("{}: {e}", what.display()))?;
    env.registry
        .set_vector_style(
            &a.dataset,
            &a.layer,
            &StoredStyle {
                name: st.name.clone(),
                format: format.as_str().into(),
                body,
                source,
                updated_at: String::new(),
            },
        )
        .await?;
    outln!(
        "{id} : style « {} » enregistré ({} règle(s){})",
        st.name,
        st.rules.len(),
        if a.sld.is_some() {
            format!(", importé de SLD avec {} avertissement(s)", warnings.len())
        } else {
            String::new()
        }
    );
    Ok(0)
}
