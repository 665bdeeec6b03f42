//! The questions `init` asks, in one table.
//!
//! A row holds everything about one question: the flag that answers it and its value's
//! placeholder, what a prompt asks, the default, where the answer lands in the manifest and the
//! rules the schema cannot express. A flag and a prompt read the same row, so a script and a
//! person get the same integration; the shape is ripgrep's `crates/core/flags/defs.rs`.

use serde_json::Value;

use super::answers::{Draft, derive_key};
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
    Auth,
    AuthHeader,
    EndpointUrl,
    Method,
    Policy,
    Body,
    Overview,
    Description,
}

/// A question and everything that answers or checks it.
#[derive(Debug)]
pub struct Question {
    pub field: Field,
    /// The long flag that answers it, with its dashes.
    pub flag: &'static str,
    /// The placeholder for the flag's value, as `--help` and error messages show it.
    pub value_name: &'static str,
    /// What a prompt asks.
    pub prompt: &'static str,
    /// What a prompt offers and `--no-input` takes when no flag answers.
    pub default: DefaultAnswer,
    /// The manifest value the answer becomes, for the embedded schema's verdict on it.
    pub pointer: Option<&'static str>,
    /// The rules the schema cannot express, on the trimmed answer.
    pub check: Check,
}

/// `Ok` carries the value the answer becomes in the manifest, for the schema to judge at the
/// question's pointer, or `None` when nothing is left to judge; `Err` says what is wrong.
pub type Check = fn(&str, &Draft) -> Result<Option<Value>, String>;

#[derive(Debug, Clone, Copy)]
pub enum DefaultAnswer {
    /// Only the user knows: a prompt asks, and without a terminal the answer is missing.
    None,
    /// The same answer for everyone.
    Fixed(&'static str),
    /// Made from the name and the phrase for the events the policy sends; when it does not fit,
    /// the name is what was given, so the name is blamed.
    FromName(fn(name: &str, events: &str) -> String),
}

/// Every question, in the order a person is asked: the authentication before the endpoint,
/// whose check depends on it, and the policy before the texts that describe its events.
pub static QUESTIONS: &[Question] = &[
    Question {
        field: Field::Name,
        flag: "--name",
        value_name: "NAME",
        prompt: "Integration name (as the integrations page shows it)",
        default: DefaultAnswer::None,
        pointer: Some("/name"),
        check: checks::text,
    },
    Question {
        field: Field::Key,
        flag: "--key",
        value_name: "KEY",
        prompt: "Integration key (its directory name)",
        default: DefaultAnswer::FromName(|name, _| derive_key(name)),
        pointer: None,
        check: checks::key,
    },
    Question {
        field: Field::Author,
        flag: "--author",
        value_name: "AUTHOR",
        prompt: "Author (your company)",
        default: DefaultAnswer::None,
        pointer: Some("/author"),
        check: checks::text,
    },
    Question {
        field: Field::Email,
        flag: "--email",
        value_name: "ADDRESS",
        prompt: "Support email",
        default: DefaultAnswer::None,
        pointer: Some("/supportEmail"),
        check: checks::text,
    },
    Question {
        field: Field::Site,
        flag: "--site",
        value_name: "URL",
        prompt: "Website",
        default: DefaultAnswer::None,
        pointer: Some("/links/site"),
        check: checks::text,
    },
    Question {
        field: Field::PrivacyPolicy,
        flag: "--privacy-policy",
        value_name: "URL",
        prompt: "Privacy policy URL",
        default: DefaultAnswer::None,
        pointer: Some("/links/privacyPolicy"),
        check: checks::text,
    },
    Question {
        field: Field::Docs,
        flag: "--docs",
        value_name: "URL",
        prompt: "Documentation URL (optional)",
        // Empty is the answer "no documentation link".
        default: DefaultAnswer::Fixed(""),
        pointer: Some("/links/launchdarklyDocs"),
        check: checks::optional_text,
    },
    Question {
        field: Field::Categories,
        flag: "--category",
        value_name: "CATEGORY",
        prompt: "Categories (one to three; space selects, enter confirms)",
        default: DefaultAnswer::None,
        pointer: Some("/categories"),
        check: checks::categories,
    },
    Question {
        field: Field::Auth,
        flag: "--auth",
        value_name: "STYLE",
        prompt: "Authentication",
        default: DefaultAnswer::Fixed(Auth::Bearer.as_str()),
        pointer: None,
        check: checks::choice,
    },
    Question {
        field: Field::AuthHeader,
        flag: "--auth-header",
        value_name: "NAME",
        prompt: "Header that carries the API key",
        default: DefaultAnswer::Fixed("X-API-Key"),
        pointer: Some("/capabilities/auditLogEventsHook/endpoint/headers/1/name"),
        check: checks::auth_header,
    },
    Question {
        field: Field::EndpointUrl,
        flag: "--endpoint-url",
        value_name: "URL",
        prompt: "Endpoint URL",
        default: DefaultAnswer::None,
        pointer: Some("/capabilities/auditLogEventsHook/endpoint/url"),
        check: checks::endpoint_url,
    },
    Question {
        field: Field::Method,
        flag: "--method",
        value_name: "METHOD",
        prompt: "HTTP method",
        default: DefaultAnswer::Fixed(Method::Post.as_str()),
        pointer: None,
        check: checks::choice,
    },
    Question {
        field: Field::Policy,
        flag: "--policy",
        value_name: "PRESET",
        prompt: "Events to send by default",
        default: DefaultAnswer::Fixed(PolicyPreset::ProductionFlags.as_str()),
        pointer: None,
        check: checks::choice,
    },
    Question {
        field: Field::Body,
        flag: "--body",
        value_name: "FORMAT",
        prompt: "Body format",
        default: DefaultAnswer::Fixed(BodyFormat::Json.as_str()),
        pointer: None,
        check: checks::choice,
    },
    Question {
        field: Field::Overview,
        flag: "--overview",
        value_name: "TEXT",
        prompt: "Overview (one sentence, ends with a period)",
        default: DefaultAnswer::FromName(|name, events| {
            format!("Send LaunchDarkly {events} to {name}.")
        }),
        pointer: Some("/overview"),
        check: checks::overview,
    },
    Question {
        field: Field::Description,
        flag: "--description",
        value_name: "TEXT",
        prompt: "Description (two or three sentences, one line)",
        default: DefaultAnswer::FromName(|name, events| {
            format!(
                "Send LaunchDarkly {events} to {name} as they happen, so your team sees who changed what, where and why next to the rest of its work."
            )
        }),
        pointer: Some("/description"),
        check: checks::text,
    },
];

impl Field {
    /// In the order a person is asked: the table's.
    pub const ALL: &'static [Field] = &fields_of::<{ QUESTIONS.len() }>(QUESTIONS);

    /// Its row in [`QUESTIONS`]; a test makes sure every field has exactly one, so the
    /// accessors' fallbacks are never taken.
    pub fn question(self) -> Option<&'static Question> {
        QUESTIONS.iter().find(|question| question.field == self)
    }

    /// The flag that answers it.
    pub fn flag(self) -> &'static str {
        self.question().map_or("", |question| question.flag)
    }

    /// The flag with a placeholder for its value, as an error message lists it.
    pub(crate) fn usage(self) -> String {
        self.question().map_or_else(String::new, |question| {
            format!("{} {}", question.flag, question.value_name)
        })
    }

    /// The question a prompt asks.
    pub fn prompt(self) -> &'static str {
        self.question().map_or("", |question| question.prompt)
    }

    /// Whether its default is made from the name.
    pub(crate) fn default_from_name(self) -> bool {
        self.question()
            .is_some_and(|question| matches!(question.default, DefaultAnswer::FromName(_)))
    }
}

/// The fields of `questions`, in order.
// Evaluated when the crate builds (it makes a constant): an index out of range fails the build
// and can never panic a run.
#[allow(clippy::indexing_slicing)]
const fn fields_of<const N: usize>(questions: &[Question]) -> [Field; N] {
    let mut fields = [Field::Name; N];
    let mut at = 0;
    while at < N {
        fields[at] = questions[at].field;
        at += 1;
    }
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every field, listed apart from the table. The match has no wildcard arm, so a new field
    /// does not build until it is listed here too.
    fn every_field() -> Vec<Field> {
        let every = [
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
        for field in every {
            match field {
                Field::Name
                | Field::Key
                | Field::Author
                | Field::Email
                | Field::Site
                | Field::PrivacyPolicy
                | Field::Docs
                | Field::Categories
                | Field::Auth
                | Field::AuthHeader
                | Field::EndpointUrl
                | Field::Method
                | Field::Policy
                | Field::Body
                | Field::Overview
                | Field::Description => {}
            }
        }
        every.to_vec()
    }

    #[test]
    fn every_field_has_exactly_one_row() {
        let every = every_field();
        for field in &every {
            let rows = QUESTIONS.iter().filter(|q| q.field == *field).count();
            assert_eq!(rows, 1, "{field:?} has {rows} rows");
        }
        assert_eq!(QUESTIONS.len(), every.len());
        let table: Vec<Field> = QUESTIONS.iter().map(|q| q.field).collect();
        assert_eq!(Field::ALL, table.as_slice());
    }

    #[test]
    fn flags_are_long_and_distinct() {
        for question in QUESTIONS {
            assert!(question.flag.starts_with("--"), "{}", question.flag);
            let same = QUESTIONS.iter().filter(|q| q.flag == question.flag).count();
            assert_eq!(same, 1, "{} answers {same} questions", question.flag);
        }
    }

    #[test]
    fn fixed_defaults_pass_their_own_check() {
        let mut draft = Draft::default();
        for question in QUESTIONS {
            if let DefaultAnswer::Fixed(text) = question.default {
                draft
                    .set(question.field, text)
                    .unwrap_or_else(|e| panic!("{}'s default `{text}`: {e}", question.flag));
            }
        }
    }
}
