//! The answers `init` gets, as flags or prompts give them, and the defaults it fills in.
//!
//! A prompt and a flag answer the same [`Field`], are checked by the same
//! [`check`](super::checks::check), and fall back to the same default, all from the field's row
//! in [`QUESTIONS`](super::questions::QUESTIONS), so a script and a person get the same
//! integration.

use super::checks;
use super::choices::{Auth, BodyFormat, Method, PolicyPreset};
use super::questions::{DefaultAnswer, Field};

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
    let flags: Vec<String> = problems.iter().map(|p| p.field.usage()).collect();
    format!(
        "{}: {}; pass {}",
        Field::Name.flag(),
        what.join("; "),
        flags.join(", ")
    )
}

fn missing_message(fields: &[Field]) -> String {
    let flags: Vec<String> = fields.iter().map(|f| f.usage()).collect();
    format!(
        "{} answer{} missing and there is no terminal to ask on; pass {}",
        fields.len(),
        if fields.len() == 1 { " is" } else { "s are" },
        flags.join(", ")
    )
}

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
    /// what only the user can know, and for what is made from the name before there is one.
    pub fn default_text(&self, field: Field) -> Option<String> {
        match field.question()?.default {
            DefaultAnswer::None => None,
            DefaultAnswer::Fixed(text) => Some(text.to_string()),
            DefaultAnswer::FromName(make) => {
                let name = self.name.as_deref()?;
                Some(make(name, self.policy_or_default()?.events_phrase()))
            }
        }
    }

    /// The policy as answered, or the one its default gives: the texts made from the name
    /// describe its events, whether it is answered yet or not.
    fn policy_or_default(&self) -> Option<PolicyPreset> {
        self.policy
            .or_else(|| self.default_text(Field::Policy)?.parse().ok())
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
                Err(DraftError::Invalid { field, message }) if field.default_from_name() => {
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

    /// The answers, once every question that applies is answered.
    pub fn finish(&self) -> Result<Answers, DraftError> {
        let missing: Vec<Field> = Field::ALL
            .iter()
            .copied()
            .filter(|f| self.applies(*f) && !self.has(*f))
            // The name gives them their defaults, so the name is the one answer to ask for.
            .filter(|f| self.name.is_some() || !f.default_from_name())
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
            method: answered(Field::Method, self.method)?,
            auth: answered(Field::Auth, self.auth)?,
            // Only header auth sends it; with the others it holds the default.
            auth_header: self
                .auth_header
                .clone()
                .or_else(|| self.default_text(Field::AuthHeader))
                .unwrap_or_default(),
            policy: answered(Field::Policy, self.policy)?,
            body: answered(Field::Body, self.body)?,
        })
    }
}

/// A choice that every draft needs, so `finish` has already found it answered.
fn answered<T>(field: Field, choice: Option<T>) -> Result<T, DraftError> {
    choice.ok_or_else(|| DraftError::Missing(vec![field]))
}

/// Categories given as one text: comma-separated.
pub(super) fn split_categories(text: &str) -> Vec<String> {
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
        let Err(DraftError::Missing(fields)) = Draft::default().finish() else {
            panic!("an empty draft is not finished");
        };
        assert!(fields.contains(&Field::Name));
        assert!(
            !fields.iter().any(|f| f.default_from_name()),
            "the name gives them: {fields:?}"
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
