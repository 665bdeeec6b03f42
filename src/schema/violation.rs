//! What a schema says is wrong with an instance, independent of the engine that found it: the
//! draft-07 interpreter and the `jsonschema` fallback both produce these, and `findings.rs`
//! alone turns them into diagnostics, so both engines read the same to a person.

use std::borrow::Cow;

use jsonschema::ValidationError;
use jsonschema::error::{TypeKind, ValidationErrorKind as Kind};
use serde_json::Value;

#[derive(Debug, Clone, PartialEq)]
pub(super) struct Violation<'a> {
    /// A JSON pointer into the instance.
    pub instance_path: String,
    pub instance: Cow<'a, Value>,
    pub kind: ViolationKind,
}

/// The kinds `findings.rs` tells apart, with what their messages quote.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum ViolationKind {
    /// A property name failed `propertyNames`; the inner violation's instance is the name.
    PropertyNames(Box<Violation<'static>>),
    AdditionalProperties {
        unexpected: Vec<String>,
    },
    Required {
        property: Value,
    },
    /// The accepted type names, in the order `jsonschema` reports them.
    Type {
        expected: Vec<&'static str>,
    },
    Enum {
        options: Value,
    },
    Const {
        expected: Value,
    },
    Pattern {
        pattern: String,
    },
    Format {
        format: String,
    },
    MinLength {
        limit: u64,
    },
    MaxLength {
        limit: u64,
    },
    MinItems {
        limit: u64,
    },
    MaxItems {
        limit: u64,
    },
    MinProperties {
        limit: u64,
    },
    MaxProperties {
        limit: u64,
    },
    Minimum {
        limit: Value,
    },
    Maximum {
        limit: Value,
    },
    ExclusiveMinimum {
        limit: Value,
    },
    ExclusiveMaximum {
        limit: Value,
    },
    MultipleOf {
        multiple_of: f64,
    },
    UniqueItems,
    /// `count`: how many subschemas the keyword offers.
    AnyOf {
        count: usize,
    },
    OneOfNotValid {
        count: usize,
    },
    OneOfMultipleValid,
    Not,
    FalseSchema,
    Contains,
    Other {
        keyword: String,
    },
}

impl Violation<'_> {
    pub(super) fn into_owned(self) -> Violation<'static> {
        Violation {
            instance_path: self.instance_path,
            instance: Cow::Owned(self.instance.into_owned()),
            kind: self.kind,
        }
    }
}

impl<'a> From<&ValidationError<'a>> for Violation<'a> {
    fn from(error: &ValidationError<'a>) -> Self {
        Violation {
            instance_path: error.instance_path().to_string(),
            instance: error.instance().clone(),
            kind: kind_of(error.kind()),
        }
    }
}

fn kind_of(kind: &Kind) -> ViolationKind {
    use ViolationKind as V;
    match kind {
        Kind::PropertyNames { error } => {
            V::PropertyNames(Box::new(Violation::from(error.as_ref()).into_owned()))
        }
        Kind::AdditionalProperties { unexpected } => V::AdditionalProperties {
            unexpected: unexpected.clone(),
        },
        Kind::Required { property } => V::Required {
            property: property.clone(),
        },
        Kind::Type { kind } => V::Type {
            expected: match kind {
                TypeKind::Single(single) => vec![single.as_str()],
                TypeKind::Multiple(set) => set.iter().map(jsonschema::JsonType::as_str).collect(),
            },
        },
        Kind::Enum { options } => V::Enum {
            options: options.as_ref().clone(),
        },
        Kind::Constant { expected_value } => V::Const {
            expected: expected_value.as_ref().clone(),
        },
        Kind::Pattern { pattern } => V::Pattern {
            pattern: pattern.clone(),
        },
        Kind::Format { format } => V::Format {
            format: format.clone(),
        },
        Kind::MultipleOf { multiple_of } => V::MultipleOf {
            multiple_of: *multiple_of,
        },
        other => simple_kind(other),
    }
}

fn simple_kind(kind: &Kind) -> ViolationKind {
    use ViolationKind as V;
    match kind {
        Kind::MinLength { limit } => V::MinLength { limit: *limit },
        Kind::MaxLength { limit } => V::MaxLength { limit: *limit },
        Kind::MinItems { limit } => V::MinItems { limit: *limit },
        Kind::MaxItems { limit } => V::MaxItems { limit: *limit },
        Kind::MinProperties { limit } => V::MinProperties { limit: *limit },
        Kind::MaxProperties { limit } => V::MaxProperties { limit: *limit },
        Kind::Minimum { limit } => V::Minimum {
            limit: limit.clone(),
        },
        Kind::Maximum { limit } => V::Maximum {
            limit: limit.clone(),
        },
        Kind::ExclusiveMinimum { limit } => V::ExclusiveMinimum {
            limit: limit.clone(),
        },
        Kind::ExclusiveMaximum { limit } => V::ExclusiveMaximum {
            limit: limit.clone(),
        },
        Kind::UniqueItems => V::UniqueItems,
        Kind::AnyOf { context } => V::AnyOf {
            count: context.len(),
        },
        Kind::OneOfNotValid { context } => V::OneOfNotValid {
            count: context.len(),
        },
        Kind::OneOfMultipleValid { .. } => V::OneOfMultipleValid,
        Kind::Not { .. } => V::Not,
        Kind::FalseSchema => V::FalseSchema,
        Kind::Contains => V::Contains,
        other => V::Other {
            keyword: other.keyword().to_string(),
        },
    }
}
