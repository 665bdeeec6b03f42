//! `receive --save DIR`: each request as its own file, `DIR/NNNN.request.json`, for a later
//! replay that resends it byte for byte. README describes the format.

use std::path::{Path, PathBuf};

use base64::Engine as _;

/// The format's version, written as `ldhookRequest`.
pub const FORMAT_VERSION: u32 = 1;

/// One received request as saved: headers unmasked and in the order received.
pub(crate) struct Saved<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub headers: &'a [(String, String)],
    pub body: &'a [u8],
}

/// The file's JSON text.
pub(crate) fn to_json(request: &Saved<'_>) -> String {
    let headers: Vec<serde_json::Value> = request
        .headers
        .iter()
        .map(|(name, value)| serde_json::json!({ "name": name, "value": value }))
        .collect();
    let mut object = serde_json::Map::new();
    object.insert("ldhookRequest".into(), FORMAT_VERSION.into());
    object.insert("method".into(), request.method.into());
    object.insert("path".into(), request.path.into());
    object.insert("headers".into(), headers.into());
    object.insert(
        "bodyBase64".into(),
        base64::engine::general_purpose::STANDARD
            .encode(request.body)
            .into(),
    );
    if let Ok(text) = std::str::from_utf8(request.body) {
        object.insert("bodyText".into(), text.into());
    }
    let mut text =
        serde_json::to_string_pretty(&serde_json::Value::Object(object)).unwrap_or_default();
    text.push('\n');
    text
}

/// Numbers files from `next` on, skipping names an earlier run left in the directory.
pub(crate) struct Saver {
    dir: PathBuf,
    next: u32,
}

impl Saver {
    pub(crate) fn new(dir: &Path) -> std::io::Result<Saver> {
        std::fs::create_dir_all(dir)?;
        Ok(Saver {
            dir: dir.to_path_buf(),
            next: 1,
        })
    }

    /// Writes `request` under the first free number; returns its path.
    pub(crate) fn save(&mut self, request: &Saved<'_>) -> std::io::Result<PathBuf> {
        let text = to_json(request);
        loop {
            let path = self.dir.join(format!("{:04}.request.json", self.next));
            self.next = self.next.checked_add(1).ok_or_else(|| {
                std::io::Error::other("no sequence number left for another request file")
            })?;
            match crate::atomic::create_new(&path, text.as_bytes(), 0o600) {
                Ok(()) => return Ok(path),
                Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(error) => return Err(error),
            }
        }
    }
}
