//! Does an integration's `defaultPolicy` deliver an event, and which statement decided.
//!
//! A `defaultPolicy` is a list of LaunchDarkly role-policy statements
//! (`{effect, actions | notActions, resources | notResources}`) that filters which change-history
//! events reach the hook. The evaluation rule, from LaunchDarkly's documentation of role
//! policies: "an explicit deny for a resource+action wins over any allow in the same policy;
//! allowed only if some statement allows and none denies; anything unmatched is denied; statement
//! order is irrelevant."
//!
//! Statement indexes in errors and in [`Decision`] are 0-based, so `statement 1` is the element
//! at `/capabilities/auditLogEventsHook/defaultPolicy/1` of the manifest.

use std::fmt;

use serde_json::{Map, Value};

/// Whether a matching statement lets the event through or blocks it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Effect {
    Allow,
    Deny,
}

impl PolicyError {
    /// A field the statement format does not define (`resource` for `resources`): the schema
    /// names it, with the field meant, as an unknown property.
    pub(crate) fn is_unknown_field(&self) -> bool {
        match self {
            PolicyError::UnknownField(_) => true,
            PolicyError::Statement { error, .. } => error.is_unknown_field(),
            _ => false,
        }
    }
}

/// Why a `defaultPolicy` (or one of its statements, or a resource specifier) cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum PolicyError {
    /// The `defaultPolicy` value is not an array.
    #[error("`defaultPolicy` must be a list of statements, not {0}")]
    NotAList(&'static str),
    /// A statement is not a JSON object.
    #[error("a statement must be an object, not {0}")]
    NotAnObject(&'static str),
    /// A statement has a key the policy format does not define.
    #[error(
        "unknown field `{0}` (a statement has only `effect`, `actions`, `notActions`, \
         `resources` and `notResources`)"
    )]
    UnknownField(String),
    /// A statement field has the wrong shape or an unreadable value.
    #[error("`{field}` {problem}")]
    Field {
        field: &'static str,
        problem: String,
    },
    /// A resource specifier does not follow `type/name;tag,…` segments joined by `:`.
    #[error("invalid resource specifier `{spec}`: {problem}")]
    Resource { spec: String, problem: String },
    /// Any of the above, located in the statement at `index` (0-based) of the policy.
    #[error("statement {index}: {error}")]
    Statement {
        index: usize,
        error: Box<PolicyError>,
    },
}

/// One statement of a policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Statement {
    pub effect: Effect,
    actions: ActionList,
    resources: ResourceList,
}

/// `actions` (`negated: false`) or `notActions` (`negated: true`): glob patterns over action names.
#[derive(Debug, Clone, PartialEq, Eq)]
struct ActionList {
    negated: bool,
    patterns: Vec<String>,
}

/// `resources` or `notResources`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct ResourceList {
    negated: bool,
    patterns: Vec<ResourcePattern>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum ResourcePattern {
    /// The bare specifier `*`: every resource. The framework schema gives `["*"]` as the default
    /// of `resources`/`notResources`, so this is how an omitted list reads.
    Any,
    Specifier(Resource),
}

const STATEMENT_FIELDS: [&str; 5] = [
    "effect",
    "actions",
    "notActions",
    "resources",
    "notResources",
];

impl Statement {
    /// Reads one statement. `effect` defaults to `allow` and an omitted action or resource list
    /// to `["*"]` (the defaults the framework schema declares for these properties).
    ///
    /// LaunchDarkly's policy documentation "requires `resources`/`actions` to be empty when
    /// using" `notResources`/`notActions`, so giving both non-empty lists is an error; when one
    /// of the two is an empty list the other one is used (both empty: the empty positive list,
    /// which matches nothing).
    pub(crate) fn from_json(value: &Value) -> Result<Statement, PolicyError> {
        let Value::Object(object) = value else {
            return Err(PolicyError::NotAnObject(json_type(value)));
        };
        if let Some(unknown) = object
            .keys()
            .find(|key| !STATEMENT_FIELDS.contains(&key.as_str()))
        {
            return Err(PolicyError::UnknownField(unknown.clone()));
        }

        let effect = match object.get("effect") {
            None => Effect::Allow,
            Some(Value::String(s)) if s == "allow" => Effect::Allow,
            Some(Value::String(s)) if s == "deny" => Effect::Deny,
            Some(Value::String(s)) => {
                return Err(PolicyError::Field {
                    field: "effect",
                    problem: format!("must be \"allow\" or \"deny\", not {s:?}"),
                });
            }
            Some(other) => {
                return Err(PolicyError::Field {
                    field: "effect",
                    problem: format!("must be \"allow\" or \"deny\", not {}", json_type(other)),
                });
            }
        };

        let (negated, patterns) = pick_list(object, "actions", "notActions")?;
        let actions = ActionList { negated, patterns };

        let (negated, specs) = pick_list(object, "resources", "notResources")?;
        let field = if negated { "notResources" } else { "resources" };
        let patterns = specs
            .iter()
            .enumerate()
            .map(|(i, spec)| {
                if spec == "*" {
                    return Ok(ResourcePattern::Any);
                }
                Resource::parse(spec)
                    .map(ResourcePattern::Specifier)
                    .map_err(|error| PolicyError::Field {
                        field,
                        problem: format!("item {i}: {error}"),
                    })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let resources = ResourceList { negated, patterns };

        Ok(Statement {
            effect,
            actions,
            resources,
        })
    }

    /// The field its resources are listed under (`resources` or `notResources`), and each
    /// resource's segment types that LaunchDarkly does not define, by the resource's index.
    pub(crate) fn unknown_resource_types(&self) -> (&'static str, Vec<(usize, &str)>) {
        let field = if self.resources.negated {
            "notResources"
        } else {
            "resources"
        };
        let unknown = self
            .resources
            .patterns
            .iter()
            .enumerate()
            .filter_map(|(i, pattern)| match pattern {
                ResourcePattern::Specifier(resource) => Some((i, resource)),
                ResourcePattern::Any => None,
            })
            .flat_map(|(i, resource)| resource.unknown_types().map(move |kind| (i, kind)))
            .collect();
        (field, unknown)
    }

    /// False when no event can ever match this statement: an empty `actions` or `resources`
    /// list, or a `notActions`/`notResources` list that excludes everything (`*`).
    pub(crate) fn can_match_anything(&self) -> bool {
        let actions_possible = if self.actions.negated {
            !self.actions.patterns.iter().any(|p| is_match_all_glob(p))
        } else {
            !self.actions.patterns.is_empty()
        };
        let resources_possible = if self.resources.negated {
            !self.resources.patterns.contains(&ResourcePattern::Any)
        } else {
            !self.resources.patterns.is_empty()
        };
        actions_possible && resources_possible
    }

    fn matches(&self, access: &Access) -> bool {
        self.matches_action(&access.action) && self.matches_resource(&access.resource)
    }

    fn matches_action(&self, action: &str) -> bool {
        let listed = self.actions.patterns.iter().any(|p| glob_match(p, action));
        listed != self.actions.negated
    }

    fn matches_resource(&self, resource: &Resource) -> bool {
        let listed = self.resources.patterns.iter().any(|p| match p {
            ResourcePattern::Any => true,
            ResourcePattern::Specifier(pattern) => pattern.matches(resource),
        });
        listed != self.resources.negated
    }
}

/// Reads the positive list (`positive`) or its negated twin (`negative`); returns whether the
/// negated one applies, and its strings.
fn pick_list(
    object: &Map<String, Value>,
    positive: &'static str,
    negative: &'static str,
) -> Result<(bool, Vec<String>), PolicyError> {
    let pos = string_list(object, positive)?;
    let neg = string_list(object, negative)?;
    match (pos, neg) {
        (None, None) => Ok((false, vec!["*".to_owned()])),
        (Some(pos), None) => Ok((false, pos)),
        (None, Some(neg)) => Ok((true, neg)),
        (Some(pos), Some(neg)) if neg.is_empty() => Ok((false, pos)),
        (Some(pos), Some(neg)) if pos.is_empty() => Ok((true, neg)),
        (Some(_), Some(_)) => Err(PolicyError::Field {
            field: negative,
            problem: format!(
                "cannot be combined with a non-empty `{positive}`: \
                 LaunchDarkly requires `{positive}` to be empty when `{negative}` is used"
            ),
        }),
    }
}

fn string_list(
    object: &Map<String, Value>,
    field: &'static str,
) -> Result<Option<Vec<String>>, PolicyError> {
    let Some(value) = object.get(field) else {
        return Ok(None);
    };
    let Value::Array(items) = value else {
        return Err(PolicyError::Field {
            field,
            problem: format!("must be a list of strings, not {}", json_type(value)),
        });
    };
    items
        .iter()
        .enumerate()
        .map(|(i, item)| match item {
            Value::String(s) => Ok(s.clone()),
            other => Err(PolicyError::Field {
                field,
                problem: format!(
                    "must be a list of strings, but item {i} is {}",
                    json_type(other)
                ),
            }),
        })
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}

/// A `defaultPolicy`: the statements in manifest order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Policy {
    statements: Vec<Statement>,
}

impl Policy {
    /// Reads the `defaultPolicy` array. Errors name the 0-based statement index. An empty array
    /// is accepted (it delivers nothing); the schema's `minItems: 1` is the validator's concern.
    pub(crate) fn from_json(value: &Value) -> Result<Policy, PolicyError> {
        let Value::Array(items) = value else {
            return Err(PolicyError::NotAList(json_type(value)));
        };
        let statements = items
            .iter()
            .enumerate()
            .map(|(index, item)| {
                Statement::from_json(item).map_err(|error| PolicyError::Statement {
                    index,
                    error: Box::new(error),
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Policy { statements })
    }

    pub(crate) fn statements(&self) -> &[Statement] {
        &self.statements
    }

    /// Delivered when at least one `allow` statement matches and no `deny` statement does
    /// ("an explicit deny … wins over any allow in the same policy; … anything unmatched is
    /// denied; statement order is irrelevant", as LaunchDarkly documents it). `decided_by` is the first
    /// matching deny if any, else the first matching allow.
    pub(crate) fn evaluate(&self, access: &Access) -> Decision {
        let mut first_allow = None;
        let mut first_deny = None;
        for (index, statement) in self.statements.iter().enumerate() {
            if !statement.matches(access) {
                continue;
            }
            let slot = match statement.effect {
                Effect::Allow => &mut first_allow,
                Effect::Deny => &mut first_deny,
            };
            slot.get_or_insert(index);
        }
        let Access { action, resource } = access;
        // `~` is no environment's key: it marks a change made to every environment at once.
        let all = if resource.is_every_environment() {
            " (`env/~`: a change to all environments)"
        } else {
            ""
        };
        match (first_deny, first_allow) {
            (Some(deny), Some(allow)) => Decision {
                delivered: false,
                decided_by: Some(deny),
                reason: format!(
                    "statement {deny} denies {action} on {resource}{all}, \
                     overriding the allow in statement {allow}"
                ),
            },
            (Some(deny), None) => Decision {
                delivered: false,
                decided_by: Some(deny),
                reason: format!("statement {deny} denies {action} on {resource}{all}"),
            },
            (None, Some(allow)) => Decision {
                delivered: true,
                decided_by: Some(allow),
                reason: format!("statement {allow} allows {action} on {resource}{all}"),
            },
            (None, None) => Decision {
                delivered: false,
                decided_by: None,
                reason: format!("no statement matches {action} on {resource}{all}"),
            },
        }
    }
}

/// The outcome of [`Policy::evaluate`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Decision {
    pub delivered: bool,
    /// 0-based index of the deciding statement: the matching deny if any, else the first
    /// matching allow; `None` when no statement matches.
    pub decided_by: Option<usize>,
    /// One human sentence, e.g. `statement 1 allows updateOn on proj/default:env/production:flag/demo-flag`.
    pub reason: String,
}

/// What an event asks for: an action (the event's `verbKind`) on a resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Access {
    pub action: String,
    pub resource: Resource,
}

impl Access {
    /// Derives the access from a template-context event (a sample-context JSON). LaunchDarkly
    /// does not document this mapping; it is inferred from the sample events and the resource
    /// specifiers it documents:
    ///
    /// | `kind`        | resource                                                        |
    /// |---------------|-----------------------------------------------------------------|
    /// | `flag`        | `proj/{project.key}:env/{project.environment.key}:flag/{key}`    |
    /// | `segment`     | `proj/{project.key}:env/{project.environment.key}:segment/{key}` |
    /// | `environment` | `proj/{project.key}:env/{key}`                                   |
    /// | `project`     | `proj/{key}`                                                     |
    /// | `metric`      | `proj/{project.key}:metric/{key}`                                |
    /// | `member`      | `member/{target._id}` ("no `key` in sample")                     |
    /// | other         | `{kind}/{key}`, or `{kind}/{target._id}` without `key`           |
    ///
    /// The action is `verbKind`, which is not always an action name (`updateTag` against
    /// the action `updateTags`), so a policy listing exact action names may not match every sample.
    ///
    /// Tags: `proj` segments carry `project.tags`, `env` segments `project.environment.tags`,
    /// and the event's own segment (flag, segment, metric, member, other) the event's `tags`;
    /// `null` or missing tags are no tags.
    ///
    /// `None` when the event lacks `kind` or `verbKind`, or a key its resource needs (a missing
    /// or empty-string key: project, member and webhook samples carry `""` for the project
    /// fields they do not use, and an empty key would otherwise match `proj/*`).
    pub(crate) fn from_event(event: &Value) -> Option<Access> {
        let kind = non_empty_str(event, &["kind"])?;
        let action = non_empty_str(event, &["verbKind"])?;

        let project = || -> Option<Segment> {
            Some(Segment::new(
                "proj",
                non_empty_str(event, &["project", "key"])?,
                tags_at(event, &["project", "tags"]),
            ))
        };
        let env_tags = || tags_at(event, &["project", "environment", "tags"]);
        let environment = || -> Option<Segment> {
            Some(Segment::new(
                "env",
                non_empty_str(event, &["project", "environment", "key"])?,
                env_tags(),
            ))
        };
        let own = |kind: &str, key: &str| Segment::new(kind, key, tags_at(event, &["tags"]));
        let key = || non_empty_str(event, &["key"]);

        let segments = match kind {
            "flag" | "segment" => vec![project()?, environment()?, own(kind, key()?)],
            "environment" => vec![project()?, Segment::new("env", key()?, env_tags())],
            "project" => vec![Segment::new(
                "proj",
                key()?,
                tags_at(event, &["project", "tags"]),
            )],
            "metric" => vec![project()?, own("metric", key()?)],
            "member" => vec![own("member", non_empty_str(event, &["target", "_id"])?)],
            other => {
                let name = key().or_else(|| non_empty_str(event, &["target", "_id"]))?;
                vec![own(other, name)]
            }
        };
        Some(Access {
            action: action.to_owned(),
            resource: Resource { segments },
        })
    }
}

fn value_at<'a>(value: &'a Value, path: &[&str]) -> Option<&'a Value> {
    path.iter().try_fold(value, |v, key| v.get(key))
}

fn non_empty_str<'a>(value: &'a Value, path: &[&str]) -> Option<&'a str> {
    value_at(value, path)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
}

fn tags_at(value: &Value, path: &[&str]) -> Vec<String> {
    match value_at(value, path) {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        _ => Vec::new(),
    }
}

/// A resource specifier: `type/name;tag1,tag2` segments joined by `:`, e.g.
/// `proj/default:env/production:flag/demo-flag;ops`. The same type serves as a pattern in a
/// statement (names and tags may contain `*`) and as the concrete resource of an event (tags are
/// the tags the resource carries). A segment may be a bare type (`acct`).
///
/// The defined type a mistyped one most likely means: the plural or long form people write
/// (`flags`, `projects`, `environment`), or the nearest by spelling.
pub(crate) fn suggest_resource_type(kind: &str) -> Option<&'static str> {
    let lower = kind.to_ascii_lowercase();
    let singular = lower.strip_suffix('s').unwrap_or(&lower);
    let long_forms = [
        ("project", "proj"),
        ("environment", "env"),
        ("account", "acct"),
        ("feature-flag", "flag"),
        ("featureflag", "flag"),
    ];
    long_forms
        .iter()
        .find(|(long, _)| *long == singular)
        .map(|(_, short)| *short)
        .or_else(|| {
            RESOURCE_TYPES
                .iter()
                .copied()
                .find(|known| *known == singular)
        })
        .or_else(|| crate::diagnostics::suggest::closest(&lower, RESOURCE_TYPES))
}

/// The segment types LaunchDarkly's custom-role documentation defines ("Using resources"):
/// account-level `acct`, `application`, `code-reference-repository`, `domain-verification`,
/// `integration`, `member` (with `token` beneath it), `pending-request`, `proj`,
/// `relay-proxy-config`, `role`, `service-token`, `team`, `template` and `webhook`; beneath a
/// project `aiconfig`, `context-kind`, `env`, `experiment`, `holdout`, `layer`, `metric`,
/// `metric-group` and `release-pipeline`; beneath an environment `destination`, `flag` and
/// `segment`.
pub(crate) const RESOURCE_TYPES: [&str; 27] = [
    "acct",
    "aiconfig",
    "application",
    "code-reference-repository",
    "context-kind",
    "destination",
    "domain-verification",
    "env",
    "experiment",
    "flag",
    "holdout",
    "integration",
    "layer",
    "member",
    "metric",
    "metric-group",
    "pending-request",
    "proj",
    "relay-proxy-config",
    "release-pipeline",
    "role",
    "segment",
    "service-token",
    "team",
    "template",
    "token",
    "webhook",
];
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Resource {
    segments: Vec<Segment>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Segment {
    kind: String,
    name: Option<String>,
    tags: Vec<String>,
}

impl Segment {
    fn new(kind: &str, name: &str, tags: Vec<String>) -> Segment {
        Segment {
            kind: kind.to_owned(),
            name: Some(name.to_owned()),
            tags,
        }
    }

    /// Several tags in one specifier must all hold, as LaunchDarkly documents specifiers:
    /// every tag pattern must match some tag of the resource. Types are compared exactly; keys, not names, are matched.
    fn matches(&self, resource: &Segment) -> bool {
        if self.kind != resource.kind {
            return false;
        }
        // A flag event whose environment key is `~` (a change to all environments) counts as
        // matching any environment segment: LaunchDarkly checks one access per environment,
        // whose names and tags a sample does not give, so the `~` segment matches any `env`
        // pattern, tag requirements included.
        if resource.kind == "env" && resource.name.as_deref() == Some("~") {
            return true;
        }
        let name_matches = match (&self.name, &resource.name) {
            (Some(pattern), Some(name)) => glob_match(pattern, name),
            (None, None) => true,
            _ => false,
        };
        name_matches
            && self
                .tags
                .iter()
                .all(|pattern| resource.tags.iter().any(|tag| glob_match(pattern, tag)))
    }
}

impl Resource {
    /// Parses a specifier. Rejected: an empty specifier or segment, a segment type that is empty
    /// or contains `*` (types are not globbed, so it could never match), `type/` with an empty
    /// name, and an empty tag list or tag. The bare `*` of a statement's resource list is not a
    /// specifier and is handled by [`Statement::from_json`].
    pub(crate) fn parse(spec: &str) -> Result<Resource, PolicyError> {
        let fail = |problem: String| PolicyError::Resource {
            spec: spec.to_owned(),
            problem,
        };
        if spec.is_empty() {
            return Err(fail("it is empty".to_owned()));
        }
        let mut segments = Vec::new();
        for (i, text) in spec.split(':').enumerate() {
            let (head, tags) = match text.split_once(';') {
                Some((head, tags)) => (head, Some(tags)),
                None => (text, None),
            };
            let (kind, name) = match head.split_once('/') {
                Some((kind, name)) => (kind, Some(name)),
                None => (head, None),
            };
            if kind.is_empty() {
                return Err(fail(format!("segment {} has no type", i + 1)));
            }
            if kind.contains('*') {
                return Err(fail(format!(
                    "segment type `{kind}` cannot contain `*`; write `type/*` to match every name"
                )));
            }
            if name == Some("") {
                return Err(fail(format!("segment `{kind}/` has an empty name")));
            }
            let tags = match tags {
                None => Vec::new(),
                Some(list) => {
                    let tags: Vec<String> = list.split(',').map(str::to_owned).collect();
                    if tags.iter().any(String::is_empty) {
                        return Err(fail(format!("segment `{head}` has an empty tag")));
                    }
                    tags
                }
            };
            segments.push(Segment {
                kind: kind.to_owned(),
                name: name.map(str::to_owned),
                tags,
            });
        }
        Ok(Resource { segments })
    }

    /// Whether it is a change to every environment: an `env` segment named `~`.
    fn is_every_environment(&self) -> bool {
        self.segments
            .iter()
            .any(|segment| segment.kind == "env" && segment.name.as_deref() == Some("~"))
    }

    /// Its segment types that are not among [`RESOURCE_TYPES`].
    fn unknown_types(&self) -> impl Iterator<Item = &str> {
        self.segments
            .iter()
            .map(|segment| segment.kind.as_str())
            .filter(|kind| !RESOURCE_TYPES.contains(kind))
    }

    /// Whether `self`, read as a pattern, matches `resource`: same segment types in the same
    /// order, each name glob-matching and each segment's tags satisfied.
    fn matches(&self, resource: &Resource) -> bool {
        self.segments.len() == resource.segments.len()
            && self
                .segments
                .iter()
                .zip(&resource.segments)
                .all(|(pattern, segment)| pattern.matches(segment))
    }
}

/// Prints the specifier, tags included, in the form [`Resource::parse`] reads back.
impl fmt::Display for Resource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, segment) in self.segments.iter().enumerate() {
            if i > 0 {
                f.write_str(":")?;
            }
            f.write_str(&segment.kind)?;
            if let Some(name) = &segment.name {
                write!(f, "/{name}")?;
            }
            if !segment.tags.is_empty() {
                write!(f, ";{}", segment.tags.join(","))?;
            }
        }
        Ok(())
    }
}

/// `*` matches any run of characters (including none), anywhere in the pattern (LaunchDarkly's
/// specifiers glob anywhere in a name); every other character matches itself, case-sensitively.
fn glob_match(pattern: &str, text: &str) -> bool {
    let (p, t) = (pattern.as_bytes(), text.as_bytes());
    let (mut pi, mut ti) = (0, 0);
    // Position of the last `*` seen and the text position it is currently assumed to reach.
    let mut star: Option<(usize, usize)> = None;
    while let Some(&tc) = t.get(ti) {
        let pc = p.get(pi).copied();
        if pc == Some(b'*') {
            star = Some((pi, ti));
            pi += 1;
        } else if pc == Some(tc) {
            pi += 1;
            ti += 1;
        } else if let Some((star_pi, star_ti)) = star {
            pi = star_pi + 1;
            ti = star_ti + 1;
            star = Some((star_pi, star_ti + 1));
        } else {
            return false;
        }
    }
    p.get(pi..)
        .is_none_or(|rest| rest.iter().all(|&c| c == b'*'))
}

/// A non-empty pattern made only of `*`, which matches every string.
fn is_match_all_glob(pattern: &str) -> bool {
    !pattern.is_empty() && pattern.bytes().all(|c| c == b'*')
}

fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn policy(value: Value) -> Policy {
        match Policy::from_json(&value) {
            Ok(policy) => policy,
            Err(error) => panic!("policy {value} should parse: {error}"),
        }
    }

    fn access(action: &str, resource: &str) -> Access {
        Access {
            action: action.to_owned(),
            resource: resource_of(resource),
        }
    }

    fn resource_of(spec: &str) -> Resource {
        match Resource::parse(spec) {
            Ok(resource) => resource,
            Err(error) => panic!("{spec} should parse: {error}"),
        }
    }

    fn derived(event: &Value) -> Access {
        match Access::from_event(event) {
            Some(access) => access,
            None => panic!("an access should be derived from {event}"),
        }
    }

    fn error_of(value: Value) -> PolicyError {
        match Policy::from_json(&value) {
            Ok(policy) => panic!("{value} should not parse, got {policy:?}"),
            Err(error) => error,
        }
    }

    /// `allow * on proj/*:env/production:flag/*`, the `defaultPolicy` of 20 of the 27 public audit-log hooks.
    fn common() -> Policy {
        policy(json!([{
            "effect": "allow",
            "resources": ["proj/*:env/production:flag/*"],
            "actions": ["*"]
        }]))
    }

    #[test]
    fn a_change_to_all_environments_says_what_env_tilde_means() {
        let access = Access::from_event(&flag_event("~", "updateOn")).expect("access");
        let decision = common().evaluate(&access);
        assert!(decision.delivered);
        assert!(
            decision
                .reason
                .ends_with(":flag/demo-flag;ops,security (`env/~`: a change to all environments)"),
            "{}",
            decision.reason
        );
        let production = Access::from_event(&flag_event("production", "updateOn")).expect("access");
        assert!(
            !common()
                .evaluate(&production)
                .reason
                .contains("all environments")
        );
    }

    fn flag_event(env: &str, verb: &str) -> Value {
        json!({
            "kind": "flag",
            "verbKind": verb,
            "key": "demo-flag",
            "tags": ["ops", "security"],
            "project": {
                "key": "default",
                "tags": ["mobile"],
                "environment": {"key": env, "name": env, "tags": ["critical"]}
            },
            "target": {"_id": "5e38c13206121d8aaf10000c"}
        })
    }

    fn project_event() -> Value {
        json!({
            "kind": "project",
            "verbKind": "createProject",
            "key": "a-new-project",
            "tags": [],
            "project": {
                "key": "a-new-project",
                "tags": ["demo"],
                "environment": {"key": "", "tags": null}
            }
        })
    }

    fn member_event() -> Value {
        json!({
            "kind": "member",
            "verbKind": "updateRole",
            "tags": null,
            "project": {"key": "", "tags": null, "environment": {"key": "", "tags": null}},
            "target": {"_id": "6241dc4740fba70b235672b5", "name": "someone@example.com"}
        })
    }

    // ---- glob matching ----

    #[test]
    fn glob_without_star_is_exact_and_case_sensitive() {
        assert!(glob_match("updateOn", "updateOn"));
        assert!(!glob_match("updateOn", "updateOnX"));
        assert!(!glob_match("updateOn", "update"));
        assert!(!glob_match("updateOn", "updateon"));
    }

    #[test]
    fn glob_star_at_start_middle_and_end() {
        assert!(glob_match("*Flag", "createFlag"));
        assert!(glob_match("*Flag", "Flag"));
        assert!(!glob_match("*Flag", "createFlags"));
        assert!(glob_match("update*", "updateOn"));
        assert!(glob_match("update*", "update"));
        assert!(!glob_match("update*", "createFlag"));
        assert!(glob_match("ops_*_east", "ops_us_east"));
        assert!(glob_match("ops_*_east", "ops__east"));
        assert!(!glob_match("ops_*_east", "ops_us_west"));
    }

    #[test]
    fn glob_multiple_stars_backtrack() {
        assert!(glob_match("*a*b*", "xxaxxbxx"));
        assert!(glob_match("*a*b*", "ab"));
        assert!(!glob_match("*a*b*", "bxa"));
        assert!(glob_match("a*a*a", "aaaaa"));
        assert!(glob_match("a*a*a", "aaa"));
        assert!(!glob_match("a*a*a", "aa"));
        assert!(glob_match("**", "anything"));
        assert!(glob_match("*ab", "aab"));
    }

    #[test]
    fn glob_empty_pattern_and_text() {
        assert!(glob_match("", ""));
        assert!(!glob_match("", "x"));
        assert!(glob_match("*", ""));
        assert!(!glob_match("x", ""));
    }

    #[test]
    fn glob_handles_non_ascii() {
        assert!(glob_match("caf*", "café"));
        assert!(glob_match("*é", "café"));
        assert!(!glob_match("*e", "café"));
    }

    // ---- resource specifiers ----

    #[test]
    fn resource_parse_and_display_round_trip() {
        for spec in [
            "proj/default:env/production:flag/demo-flag",
            "proj/*;mobile:env/*;qa_*,critical:flag/*",
            "member/*:token/*",
            "acct",
            "webhook/5e38c13206121d8aaf10000c",
        ] {
            assert_eq!(resource_of(spec).to_string(), spec);
        }
    }

    #[test]
    fn resource_parse_rejects_malformed_specifiers() {
        for (spec, needle) in [
            ("", "empty"),
            ("proj/*::flag/*", "segment 2 has no type"),
            ("/x", "no type"),
            ("proj/*:flag/", "empty name"),
            ("proj/*;", "empty tag"),
            ("proj/*;a,,b", "empty tag"),
            ("proj/*:*", "cannot contain `*`"),
        ] {
            match Resource::parse(spec) {
                Ok(r) => panic!("{spec:?} should be rejected, got {r:?}"),
                Err(error) => {
                    let message = error.to_string();
                    assert!(message.contains(needle), "{spec:?}: {message}");
                    assert!(message.contains(&format!("`{spec}`")), "{message}");
                }
            }
        }
    }

    #[test]
    fn pattern_needs_same_segment_types_in_same_order() {
        let pattern = resource_of("proj/*:env/*:flag/*");
        assert!(pattern.matches(&resource_of("proj/p:env/e:flag/f")));
        assert!(!pattern.matches(&resource_of("proj/p:env/e:segment/f")));
        assert!(!pattern.matches(&resource_of("proj/p:env/e")));
        assert!(!pattern.matches(&resource_of("proj/p:env/e:flag/f:extra/x")));
        assert!(!pattern.matches(&resource_of("env/e:proj/p:flag/f")));
        assert!(resource_of("acct").matches(&resource_of("acct")));
        assert!(!resource_of("acct").matches(&resource_of("acct/x")));
    }

    #[test]
    fn pattern_names_glob_per_segment() {
        let pattern = resource_of("proj/*:env/prod*:flag/ops_*");
        assert!(pattern.matches(&resource_of("proj/p:env/production:flag/ops_kill")));
        assert!(!pattern.matches(&resource_of("proj/p:env/test:flag/ops_kill")));
        assert!(!pattern.matches(&resource_of("proj/p:env/production:flag/dev_kill")));
    }

    #[test]
    fn pattern_tags_all_required() {
        let pattern = resource_of("proj/*:env/*:flag/*;ops,security");
        assert!(pattern.matches(&resource_of("proj/p:env/e:flag/f;security,ops,extra")));
        assert!(!pattern.matches(&resource_of("proj/p:env/e:flag/f;ops")));
        assert!(!pattern.matches(&resource_of("proj/p:env/e:flag/f")));
    }

    #[test]
    fn pattern_tags_glob() {
        let pattern = resource_of("proj/*:env/*;qa_*:flag/*");
        assert!(pattern.matches(&resource_of("proj/p:env/e;qa_team:flag/f")));
        assert!(!pattern.matches(&resource_of("proj/p:env/e;dev_team:flag/f")));
    }

    #[test]
    fn pattern_tags_on_parent_segment_apply_to_the_parent() {
        let pattern = resource_of("proj/*;mobile:env/*:flag/*");
        assert!(pattern.matches(&resource_of("proj/p;mobile:env/e:flag/f")));
        // The flag carrying the tag is not enough: the project must.
        assert!(!pattern.matches(&resource_of("proj/p:env/e:flag/f;mobile")));
    }

    #[test]
    fn all_environments_key_matches_any_env_segment() {
        let any_env = resource_of("proj/p:env/~:flag/f");
        assert!(resource_of("proj/*:env/production:flag/*").matches(&any_env));
        assert!(resource_of("proj/*:env/test:flag/*").matches(&any_env));
        assert!(resource_of("proj/*:env/*;critical:flag/*").matches(&any_env));
        // ...but the other segments still have to match.
        assert!(!resource_of("proj/other:env/production:flag/*").matches(&any_env));
        assert!(!resource_of("proj/*:env/production:flag/g").matches(&any_env));
        assert!(!resource_of("proj/*:env/production:segment/*").matches(&any_env));
    }

    // ---- deriving the access from an event ----

    #[test]
    fn derives_flag_access_with_tags_on_each_segment() {
        let access = derived(&flag_event("production", "updateRules"));
        assert_eq!(access.action, "updateRules");
        assert_eq!(
            access.resource.to_string(),
            "proj/default;mobile:env/production;critical:flag/demo-flag;ops,security"
        );
    }

    #[test]
    fn derives_segment_access() {
        let event = json!({
            "kind": "segment", "verbKind": "createSegment", "key": "new-segment", "tags": ["beta"],
            "project": {"key": "default", "tags": ["demo"],
                        "environment": {"key": "production", "tags": []}}
        });
        let access = derived(&event);
        assert_eq!(access.action, "createSegment");
        assert_eq!(
            access.resource.to_string(),
            "proj/default;demo:env/production:segment/new-segment;beta"
        );
    }

    #[test]
    fn derives_environment_access_with_environment_tags() {
        let event = json!({
            "kind": "environment", "verbKind": "deleteEnvironment", "key": "local-dev",
            "tags": ["ignored-event-tag"],
            "project": {"key": "default", "tags": ["demo"],
                        "environment": {"key": "local-dev", "tags": ["qa"]}}
        });
        let access = derived(&event);
        assert_eq!(access.action, "deleteEnvironment");
        assert_eq!(
            access.resource.to_string(),
            "proj/default;demo:env/local-dev;qa"
        );
    }

    #[test]
    fn derives_project_access_with_project_tags() {
        let access = derived(&project_event());
        assert_eq!(access.action, "createProject");
        assert_eq!(access.resource.to_string(), "proj/a-new-project;demo");
    }

    #[test]
    fn derives_metric_access() {
        let event = json!({
            "kind": "metric", "verbKind": "createMetric", "key": "new-metric", "tags": [],
            "project": {"key": "default", "tags": null,
                        "environment": {"key": "", "tags": null}}
        });
        assert_eq!(
            derived(&event).resource.to_string(),
            "proj/default:metric/new-metric"
        );
    }

    #[test]
    fn derives_member_access_from_target_id() {
        let access = derived(&member_event());
        assert_eq!(access.action, "updateRole");
        assert_eq!(
            access.resource.to_string(),
            "member/6241dc4740fba70b235672b5"
        );
    }

    #[test]
    fn derives_other_kinds_from_key_or_target_id() {
        let webhook = json!({
            "kind": "webhook", "verbKind": "updateOn", "tags": [],
            "project": {"key": "", "tags": null, "environment": {"key": "", "tags": null}},
            "target": {"_id": "5e38c13206121d8aaf10000c"}
        });
        assert_eq!(
            derived(&webhook).resource.to_string(),
            "webhook/5e38c13206121d8aaf10000c"
        );
        let integration = json!({
            "kind": "integration", "verbKind": "createIntegration", "key": "my-hook",
            "tags": ["t"], "target": {"_id": "abc"}
        });
        assert_eq!(
            derived(&integration).resource.to_string(),
            "integration/my-hook;t"
        );
    }

    #[test]
    fn null_or_absent_tags_are_no_tags() {
        let event = json!({
            "kind": "flag", "verbKind": "updateOn", "key": "f", "tags": null,
            "project": {"key": "p", "environment": {"key": "production", "tags": null}}
        });
        let access = derived(&event);
        assert_eq!(access.resource.to_string(), "proj/p:env/production:flag/f");
        let needs_tag = policy(json!([{"resources": ["proj/*:env/*:flag/*;ops"]}]));
        assert!(!needs_tag.evaluate(&access).delivered);
        let no_tag = policy(json!([{"resources": ["proj/*:env/*:flag/*"]}]));
        assert!(no_tag.evaluate(&access).delivered);
    }

    #[test]
    fn no_access_without_kind_verb_or_needed_key() {
        let event = flag_event("production", "updateOn");
        assert!(Access::from_event(&event).is_some());
        for (parent, key) in [
            ("", "kind"),
            ("", "verbKind"),
            ("", "key"),
            ("/project", "key"),
            ("/project/environment", "key"),
        ] {
            let mut broken = event.clone();
            if let Some(slot) = broken.pointer_mut(&format!("{parent}/{key}")) {
                *slot = json!("");
            }
            assert_eq!(Access::from_event(&broken), None, "empty {parent}/{key}");
            if let Some(object) = broken.pointer_mut(parent).and_then(Value::as_object_mut) {
                object.remove(key);
            }
            assert_eq!(Access::from_event(&broken), None, "missing {parent}/{key}");
        }
        let mut wrong_type = event.clone();
        wrong_type["kind"] = json!(3);
        assert_eq!(Access::from_event(&wrong_type), None);
        assert_eq!(Access::from_event(&json!("not an object")), None);
        let mut member = member_event();
        member["target"] = json!({});
        assert_eq!(Access::from_event(&member), None);
        // A project event takes its key from `key`, so it needs no `project.key`.
        let mut project = project_event();
        project["project"]["key"] = json!("");
        assert!(Access::from_event(&project).is_some());
    }

    /// Every sample event of the framework (read-only conformance copy), with the access it
    /// derives. Skipped when the conformance checkout is not next to the crate.
    #[test]
    fn derives_every_framework_sample_event() {
        let root = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../shared/conformance/framework/sample-context"
        );
        if !std::path::Path::new(root).is_dir() {
            return;
        }
        let expected = [
            (
                "environment/create.json",
                "createEnvironment",
                "proj/default;demo:env/local-dev",
            ),
            (
                "environment/delete.json",
                "deleteEnvironment",
                "proj/default;demo:env/local-dev;demo",
            ),
            (
                "environment/update.json",
                "updateTags",
                "proj/default;demo:env/local-dev",
            ),
            (
                "flag/archive.json",
                "updateArchived",
                "proj/default:env/~:flag/a-brand-new-flag",
            ),
            (
                "flag/copy.json",
                "copyFlagConfigTo",
                "proj/default:env/test:flag/demo-flag;demo",
            ),
            (
                "flag/create.json",
                "createFlag",
                "proj/default:env/~:flag/a-brand-new-flag",
            ),
            (
                "flag/targeting-rule-update.json",
                "updateRules",
                "proj/default:env/production:flag/demo-flag;ops,security",
            ),
            (
                "flag/toggle.json",
                "updateOn",
                "proj/default:env/production:flag/demo-flag",
            ),
            (
                "flag/update-all-environments.json",
                "updateTag",
                "proj/default:env/~:flag/demo-flag",
            ),
            (
                "member/update.json",
                "updateRole",
                "member/6241dc4740fba70b235672b5",
            ),
            (
                "other/metric.create.json",
                "createMetric",
                "proj/default;demo:metric/new-metric",
            ),
            (
                "other/segment.create.json",
                "createSegment",
                "proj/default;demo:env/production:segment/new-segment",
            ),
            (
                "other/segment.update.json",
                "updateRules",
                "proj/default;demo:env/production:segment/new-segment",
            ),
            (
                "other/webhook.enable.json",
                "updateOn",
                "webhook/5e38c13206121d8aaf10000c",
            ),
            ("project/create.json", "createProject", "proj/a-new-project"),
            ("project/delete.json", "deleteProject", "proj/a-new-project"),
            ("project/update.json", "updateTags", "proj/default"),
        ];
        let policy = common();
        for (file, action, resource) in expected {
            let text = match std::fs::read_to_string(format!("{root}/{file}")) {
                Ok(text) => text,
                Err(error) => panic!("{file}: {error}"),
            };
            let event: Value = match serde_json::from_str(&text) {
                Ok(event) => event,
                Err(error) => panic!("{file}: {error}"),
            };
            let access = derived(&event);
            assert_eq!(access.action, action, "{file}");
            assert_eq!(access.resource.to_string(), resource, "{file}");
            // The common policy delivers exactly the production and all-environment flag events.
            let delivered = file.starts_with("flag/") && !file.ends_with("copy.json");
            assert_eq!(policy.evaluate(&access).delivered, delivered, "{file}");
        }
    }

    // ---- statements and evaluation ----

    #[test]
    fn common_policy_delivers_production_flag_events_only() {
        let policy = common();

        let production = policy.evaluate(&derived(&flag_event("production", "updateOn")));
        assert!(production.delivered);
        assert_eq!(production.decided_by, Some(0));

        let test_env = policy.evaluate(&derived(&flag_event("test", "updateOn")));
        assert!(!test_env.delivered);
        assert_eq!(test_env.decided_by, None);

        let all_envs = policy.evaluate(&derived(&flag_event("~", "createFlag")));
        assert!(all_envs.delivered, "{}", all_envs.reason);

        let project = policy.evaluate(&derived(&project_event()));
        assert!(!project.delivered);

        let member = policy.evaluate(&derived(&member_event()));
        assert!(!member.delivered);
        assert_eq!(
            member.reason,
            "no statement matches updateRole on member/6241dc4740fba70b235672b5"
        );
    }

    #[test]
    fn reason_names_statement_action_and_resource() {
        let policy = policy(json!([
            {"resources": ["proj/*:env/test:flag/*"]},
            {"resources": ["proj/*:env/production:flag/*"], "actions": ["update*"]}
        ]));
        let decision = policy.evaluate(&access(
            "updateOn",
            "proj/default:env/production:flag/demo-flag",
        ));
        assert_eq!(
            decision,
            Decision {
                delivered: true,
                decided_by: Some(1),
                reason: "statement 1 allows updateOn on proj/default:env/production:flag/demo-flag"
                    .to_owned(),
            }
        );
    }

    #[test]
    fn first_matching_allow_decides() {
        let policy = policy(json!([
            {"actions": ["deleteFlag"]},
            {"actions": ["*"]},
            {"actions": ["update*"]}
        ]));
        let decision = policy.evaluate(&access("updateOn", "proj/p:env/e:flag/f"));
        assert!(decision.delivered);
        assert_eq!(decision.decided_by, Some(1));
    }

    #[test]
    fn deny_wins_regardless_of_order() {
        let allow = json!({"effect": "allow", "resources": ["proj/*:env/*:flag/*"]});
        let deny = json!({"effect": "deny", "resources": ["proj/*:env/production:flag/*"]});
        let target = access("updateOn", "proj/p:env/production:flag/f");
        for (statements, deny_index, allow_index) in [
            (json!([allow.clone(), deny.clone()]), 1, 0),
            (json!([deny.clone(), allow.clone()]), 0, 1),
        ] {
            let decision = policy(statements).evaluate(&target);
            assert!(!decision.delivered);
            assert_eq!(decision.decided_by, Some(deny_index));
            assert_eq!(
                decision.reason,
                format!(
                    "statement {deny_index} denies updateOn on proj/p:env/production:flag/f, \
                     overriding the allow in statement {allow_index}"
                )
            );
        }
        // Where the deny does not match, the allow still delivers.
        let policy = policy(json!([deny, allow]));
        let decision = policy.evaluate(&access("updateOn", "proj/p:env/test:flag/f"));
        assert!(decision.delivered);
        assert_eq!(decision.decided_by, Some(1));
    }

    #[test]
    fn deny_alone_is_not_delivered_and_named() {
        let terraform = policy(json!([
            {"effect": "deny", "resources": ["proj/*:env/*:flag/*"], "actions": ["*"]}
        ]));
        let decision = terraform.evaluate(&access("updateOn", "proj/p:env/e:flag/f"));
        assert_eq!(
            decision,
            Decision {
                delivered: false,
                decided_by: Some(0),
                reason: "statement 0 denies updateOn on proj/p:env/e:flag/f".to_owned(),
            }
        );
    }

    #[test]
    fn nothing_matching_is_not_delivered() {
        let empty = policy(json!([]));
        let decision = empty.evaluate(&access("updateOn", "proj/p:env/e:flag/f"));
        assert!(!decision.delivered);
        assert_eq!(decision.decided_by, None);
        assert_eq!(
            decision.reason,
            "no statement matches updateOn on proj/p:env/e:flag/f"
        );
    }

    #[test]
    fn action_lists_glob_and_must_match() {
        let policy = policy(json!([{"actions": ["createFlag", "update*"]}]));
        let on = |action| {
            policy
                .evaluate(&access(action, "proj/p:env/e:flag/f"))
                .delivered
        };
        assert!(on("createFlag"));
        assert!(on("updateRules"));
        assert!(!on("deleteFlag"));
        assert!(!on("createFlags"));
    }

    #[test]
    fn not_actions_match_every_unlisted_action() {
        let policy = policy(json!([{"notActions": ["deleteFlag", "update*"]}]));
        let on = |action| {
            policy
                .evaluate(&access(action, "proj/p:env/e:flag/f"))
                .delivered
        };
        assert!(on("createFlag"));
        assert!(!on("deleteFlag"));
        assert!(!on("updateOn"));
    }

    #[test]
    fn not_resources_match_every_unlisted_resource() {
        let policy = policy(json!([{"notResources": ["proj/*:env/production:flag/*"]}]));
        let on = |resource| policy.evaluate(&access("updateOn", resource)).delivered;
        assert!(!on("proj/p:env/production:flag/f"));
        assert!(on("proj/p:env/test:flag/f"));
        assert!(on("member/123"));
        assert!(on("proj/p"));
    }

    #[test]
    fn deny_with_not_resources_blocks_everything_else() {
        let policy = policy(json!([
            {"effect": "allow"},
            {"effect": "deny", "notResources": ["proj/*:env/production:flag/*"]}
        ]));
        assert!(
            policy
                .evaluate(&access("updateOn", "proj/p:env/production:flag/f"))
                .delivered
        );
        let other = policy.evaluate(&access("updateOn", "proj/p:env/test:flag/f"));
        assert!(!other.delivered);
        assert_eq!(other.decided_by, Some(1));
    }

    #[test]
    fn defaults_allow_and_match_everything() {
        let statement = match Statement::from_json(&json!({})) {
            Ok(statement) => statement,
            Err(error) => panic!("{error}"),
        };
        assert_eq!(statement.effect, Effect::Allow);
        assert!(statement.matches(&access("anything", "member/x")));
        assert!(statement.matches(&access("updateOn", "proj/p:env/e:flag/f")));
        assert!(statement.can_match_anything());
        let explicit_star = policy(json!([{"resources": ["*"], "actions": ["*"]}]));
        assert!(explicit_star.evaluate(&access("x", "acct")).delivered);
    }

    #[test]
    fn empty_counterpart_list_is_ignored() {
        let policy = policy(json!([
            {"actions": [], "notActions": ["deleteFlag"]},
        ]));
        assert!(policy.evaluate(&access("updateOn", "proj/p")).delivered);
        assert!(!policy.evaluate(&access("deleteFlag", "proj/p")).delivered);

        let positive =
            match Statement::from_json(&json!({"resources": ["proj/a"], "notResources": []})) {
                Ok(statement) => statement,
                Err(error) => panic!("{error}"),
            };
        assert!(positive.matches(&access("x", "proj/a")));
        assert!(!positive.matches(&access("x", "proj/b")));
    }

    #[test]
    fn can_match_anything_flags_impossible_statements() {
        let check = |value: Value| match Statement::from_json(&value) {
            Ok(statement) => statement.can_match_anything(),
            Err(error) => panic!("{value}: {error}"),
        };
        assert!(!check(json!({"actions": []})));
        assert!(!check(json!({"resources": []})));
        assert!(!check(json!({"notActions": ["*"]})));
        assert!(!check(json!({"notActions": ["createFlag", "**"]})));
        assert!(!check(json!({"notResources": ["*"]})));
        assert!(!check(json!({"actions": [], "notActions": []})));
        assert!(check(json!({"notActions": ["create*"]})));
        assert!(check(json!({"notActions": []})));
        assert!(check(json!({"notResources": ["proj/*"]})));
        assert!(check(
            json!({"actions": ["*"], "resources": ["proj/*:env/production:flag/*"]})
        ));
    }

    #[test]
    fn every_manifest_shape_in_the_framework_parses() {
        // Shapes copied from integrations/*/manifest.json (pagerduty, ld-to-git, terraform-cloud).
        let pagerduty = policy(json!([
            {"effect": "allow", "resources": ["proj/*:env/production:flag/*"],
             "actions": ["deleteFlag", "updateOn"]},
            {"resources": ["proj/*:env/production:segment/*"], "effect": "allow",
             "actions": ["updateIncluded", "updateExcluded", "updateRules"]}
        ]));
        assert_eq!(pagerduty.statements().len(), 2);
        let segment_rule = pagerduty.evaluate(&access(
            "updateRules",
            "proj/default;demo:env/production:segment/new-segment",
        ));
        assert!(segment_rule.delivered);
        assert_eq!(segment_rule.decided_by, Some(1));
        assert!(
            !pagerduty
                .evaluate(&access(
                    "createSegment",
                    "proj/default:env/production:segment/s"
                ))
                .delivered
        );

        let ld_to_git = policy(json!([
            {"effect": "allow", "resources": ["proj/*:env/*:flag/*"], "actions": ["*"]},
            {"effect": "allow", "resources": ["integration/*"], "actions": ["*"]}
        ]));
        let integration = ld_to_git.evaluate(&access("updateOn", "integration/abc"));
        assert_eq!(integration.decided_by, Some(1));
        assert!(integration.delivered);
    }

    // ---- malformed statements ----

    #[test]
    fn malformed_statements_name_index_and_field() {
        for (statements, expected) in [
            (
                json!([{}, {}, {"actions": "updateOn"}]),
                "statement 2: `actions` must be a list of strings, not a string",
            ),
            (
                json!([{"notActions": ["a", 3]}]),
                "statement 0: `notActions` must be a list of strings, but item 1 is a number",
            ),
            (
                json!([{}, {"effect": "Allow"}]),
                "statement 1: `effect` must be \"allow\" or \"deny\", not \"Allow\"",
            ),
            (
                json!([{"effect": true}]),
                "statement 0: `effect` must be \"allow\" or \"deny\", not a boolean",
            ),
            (
                json!([{"resources": null}]),
                "statement 0: `resources` must be a list of strings, not null",
            ),
            (
                json!([{"actions": ["a"], "notActions": ["b"]}]),
                "statement 0: `notActions` cannot be combined with a non-empty `actions`: \
                 LaunchDarkly requires `actions` to be empty when `notActions` is used",
            ),
            (
                json!([{}, {"resource": ["proj/*"]}]),
                "statement 1: unknown field `resource` (a statement has only `effect`, \
                 `actions`, `notActions`, `resources` and `notResources`)",
            ),
            (
                json!([{}, "allow"]),
                "statement 1: a statement must be an object, not a string",
            ),
            (
                json!([{"notResources": ["proj/*", "proj/*:env/"]}]),
                "statement 0: `notResources` item 1: invalid resource specifier \
                 `proj/*:env/`: segment `env/` has an empty name",
            ),
        ] {
            let error = error_of(statements.clone());
            assert_eq!(error.to_string(), expected, "{statements}");
            assert!(matches!(error, PolicyError::Statement { .. }), "{error:?}");
        }
    }

    #[test]
    fn statement_index_is_structured() {
        match error_of(json!([{}, {}, {}, {"actions": {}}])) {
            PolicyError::Statement { index, error } => {
                assert_eq!(index, 3);
                assert!(matches!(
                    *error,
                    PolicyError::Field {
                        field: "actions",
                        ..
                    }
                ));
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn policy_must_be_a_list() {
        let error = error_of(json!({"effect": "allow"}));
        assert_eq!(
            error.to_string(),
            "`defaultPolicy` must be a list of statements, not an object"
        );
        assert_eq!(error, PolicyError::NotAList("an object"));
    }
}
