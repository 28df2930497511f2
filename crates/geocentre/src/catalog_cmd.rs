//! `geocentre catalog …`: the metadata catalog's stored records. `import`
//! loads ISO 19139 and Dublin Core records (one per file, or several in a
//! CSW response or transaction) in one transaction: every file is read and
//! checked first, and a file that fails names itself and the reason with
//! nothing stored.

use crate::out::outln;
use crate::Env;
use anyhow::{bail, Context};
use clap::Subcommand;
use geocentre_catalog::import::{self, Format};
use geocentre_registry::{RecordFormat, StoredRecord};
use std::path::PathBuf;

#[derive(Subcommand)]
pub enum CatalogCommand {
    /// Load metadata records: ISO 19139 (gmd:MD_Metadata) or Dublin Core
    /// (csw:Record) files, or CSW responses holding them. A record of the
    /// same identifier is replaced.
    Import {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Print the outcome as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Remove stored records by identifier.
    Remove {
        #[arg(required = true)]
        ids: Vec<String>,
    },
}

pub async fn run(env: &Env, cmd: CatalogCommand) -> anyhow::Result<u8> {
    match cmd {
        CatalogCommand::Import { files, json } => {
            let mut records: Vec<StoredRecord> = Vec::new();
            for f in &files {
                let meta = std::fs::metadata(f).with_context(|| format!("{}", f.display()))?;
                if meta.len() > import::MAX_BYTES as u64 {
                    bail!(
                        "{}: {} bytes, more than the {} a record file may hold",
                        f.display(),
                        meta.len(),
                        import::MAX_BYTES
                    );
                }
                let text = std::fs::read_to_string(f)
                    .with_context(|| format!("{}: not a UTF-8 text file", f.display()))?;
                let parsed =
                    import::parse(&text).map_err(|e| anyhow::anyhow!("{}: {e}", f.display()))?;
                for p in parsed {
                    if records.iter().any(|r| r.id == p.record.id) {
                        bail!("{}: record {} is given twice", f.display(), p.record.id);
                    }
                    let summary = serde_json::to_string(&p.record)?;
                    records.push(StoredRecord {
                        id: p.record.id.clone(),
                        source: "import".into(),
                        format: match p.format {
                            Format::Iso19139 => RecordFormat::Iso19139,
                            Format::DublinCore => RecordFormat::DublinCore,
                        },
                        document: p.document,
                        summary,
                        modified: p.record.modified.clone(),
                        revision: 0,
                    });
                }
            }
            let outcome = env.registry.put_records(&records).await?;
            if json {
                outln!("{}", serde_json::to_string(&outcome)?);
            } else {
                outln!(
                    "{} records read: {} added, {} updated, {} unchanged",
                    records.len(),
                    outcome.added,
                    outcome.updated,
                    outcome.unchanged
                );
            }
            Ok(0)
        }
        CatalogCommand::Remove { ids } => {
            let n = env.registry.remove_records(&ids).await?;
            outln!("{n} records removed");
            Ok(if n == ids.len() { 0 } else { 1 })
        }
    }
}
