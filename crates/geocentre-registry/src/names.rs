//! The rule every published name follows (orthophoto layers, vector
//! datasets, layer groups): one rule, so that a name in WMS LAYERS is read
//! the same way whatever it names.

/// Letters, digits, '_', '.', '-'; not ending like a vintage (`-2024`).
pub fn valid_layer_name(name: &str) -> bool {
    let ends_like_vintage = name
        .rsplit_once('-')
        .is_some_and(|(_, y)| !y.is_empty() && y.bytes().all(|b| b.is_ascii_digit()));
    name.chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric())
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c))
        && !name.ends_with('-')
        && !ends_like_vintage
        // `{view}-dalles` names a view's dalle index.
        && !name.ends_with("-dalles")
}

/// A layer name without '.': vector datasets and layer groups, whose
/// names `dataset.layer` must not be mistaken for.
pub fn valid_dataset_name(name: &str) -> bool {
    valid_layer_name(name) && !name.contains('.')
}
