//! What `init` asks, the answers as flags or prompts give them, and the defaults it derives.
//!
//! One list of questions serves both ways of answering: a prompt and a flag read the same
//! [`Field`], are checked by the same [`check`](super::checks::check), and fall back to the same
//! default, so a script and a person get the same integration.

use super::checks;
use super::choices::{Auth, BodyFormat, Method, PolicyPreset};

/// One question `init` asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Name,
    Key,
    Author,
    Email,
    Site,
    PrivacyPolicy,
    Docs,
    Categories,
    Overview,
    Description,
    EndpointUrl,
    Method,
    Auth,
    AuthHeader,
    Policy,
    Body,
}

impl Field {
    /// In the order a person is asked.
    pub const ALL: &'static [Field] = &[
        Field::Name,
        Field::Key,
        Field::Author,
        Field::Email,
        Field::Site,
        Field::PrivacyPolicy,
        Field::Docs,
        Field::Categories,
        Field::Auth,
        Field::AuthHeader,
        Field::EndpointUrl,
        Field::Method,
        Field::Policy,
        Field::Body,
        Field::Overview,
        Field::Description,
    ];

    /// The flag that answers it.
    pub fn flag(self) -> &'static str {
        match self {
            Field::Name => "--name",
            Field::Key => "--key",
            Field::Author => "--author",
            Field::Email => "--email",
            Field::Site => "--site",
            Field::PrivacyPolicy => "--privacy-policy",
            Field::Docs => "--docs",
            Field::Categories => "--category",
            Field::Overview => "--overview",
            Field::Description => "--description",
            Field::EndpointUrl => "--endpoint-url",
            Field::Method => "--method",
            Field::Auth => "--auth",
            Field::AuthHeader => "--auth-header",
            Field::Policy => "--policy",
            Field::Body => "--body",
        }
    }

    /// The flag with a placeholder for its value, as an error message lists it.
    pub fn usage(self) -> &'static str {
        match self {
            Field::Name => "--name NAME",
            Field::Key => "--key KEY",
            Field::Author => "--author AUTHOR",
            Field::Email => "--email ADDRESS",
            Field::Site => "--site URL",
            Field::PrivacyPolicy => "--privacy-policy URL",
            Field::Docs => "--docs URL",
            Field::Categories => "--category CATEGORY",
            Field::Overview => "--overview TEXT",
            Field::Description => "--description TEXT",
            Field::EndpointUrl => "--endpoint-url URL",
            Field::Method => "--method METHOD",
            Field::Auth => "--auth STYLE",
            Field::AuthHeader => "--auth-header NAME",
            Field::Policy => "--policy PRESET",
            Field::Body => "--body FORMAT",
        }
    }

    /// The question a prompt asks.
    pub fn prompt(self) -> &'static str {
        match self {
            Field::Name => "Integration name (as the integrations page shows it)",
            Field::Key => "Integration key (its directory name)",
            Field::Author => "Author (your company)",
            Field::Email => "Support email",
            Field::Site => "Website",
            Field::PrivacyPolicy => "Privacy policy URL",
            Field::Docs => "Documentation URL (optional)",
            Field::Categories => "Categories (one to three; space selects, enter confirms)",
            Field::Overview => "Overview (one sentence, ends with a period)",
            Field::Description => "Description (two or three sentences, one line)",
            Field::EndpointUrl => "Endpoint URL",
            Field::Method => "HTTP method",
            Field::Auth => "Authentication",
            Field::AuthHeader => "Header that carries the API key",
            Field::Policy => "Events to send by default",
            Field::Body => "Body format",
        }
    }

    /// The manifest value the answer becomes, for the schema's verdict on it.
    pub fn pointer(self) -> Option<&'static str> {
        match self {
            Field::Name => Some("/name"),
            Field::Author => Some("/author"),
            Field::Email => Some("/supportEmail"),
            Field::Site => Some("/links/site"),
            Field::PrivacyPolicy => Some("/links/privacyPolicy"),
            Field::Docs => Some("/links/launchdarklyDocs"),
            Field::Categories => Some("/categories"),
            Field::Overview => Some("/overview"),
            Field::Description => Some("/description"),
            Field::EndpointUrl => Some("/capabilities/auditLogEventsHook/endpoint/url"),
            Field::AuthHeader => Some("/capabilities/auditLogEventsHook/endpoint/headers/1/name"),
            Field::Key | Field::Method | Field::Auth | Field::Policy | Field::Body => None,
        }
    }
}

/// Answers as far as they are known: from flags first, then from prompts.
#[derive(Debug, Clone, Default)]
pub struct Draft {
    pub name: Option<String>,
    pub key: Option<String>,
    pub author: Option<String>,
    pub email: Option<String>,
    pub site: Option<String>,
    pub privacy_policy: Option<String>,
    /// `Some("")` is the answer "no documentation link".
    pub docs: Option<String>,
    pub categories: Vec<String>,
    pub overview: Option<String>,
    pub description: Option<String>,
    pub endpoint_url: Option<String>,
    pub method: Option<Method>,
    pub auth: Option<Auth>,
    pub auth_header: Option<String>,
    pub policy: Option<PolicyPreset>,
    pub body: Option<BodyFormat>,
}

/// Every answer, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answers {
    pub name: String,
    pub key: String,
    pub author: String,
    pub email: String,
    pub site: String,
    pub privacy_policy: String,
    pub docs: Option<String>,
    pub categories: Vec<String>,
    pub overview: String,
    pub description: String,
    pub endpoint_url: String,
    pub method: Method,
    pub auth: Auth,
    /// The API key's header, for [`Auth::Header`].
    pub auth_header: String,
    pub policy: PolicyPreset,
    pub body: BodyFormat,
}

/// Why a draft is not yet a set of answers.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DraftError {
    #[error("{}", missing_message(.0))]
    Missing(Vec<Field>),
    #[error("{}: {message}", .field.flag())]
    Invalid { field: Field, message: String },
    /// Defaults made from the name that do not fit: the name is what was given, so the name
    /// is what the message is about.
    #[error("{}", derived_message(.name, .problems))]
    FromName {
        name: String,
        problems: Vec<DerivedProblem>,
    },
}

/// A default made from another answer, and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DerivedProblem {
    pub field: Field,
    pub value: String,
    pub message: String,
}

fn derived_message(name: &str, problems: &[DerivedProblem]) -> String {
    let what: Vec<String> = problems
        .iter()
        .map(|p| match p.field {
            Field::Key if p.value.is_empty() => format!(
                "`{}` gives no key, since it has no ASCII letters or digits",
                name.escape_debug()
            ),
            Field::Key => format!("the key made from it is not usable: {}", p.message),
            field => format!(
                "the {} made from it is not usable: {}",
                field.flag().trim_start_matches('-'),
                p.message
            ),
        })
        .collect();
    let flags: Vec<&str> = problems.iter().map(|p| p.field.usage()).collect();
    format!(
        "{}: {}; pass {}",
        Field::Name.flag(),
        what.join("; "),
        flags.join(", ")
    )
}

fn missing_message(fields: &[Field]) -> String {
    let flags: Vec<&str> = fields.iter().map(|f| f.usage()).collect();
    format!(
        "{} answer{} missing and there is no terminal to ask on; pass {}",
        fields.len(),
        if fields.len() == 1 { " is" } else { "s are" },
        flags.join(", ")
    )
}

pub const DEFAULT_AUTH_HEADER: &str = "X-API-Key";

impl Draft {
    /// Whether the answer to `field` is already there (from a flag, or asked before).
    pub fn has(&self, field: Field) -> bool {
        match field {
            Field::Name => self.name.is_some(),
            Field::Key => self.key.is_some(),
            Field::Author => self.author.is_some(),
            Field::Email => self.email.is_some(),
            Field::Site => self.site.is_some(),
            Field::PrivacyPolicy => self.privacy_policy.is_some(),
            Field::Docs => self.docs.is_some(),
            Field::Categories => !self.categories.is_empty(),
            Field::Overview => self.overview.is_some(),
            Field::Description => self.description.is_some(),
            Field::EndpointUrl => self.endpoint_url.is_some(),
            Field::Method => self.method.is_some(),
            Field::Auth => self.auth.is_some(),
            Field::AuthHeader => self.auth_header.is_some(),
            Field::Policy => self.policy.is_some(),
            Field::Body => self.body.is_some(),
        }
    }

    /// Whether the question makes sense given the answers so far.
    pub fn applies(&self, field: Field) -> bool {
        match field {
            Field::AuthHeader => self.auth == Some(Auth::Header),
            _ => true,
        }
    }

    /// The answer a prompt offers and `--no-input` takes when no flag gives one; `None` for
    /// what only the user can know.
    pub fn default_text(&self, field: Field) -> Option<String> {
        let name = self.name.as_deref();
        match field {
            Field::Key => name.map(derive_key),
            Field::Docs => Some(String::new()),
            Field::Overview => name.map(|name| {
                format!(
                    "Send LaunchDarkly {} to {name}.",
                    self.policy.unwrap_or(PolicyPreset::ProductionFlags).events_phrase()
                )
            }),
            Field::Description => name.map(|name| {
                format!(
                    "Send LaunchDarkly {} to {name} as they happen, so your team sees who changed what, where and why next to the rest of its work.",
                    self.policy.unwrap_or(PolicyPreset::ProductionFlags).events_phrase()
                )
            }),
            Field::AuthHeader => Some(DEFAULT_AUTH_HEADER.to_string()),
            Field::Method => Some(Method::Post.as_str().to_string()),
            Field::Auth => Some(Auth::Bearer.as_str().to_string()),
            Field::Policy => Some(PolicyPreset::ProductionFlags.as_str().to_string()),
            Field::Body => Some(BodyFormat::Json.as_str().to_string()),
            _ => None,
        }
    }

    /// Records an answer given as text, after checking it.
    pub fn set(&mut self, field: Field, text: &str) -> Result<(), DraftError> {
        let invalid = |message: String| DraftError::Invalid { field, message };
        checks::check(field, text, self).map_err(invalid)?;
        let text = text.trim().to_string();
        match field {
            Field::Name => self.name = Some(text),
            Field::Key => self.key = Some(text),
            Field::Author => self.author = Some(text),
            Field::Email => self.email = Some(text),
            Field::Site => self.site = Some(text),
            Field::PrivacyPolicy => self.privacy_policy = Some(text),
            Field::Docs => self.docs = Some(text),
            Field::Categories => self.categories = split_categories(&text),
            Field::Overview => self.overview = Some(text),
            Field::Description => self.description = Some(text),
            Field::EndpointUrl => self.endpoint_url = Some(text),
            Field::AuthHeader => self.auth_header = Some(text),
            Field::Method => self.method = Some(text.parse().map_err(invalid)?),
            Field::Auth => self.auth = Some(text.parse().map_err(invalid)?),
            Field::Policy => self.policy = Some(text.parse().map_err(invalid)?),
            Field::Body => self.body = Some(text.parse().map_err(invalid)?),
        }
        Ok(())
    }

    /// Fills every unanswered question that has a default, checking each default as if it
    /// were typed: a default derived from a long name can be too long itself, and then the
    /// name is blamed, with the flags that would do instead.
    pub fn fill_defaults(&mut self) -> Result<(), DraftError> {
        let mut problems = Vec::new();
        for field in Field::ALL {
            if self.has(*field) || !self.applies(*field) {
                continue;
            }
            let Some(text) = self.default_text(*field) else {
                continue;
            };
            match self.set(*field, &text) {
                Err(DraftError::Invalid { field, message }) if Self::from_name(field) => {
                    problems.push(DerivedProblem {
                        field,
                        value: text,
                        message,
                    });
                }
                other => other?,
            }
        }
        match (problems.is_empty(), &self.name) {
            (false, Some(name)) => Err(DraftError::FromName {
                name: name.clone(),
                problems,
            }),
            _ => Ok(()),
        }
    }

    /// Whether [`default_text`](Self::default_text) makes the field's default from the name.
    fn from_name(field: Field) -> bool {
        matches!(field, Field::Key | Field::Overview | Field::Description)
    }

    /// The answers, once every question that applies is answered.
    pub fn finish(&self) -> Result<Answers, DraftError> {
        let missing: Vec<Field> = Field::ALL
            .iter()
            .copied()
            .filter(|f| self.applies(*f) && !self.has(*f))
            .collect();
        if !missing.is_empty() {
            return Err(DraftError::Missing(missing));
        }
        let text = |value: &Option<String>| value.clone().unwrap_or_default();
        Ok(Answers {
            name: text(&self.name),
            key: text(&self.key),
            author: text(&self.author),
            email: text(&self.email),
            site: text(&self.site),
            privacy_policy: text(&self.privacy_policy),
            docs: self.docs.clone().filter(|d| !d.is_empty()),
            categories: self.categories.clone(),
            overview: text(&self.overview),
            description: text(&self.description),
            endpoint_url: text(&self.endpoint_url),
            method: self.method.unwrap_or(Method::Post),
            auth: self.auth.unwrap_or(Auth::Bearer),
            auth_header: self
                .auth_header
                .clone()
                .unwrap_or_else(|| DEFAULT_AUTH_HEADER.to_string()),
            policy: self.policy.unwrap_or(PolicyPreset::ProductionFlags),
            body: self.body.unwrap_or(BodyFormat::Json),
        })
    }
}

/// Categories given as one text: comma-separated.
pub fn split_categories(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_string)
        .collect()
}

/// A directory name from a display name: lower-case ASCII words joined by hyphens, as the
/// framework's integrations are named (`Acme Ops Cloud` → `acme-ops-cloud`).
pub fn derive_key(name: &str) -> String {
    let mut key = String::new();
    for c in name.chars() {
        let c = fold_accent(c);
        if c.is_ascii_alphanumeric() {
            key.push(c.to_ascii_lowercase());
        } else if !key.is_empty() && !key.ends_with('-') {
            key.push('-');
        }
    }
    key.trim_end_matches('-')
        .chars()
        .take(100)
        .collect::<String>()
        .trim_end_matches('-')
        .to_string()
}

fn fold_accent(c: char) -> char {
    match c {
        'à'..='å' | 'À'..='Å' => 'a',
        'ç' | 'Ç' => 'c',
        'è'..='ë' | 'È'..='Ë' => 'e',
        'ì'..='ï' | 'Ì'..='Ï' => 'i',
        'ñ' | 'Ñ' => 'n',
        'ò'..='ö' | 'ø' | 'Ò'..='Ö' | 'Ø' => 'o',
        'ù'..='ü' | 'Ù'..='Ü' => 'u',
        'ý' | 'ÿ' | 'Ý' => 'y',
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_come_from_names() {
        assert_eq!(derive_key("Acme Ops Cloud"), "acme-ops-cloud");
        assert_eq!(derive_key("  Ünïcorn.io (beta) "), "unicorn-io-beta");
        assert_eq!(derive_key("日本"), "");
    }

    #[test]
    fn missing_answers_name_their_flags() {
        let draft = Draft {
            name: Some("Acme".into()),
            ..Draft::default()
        };
        let Err(DraftError::Missing(fields)) = draft.finish() else {
            panic!("a draft with only a name is not finished");
        };
        assert!(fields.contains(&Field::Email));
        assert!(
            !fields.contains(&Field::AuthHeader),
            "only asked for header auth"
        );
        let message = DraftError::Missing(vec![Field::Email, Field::Site]).to_string();
        assert_eq!(
            message,
            "2 answers are missing and there is no terminal to ask on; pass --email ADDRESS, --site URL"
        );
    }

    fn defaults_for(name: &str) -> DraftError {
        let mut draft = Draft {
            name: Some(name.to_string()),
            ..Draft::default()
        };
        draft.fill_defaults().expect_err("a default does not fit")
    }

    #[test]
    fn defaults_that_do_not_fit_blame_the_name() {
        assert_eq!(
            defaults_for("!!!").to_string(),
            "--name: `!!!` gives no key, since it has no ASCII letters or digits; pass --key KEY"
        );
        assert_eq!(
            defaults_for("Nimbus\nAlerts").to_string(),
            "--name: the overview made from it is not usable: `overview` must be a single line, \
             without line breaks; the description made from it is not usable: `description` must \
             be a single line, without line breaks; pass --overview TEXT, --description TEXT"
        );
        let long = defaults_for(&"N".repeat(100)).to_string();
        assert!(
            long.starts_with("--name: the overview made from it is not usable: `overview` must have at most 100 characters"),
            "{long}"
        );
        assert!(long.ends_with("; pass --overview TEXT"), "{long}");
    }
}
