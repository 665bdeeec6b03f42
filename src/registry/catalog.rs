//! Every rule ldhook reports. Ids are stable: a retired rule keeps its number, unused.
//! LDH0xx: the file and the schema; LDH1xx: what the framework's own test suite checks;
//! LDH2xx: ldhook's own checks.

use super::{Example, Group, Member, Rule, Severity};

/// Declares each rule as a static named after it and lists them all, in this order, in `ALL`:
/// one list, so a rule cannot be declared and forgotten. Every field is positional, the example
/// last, so a rule without one does not compile.
macro_rules! rules {
    ($($static:ident($id:literal, $name:literal, $group:ident, $severity:ident, $summary:literal, $explanation:literal, $example:expr $(,)?);)*) => {
        $(
            pub static $static: Rule = Rule {
                id: $id,
                name: $name,
                group: Group::$group,
                severity: Severity::$severity,
                summary: $summary,
                explanation: $explanation,
                example: $example,
            };
        )*

        /// Every rule, in id order within each group as declared.
        pub static ALL: &[&Rule] = &[$(&$static),*];

        /// Each static's name beside its rule's name, to hold them in step.
        #[cfg(test)]
        pub(super) const STATIC_NAMES: &[(&str, &str)] = &[$((stringify!($static), $name)),*];
    };
}

/// Rules reported only when a run names them: Prettier's check, which the framework runs as its
/// own CI step and ldhook as `ldhook fmt --check`.
/// So is the payload snapshot's comparison, which needs a snapshot `ldhook snapshot` wrote.
pub(super) static OPT_IN: &[&str] = &["LDH125", "LDH219"];

rules! {
    INVALID_JSON(
        "LDH001",
        "invalid-json",
        Syntax,
        Error,
        "the manifest is not valid JSON",
        "The framework reads manifest.json with JSON.parse and formats it with Prettier, so it must be \
        plain RFC 8259 JSON in UTF-8: no comments, no trailing commas, no byte-order mark, no \
        duplicate keys, numbers a double can hold. The finding points at the first place the file \
        stops being JSON; nothing else in the file is checked until it parses.",
        Example::manifest_text(
            r#""categories": ["monitoring", "notifications",],"#,
            r#""categories": ["monitoring", "notifications"],"#,
        )
    );

    UNKNOWN_PROPERTY(
        "LDH010",
        "unknown-property",
        Schema,
        Error,
        "a property the manifest format does not define",
        "The framework's schema lists the property names each object may have (with `propertyNames`), \
        so a misspelt or invented key is rejected rather than ignored. The finding points at the key \
        and lists the names allowed in that object.",
        Example::manifest(&[
            Member::removed("/links/supportSite", r#""https://pulseboard.example/support""#),
            Member::added("/links/supportWebsite", r#""https://pulseboard.example/support""#),
        ])
    );

    MISSING_PROPERTY(
        "LDH011",
        "missing-property",
        Schema,
        Error,
        "a required property is missing",
        "The object lacks a property the schema requires, such as `name` at the top level or `url` in \
        an endpoint. The finding points at the key of the object that lacks it (or at its opening \
        brace when it has no key).",
        Example::manifest(&[
            Member::added("/author", r#""Pulseboard Labs""#),
        ])
    );

    WRONG_TYPE(
        "LDH012",
        "wrong-type",
        Schema,
        Error,
        "a value of the wrong JSON type",
        "The value is, say, a string where the schema wants a boolean, or an object where it wants an \
        array. JSON types are strict: `\"true\"` is not `true`.",
        Example::manifest(&[
            Member::set(
                "/capabilities/auditLogEventsHook/includeErrorResponseBody",
                r#""true""#,
                "true",
            ),
        ])
    );

    INVALID_VALUE(
        "LDH013",
        "invalid-value",
        Schema,
        Error,
        "a value outside the allowed set",
        "The schema allows only a fixed set of values here (an `enum` or `const`), such as the \
        categories, form variable types or HTTP methods. The message lists them.",
        Example::manifest(&[
            Member::set(
                "/capabilities/auditLogEventsHook/endpoint/method",
                r#""post""#,
                r#""POST""#,
            ),
        ])
    );

    PATTERN_MISMATCH(
        "LDH014",
        "pattern-mismatch",
        Schema,
        Error,
        "a string that does not have the required form",
        "The string must match a pattern: `version` is semver (1.0.0), links start with http:// or \
        https://, icons end in .svg, keys and header names have no white space, and overview and \
        description are a single line.",
        Example::manifest(&[
            Member::set("/version", r#""1.0""#, r#""1.0.0""#),
        ])
    );

    INVALID_FORMAT(
        "LDH015",
        "invalid-format",
        Schema,
        Error,
        "a string that is not of the declared format",
        "The string must be of a named format; the manifest uses `email` for `supportEmail`, checked \
        as the framework's validator checks it (ajv 6's fast email check: ASCII local part, a domain \
        of letters, digits and hyphens).",
        Example::manifest(&[
            Member::set(
                "/supportEmail",
                r#""Support <support@pulseboard.example>""#,
                r#""support@pulseboard.example""#,
            ),
        ])
    );

    OUT_OF_RANGE(
        "LDH016",
        "out-of-range",
        Schema,
        Error,
        "a string, list or number too short, too long, too small or too large",
        "The schema bounds lengths and counts: `name` has 3 to 100 characters, `overview` 10 to 100, \
        `description` 50 to 2048, `categories` 1 to 3 entries, and so on. Lengths count characters \
        (Unicode code points), not bytes.",
        Example::manifest(&[
            Member::set("/name", r#""Pb""#, r#""Pulseboard""#),
        ])
    );

    DUPLICATE_ITEMS(
        "LDH017",
        "duplicate-items",
        Schema,
        Error,
        "a list that must not repeat an item does",
        "Lists such as `categories` must hold each value once.",
        Example::manifest(&[
            Member::set(
                "/categories",
                r#"["monitoring", "monitoring"]"#,
                r#"["monitoring", "notifications"]"#,
            ),
        ])
    );

    SCHEMA_MISMATCH(
        "LDH018",
        "schema-mismatch",
        Schema,
        Error,
        "a value that fits none of the shapes the schema allows",
        "The schema combines alternatives here (`anyOf`, `oneOf`, `not`, `if`/`then`, `contains`, …) \
        and the value satisfies none of them, or a rule the other schema findings do not name. The \
        message says which keyword failed.",
        Example::other(
            r#"manifest.json, checked with --schema against {"anyOf": [{"required": ["icons"]}, {"required": ["logo"]}]}"#,
            r#"(neither "icons" nor "logo")"#,
            r#""icons": {"square": "assets/square.svg", "horizontal": "assets/horizontal.svg"}"#,
        )
    );

    ICON_MISSING(
        "LDH101",
        "icon-missing",
        Framework,
        Error,
        "an icon named in `icons` does not exist",
        "The framework's suite checks that `icons.square` and `icons.horizontal` name files in the \
        integration directory; the integrations page shows them.",
        Example::manifest(&[
            Member::set("/icons/square", r#""assets/square-icon.svg""#, r#""assets/square.svg""#),
        ])
    );

    OVERVIEW_PERIOD(
        "LDH102",
        "overview-period",
        Framework,
        Error,
        "`overview` does not end with a period",
        "The framework's suite requires the one-line overview to end with a period, as the \
        integrations page shows it as a sentence.",
        Example::manifest(&[
            Member::set(
                "/overview",
                r#""Post LaunchDarkly flag changes to your Pulseboard change timeline""#,
                r#""Post LaunchDarkly flag changes to your Pulseboard change timeline.""#,
            ),
        ])
    );

    ENDPOINT_RENDER(
        "LDH103",
        "endpoint-render",
        Framework,
        Error,
        "the endpoint URL or a header value does not render",
        "The endpoint URL and header values are Handlebars templates rendered in strict mode with the \
        form variables at the top level, the event under `context` and `oauth`. A name that is not \
        there (a misspelt form variable, `oauth` without requiresOAuth) fails every delivery.",
        Example::manifest(&[
            Member::set(
                "/capabilities/auditLogEventsHook/endpoint/headers/1/value",
                r#""Bearer {{oauth.accessToken}}""#,
                r#""Bearer {{apiToken}}""#,
            ),
        ])
    );

    HMAC_SECRET_VARIABLE(
        "LDH104",
        "hmac-secret-variable",
        Framework,
        Error,
        "`hmacSignature` does not name a secret string form variable",
        "`hmacSignature.hmacSecretFormVariableKey` must be the key of a form variable of type \
        `string` with `isSecret: true`, which holds the signing secret.",
        Example::manifest(&[
            Member::set(
                "/capabilities/auditLogEventsHook/endpoint/hmacSignature",
                concat!(
                    r#"{"headerName": "X-LD-Signature","#,
                    "\n",
                    r#"  "hmacSecretFormVariableKey": "timelineId"}"#,
                ),
                concat!(
                    r#"{"headerName": "X-LD-Signature","#,
                    "\n",
                    r#"  "hmacSecretFormVariableKey": "apiToken"}"#,
                ),
            ),
        ])
    );

    OAUTH_KEY_DUPLICATE(
        "LDH105",
        "oauth-key-duplicate",
        Framework,
        Error,
        "two integrations of a checkout use the same `oauthIntegrationKey`",
        "OAuth clients are registered by `oauthIntegrationKey`, so it must be unique across the \
        integrations of the framework repository.",
        Example::other(
            "two integrations of one framework checkout",
            concat!(
                r#"integrations/pulseboard/manifest.json:     "oauthIntegrationKey": "pulseboard""#,
                "\n",
                r#"integrations/pulseboard-eu/manifest.json:  "oauthIntegrationKey": "pulseboard""#,
            ),
            concat!(
                r#"integrations/pulseboard/manifest.json:     "oauthIntegrationKey": "pulseboard""#,
                "\n",
                r#"integrations/pulseboard-eu/manifest.json:  "oauthIntegrationKey": "pulseboard-eu""#,
            ),
        )
    );

    ERROR_BODY_DYNAMIC_HOST(
        "LDH106",
        "error-body-dynamic-host",
        Framework,
        Error,
        "`includeErrorResponseBody` with a host the user can type",
        "LaunchDarkly shows endpoint error responses only for endpoints whose host is fixed, or chosen \
        from an `enum` form variable's `allowedValues`: a free-text host could point the error log at \
        anyone's server.",
        Example::manifest(&[
            Member::set(
                "/capabilities/auditLogEventsHook/endpoint/url",
                r#""https://{{timelineId}}.pulseboard.example/v2/events""#,
                r#""https://api.pulseboard.example/v2/timelines/{{pathEncode timelineId}}/events""#,
            ),
        ])
    );

    DEFAULT_VALUE(
        "LDH107",
        "default-value",
        Framework,
        Error,
        "a `defaultValue` on a form variable that is not optional, or of the wrong type",
        "A form variable with `defaultValue` must be `isOptional: true` (use `placeholder` to suggest \
        a value instead), and the default must be a string for string, uri, enum and dynamicEnum \
        variables and a boolean for boolean ones.",
        Example::manifest(&[
            Member::removed("/formVariables/1/defaultValue", r#""tl_8f2c""#),
            Member::added("/formVariables/1/placeholder", r#""tl_8f2c""#),
        ])
    );

    OPTIONAL_WITHOUT_DEFAULT(
        "LDH108",
        "optional-without-default",
        Framework,
        Error,
        "an optional form variable without a `defaultValue`",
        "The framework requires a `defaultValue` on every `isOptional: true` form variable, except \
        multiselect and environmentSelector ones.",
        Example::manifest(&[
            Member::set("/formVariables/1/isOptional", "true", "true"),
            Member::added("/formVariables/1/defaultValue", r#""tl_8f2c""#),
        ])
    );

    MULTISELECT_FIELDS(
        "LDH109",
        "multiselect-fields",
        Framework,
        Error,
        "a multiselect or environmentSelector variable with fields it may not have",
        "A `multiselect` variable needs `multiselectOptions` and may not have defaultValue, \
        dynamicOptions, allowedValues or isSecret; an `environmentSelector` may have none of those, \
        nor multiselect options.",
        Example::manifest(&[
            Member::set(
                "/formVariables/-",
                concat!(
                    r#"{"key": "envs", "name": "Environments", "type": "environmentSelector","#,
                    "\n",
                    r#"  "description": "Which environments to watch.", "allowedValues": ["production"]}"#,
                ),
                concat!(
                    r#"{"key": "envs", "name": "Environments", "type": "environmentSelector","#,
                    "\n",
                    r#"  "description": "Which environments to watch."}"#,
                ),
            ),
        ])
    );

    SECRET_NOT_STRING(
        "LDH110",
        "secret-not-string",
        Framework,
        Error,
        "`isSecret` on a form variable that is not a string",
        "Only `string` form variables may be secret.",
        Example::manifest(&[
            Member::set(
                "/formVariables/-",
                concat!(
                    r#"{"key": "verbose", "name": "Verbose", "type": "boolean","#,
                    "\n",
                    r#"  "description": "Send details.", "isSecret": true}"#,
                ),
                concat!(
                    r#"{"key": "verbose", "name": "Verbose", "type": "boolean","#,
                    "\n",
                    r#"  "description": "Send details."}"#,
                ),
            ),
        ])
    );

    DYNAMIC_ENUM_OPTIONS(
        "LDH111",
        "dynamic-enum-options",
        Framework,
        Error,
        "`dynamicOptions` without `dynamicEnum`, or the reverse",
        "A `dynamicEnum` form variable needs `dynamicOptions` to fetch its choices, and only \
        `dynamicEnum` variables may have them.",
        Example::manifest(&[
            Member::set("/formVariables/1/type", r#""dynamicEnum""#, r#""string""#),
        ])
    );

    OTHER_CAPABILITIES_MISSING(
        "LDH112",
        "other-capabilities-missing",
        Framework,
        Error,
        "a manifest without `capabilities` has no `otherCapabilities`",
        "An integration that declares no capabilities must say what it does in `otherCapabilities`. \
        As in the framework's suite, `aiconfig-test-run` is exempt.",
        Example::manifest(&[
            Member::absent("/capabilities"),
            Member::added("/otherCapabilities", r#"["webhooks"]"#),
        ])
    );

    TEMPLATE_MISSING(
        "LDH113",
        "template-missing",
        Framework,
        Error,
        "a template named in `templates` does not exist",
        "Every path under `capabilities.auditLogEventsHook.templates` must name a file in the \
        integration directory.",
        Example::manifest(&[
            Member::set(
                "/capabilities/auditLogEventsHook/templates/flag",
                r#""templates/flags.json.hbs""#,
                r#""templates/flag.json.hbs""#,
            ),
        ])
    );

    TEMPLATE_SYNTAX(
        "LDH114",
        "template-syntax",
        Framework,
        Error,
        "a template is not valid Handlebars",
        "The template does not compile with Handlebars.js 4.7: an unclosed block, a mismatched close \
        tag, a stray `{{else}}`. The finding gives the template's line and column.",
        Example::template(
            "templates/flag.json.hbs",
            concat!(r#"{"title": "{{#if title}}{{{title.plainText}}}"}"#, "\n"),
            concat!(r#"{"title": "{{#if title}}{{{title.plainText}}}{{/if}}"}"#, "\n"),
        )
    );

    TEMPLATE_RENDER(
        "LDH115",
        "template-render",
        Framework,
        Error,
        "a template fails to render for an event it must handle",
        "Templates render in strict mode: a mustache naming a field the event lacks is an error. This \
        finding covers the pairs the framework's suite renders (flag, project, environment and member \
        templates with events of their kind, default with flag events, validation with environment \
        events) and every event the integration's `defaultPolicy` delivers to the template.",
        Example::template(
            "templates/flag.json.hbs",
            concat!(r#"{"env": "{{{project.environment.colour}}}"}"#, "\n"),
            concat!(r#"{"env": "{{{project.environment.name}}}"}"#, "\n"),
        )
    );

    TEMPLATE_RENDER_UNDELIVERED(
        "LDH116",
        "template-render-undelivered",
        Framework,
        Warning,
        "a template fails for an event its default policy does not deliver",
        "Routing would send this event to the template, but the `defaultPolicy` does not deliver it, \
        so only a user who widens the policy when installing meets the failure (LaunchDarkly's \
        renderer then leaves the missing field empty rather than failing). Guard the field with \
        `{{#if …}}` if the template should serve such events.",
        Example::template(
            "templates/default.json.hbs",
            concat!(r#"{"key": "{{{key}}}"}"#, "\n"),
            concat!(r#"{"key": "{{#if key}}{{{key}}}{{/if}}"}"#, "\n"),
        )
    );

    TEMPLATE_INVALID_JSON(
        "LDH117",
        "template-invalid-json",
        Framework,
        Error,
        "a JSON template renders text that is not JSON",
        "Templates named `.json` or `.json.hbs` must render valid JSON for every event they handle, \
        as the framework's suite parses them; the finding sits at the tag that wrote the byte where \
        parsing stopped and shows the parser's message and the line of output. When the tag broke \
        it by HTML-escaping a `\"` in the event's text (`{{name}}` inside a JSON string), the \
        finding says so and gives the triple-stash fix, and html-escape-in-json does not report \
        that tag again.",
        Example::template(
            "templates/flag.json.hbs",
            concat!(r#"{"title": {{{title.plainText}}} }"#, "\n"),
            concat!(r#"{"title": "{{{title.plainText}}}"}"#, "\n"),
        )
    );

    TEMPLATE_EMPTY_OUTPUT(
        "LDH118",
        "template-empty-output",
        Framework,
        Error,
        "the validation or member template renders nothing",
        "The framework's suite requires the `validation` and `member` templates to render non-blank \
        output.",
        Example::template(
            "templates/member.txt.hbs",
            "{{{project.name}}}\n",
            "{{{title.plainText}}}\n",
        )
    );

    STANDARD_PAYLOAD_TEMPLATES(
        "LDH119",
        "standard-payload-templates",
        Framework,
        Error,
        "templates alongside `useStandardWebhookPayload`",
        "With `useStandardWebhookPayload: true` LaunchDarkly sends its standard webhook payload: no \
        template may be named and the integration may have no `templates/` directory.",
        Example::manifest(&[
            Member::set(
                "/capabilities/auditLogEventsHook/useStandardWebhookPayload",
                "true",
                "false",
            ),
        ])
    );

    ENDPOINT_HEADERS_MISSING(
        "LDH120",
        "endpoint-headers-missing",
        Framework,
        Error,
        "an endpoint without `headers`",
        "The schema does not require `headers`, but the framework's suite and preview read \
        `endpoint.headers` and fail without it. Give at least the Content-Type header.",
        Example::manifest(&[
            Member::added(
                "/capabilities/auditLogEventsHook/endpoint/headers",
                r#"[{"name": "Content-Type", "value": "application/json"}]"#,
            ),
        ])
    );

    BROKEN_SYMLINK(
        "LDH121",
        "broken-symlink",
        Framework,
        Error,
        "a symbolic link in the integration that points at nothing",
        "The framework's CI runs pre-commit's `check-symlinks` hook over every file of the \
        repository: a symbolic link whose target does not exist fails it. The finding names the \
        link and where it points.",
        Example::other(
            "a file of the integration directory",
            "assets/square.svg -> ../../../shared/square.svg (no such file)",
            "assets/square.svg, a file",
        )
    );

    TRAILING_WHITESPACE(
        "LDH122",
        "trailing-whitespace",
        Framework,
        Error,
        "a line of a text file ends with spaces or tabs",
        "The framework's CI runs pre-commit's `trailing-whitespace` hook (pre-commit-hooks v2.4.0, \
        no options) over every text file: spaces, tabs, vertical tabs, form feeds and a `\\r` \
        before the line end fail it, in Markdown too. The finding marks the whitespace; \
        `ldhook validate --fix` removes it. In a template that changes what the template \
        renders, so the fix is checked like every other.",
        Example::template(
            "templates/flag.json.hbs",
            "{\"title\": \"{{{title.plainText}}}\"}  \n",
            "{\"title\": \"{{{title.plainText}}}\"}\n",
        )
    );

    FINAL_NEWLINE(
        "LDH123",
        "final-newline",
        Framework,
        Error,
        "a text file does not end with exactly one line break",
        "The framework's CI runs pre-commit's `end-of-file-fixer` hook over every text file: a \
        file that is not empty must end with one line break (LF, CRLF or CR), not none and not \
        blank lines; a file of nothing but line breaks must be empty. `ldhook validate --fix` \
        adds or removes them as the hook would.",
        Example::template(
            "templates/flag.json.hbs",
            "{\"title\": \"{{{title.plainText}}}\"}",
            "{\"title\": \"{{{title.plainText}}}\"}\n",
        )
    );

    LARGE_FILE(
        "LDH124",
        "large-file",
        Framework,
        Error,
        "a file over 500 KiB",
        "The framework's pre-commit configuration runs `check-added-large-files` with its default \
        limit: a file whose size, rounded up to whole KiB, is over 500 KiB cannot be committed. \
        Icons are the usual cause; an SVG exported with embedded bitmaps can be shrunk or \
        simplified. Such a file is not read for the other checks.",
        Example::other(
            "a file of the integration directory",
            "assets/horizontal.svg, 2.1 MiB",
            "assets/horizontal.svg, 12 KiB",
        )
    );

    PRETTIER_FORMAT(
        "LDH125",
        "prettier-format",
        Framework,
        Error,
        "a JSON file that Prettier would reformat",
        "The framework's CI runs `prettier --list-different` (Prettier 2.2.1 with its \
        `.prettierrc`) over every `.json` file, so a manifest or JSON file of an integration \
        must be exactly as Prettier prints it. `ldhook fmt --check` is that check for any \
        paths; this rule is the same check inside `validate`, reported only when selected by \
        its id or name (`--select LDH125`; a group or `all` does not select it) and always by \
        `--fix`, which formats the file as `ldhook fmt` does.",
        Example::manifest_text(
            "\"categories\": [\n    \"monitoring\",\n    \"notifications\"\n  ],",
            "\"categories\": [\"monitoring\", \"notifications\"],",
        )
    );

    PATH_ESCAPES(
        "LDH201",
        "path-escapes",
        Ldhook,
        Error,
        "a template or icon path that leads outside the integration directory",
        "Paths in the manifest are relative to the integration directory. A path with `..`, an \
        absolute path, or one through a symbolic link that points elsewhere would make the \
        integration depend on files outside its directory, which a pull request may not touch; \
        ldhook never reads such a file.",
        Example::manifest(&[
            Member::set(
                "/capabilities/auditLogEventsHook/templates/flag",
                r#""../shared/flag.json.hbs""#,
                r#""templates/flag.json.hbs""#,
            ),
        ])
    );

    ICON_NOT_SVG(
        "LDH202",
        "icon-not-svg",
        Ldhook,
        Error,
        "an icon file that is not an SVG image",
        "The integrations page renders icons as SVG. A file named .svg that is empty, is a PNG, or has \
        no `<svg>` root element shows as a broken image.",
        Example::icon(
            "assets/square.svg",
            r#"<html><body><img src="square.png"></body></html>"#,
            r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64"/></svg>"#,
        )
    );

    UNUSED_FORM_VARIABLE(
        "LDH203",
        "unused-form-variable",
        Ldhook,
        Warning,
        "a form variable no template, URL or header uses",
        "Users are asked for every form variable when they install the integration; one that nothing \
        reads is a question with no purpose, or a sign that a template misspells it.",
        Example::manifest(&[
            Member::removed(
                "/formVariables/-",
                concat!(
                    r#"{"key": "region", "name": "Region", "type": "string","#,
                    "\n",
                    r#"  "description": "Your Pulseboard region."}"#,
                ),
            ),
        ])
    );

    UNDEFINED_FORM_VARIABLE(
        "LDH204",
        "undefined-form-variable",
        Ldhook,
        Error,
        "a template uses a form variable the manifest does not define",
        "`formVariables.<key>` in a body template, or a top-level name in the endpoint URL or a header, \
        names no form variable. In a plain mustache strict mode fails; inside `{{#if}}` it is silently \
        false, which is why this rule looks for it.",
        Example::template(
            "templates/flag.json.hbs",
            concat!(r#"{"timeline": "{{{formVariables.timeline}}}"}"#, "\n"),
            concat!(r#"{"timeline": "{{{formVariables.timelineId}}}"}"#, "\n"),
        )
    );

    INSECURE_ENDPOINT(
        "LDH205",
        "insecure-endpoint",
        Ldhook,
        Warning,
        "a fixed endpoint URL that is not https",
        "Audit-log events carry change details and often credentials in headers; a fixed `http://` \
        endpoint sends them in clear text.",
        Example::manifest(&[
            Member::set(
                "/capabilities/auditLogEventsHook/endpoint/url",
                r#""http://api.pulseboard.example/v2/timelines/{{pathEncode timelineId}}/events""#,
                r#""https://api.pulseboard.example/v2/timelines/{{pathEncode timelineId}}/events""#,
            ),
        ])
    );

    POLICY_STATEMENT_MATCHES_NOTHING(
        "LDH206",
        "policy-statement-matches-nothing",
        Ldhook,
        Warning,
        "a `defaultPolicy` statement that can match nothing",
        "An empty `actions` or `resources` list, or `notActions`/`notResources` of `*`, makes the \
        statement match no event: it has no effect.",
        Example::manifest(&[
            Member::set(
                "/capabilities/auditLogEventsHook/defaultPolicy/1/resources",
                "[]",
                r#"["proj/*:env/production:segment/*"]"#,
            ),
        ])
    );

    POLICY_DELIVERS_NOTHING(
        "LDH207",
        "policy-delivers-nothing",
        Ldhook,
        Warning,
        "a `defaultPolicy` that delivers none of the sample events",
        "No sample event passes the policy, so a user who installs the integration with its defaults \
        may receive nothing. Check the resource specifiers (proj/*:env/production:flag/*) and \
        actions.",
        Example::manifest(&[
            Member::set(
                "/capabilities/auditLogEventsHook/defaultPolicy",
                concat!(
                    "[",
                    "\n",
                    r#"  {"effect": "allow", "resources": ["proj/production:env/*:flag/*"], "actions": ["*"]}"#,
                    "\n",
                    "]",
                ),
                concat!(
                    "[",
                    "\n",
                    r#"  {"effect": "allow", "resources": ["proj/*:env/production:flag/*"], "actions": ["*"]}"#,
                    "\n",
                    "]",
                ),
            ),
        ])
    );

    TEMPLATE_UNREACHABLE(
        "LDH208",
        "template-unreachable",
        Ldhook,
        Warning,
        "a template no delivered event reaches",
        "Routing sends no sample event to this template, or the `defaultPolicy` delivers none of the \
        events routed to it. The `validation` template is exempt: the test button sends it.",
        Example::manifest(&[
            Member::added(
                "/capabilities/auditLogEventsHook/defaultPolicy/1",
                r#"{"effect": "allow", "resources": ["proj/*:env/production:segment/*"], "actions": ["*"]}"#,
            ),
        ])
    );

    DUPLICATE_HEADER(
        "LDH209",
        "duplicate-header",
        Ldhook,
        Error,
        "a header set twice",
        "Two endpoint headers share a name (compared without case). Which one the receiver sees \
        depends on its HTTP stack.",
        Example::manifest(&[
            Member::set(
                "/capabilities/auditLogEventsHook/endpoint/headers/1/name",
                r#""content-type""#,
                r#""Authorization""#,
            ),
        ])
    );

    CONTENT_TYPE_MISSING(
        "LDH210",
        "content-type-missing",
        Ldhook,
        Warning,
        "a JSON body without a Content-Type header",
        "The integration renders JSON bodies but sends no `Content-Type` header; many receivers \
        reject or misread a body without one. Send `Content-Type: application/json`. (A header that \
        is present but names another type is `content-type-not-json`.)",
        Example::manifest(&[
            Member::set(
                "/capabilities/auditLogEventsHook/endpoint/headers/0",
                r#"{"name": "Accept", "value": "application/json"}"#,
                r#"{"name": "Content-Type", "value": "application/json"}"#,
            ),
        ])
    );

    POLICY_INVALID(
        "LDH211",
        "policy-invalid",
        Ldhook,
        Error,
        "a `defaultPolicy` statement that cannot be evaluated",
        "A resource specifier that does not parse (`proj/` without a key, a type with `*`), or a \
        statement with both a list and its `not` form filled: LaunchDarkly's API refuses such \
        statements.",
        Example::manifest(&[
            Member::set(
                "/capabilities/auditLogEventsHook/defaultPolicy/0/resources/0",
                r#""proj/:env/production:flag/*""#,
                r#""proj/*:env/production:flag/*""#,
            ),
        ])
    );

    SECRET_IN_URL(
        "LDH212",
        "secret-in-url",
        Ldhook,
        Warning,
        "a secret form variable in the endpoint URL",
        "URLs end up in proxy and server logs; put secrets in a header instead.",
        Example::manifest(&[
            Member::set(
                "/capabilities/auditLogEventsHook/endpoint/url",
                r#""https://api.pulseboard.example/v2/timelines/{{pathEncode timelineId}}/events?token={{apiToken}}""#,
                r#""https://api.pulseboard.example/v2/timelines/{{pathEncode timelineId}}/events""#,
            ),
        ])
    );

    CONTENT_TYPE_NOT_JSON(
        "LDH213",
        "content-type-not-json",
        Ldhook,
        Warning,
        "a JSON body sent with a Content-Type that is not JSON",
        "The integration renders JSON bodies but declares another `Content-Type` (say \
        `text/plain` or `application/x-www-form-urlencoded`); LaunchDarkly sends the type you \
        declare, and many receivers reject or misread JSON sent as something else. Declare \
        `application/json`, or a type that names JSON such as `application/vnd.api+json`.",
        Example::manifest(&[
            Member::set(
                "/capabilities/auditLogEventsHook/endpoint/headers/0/value",
                r#""text/plain""#,
                r#""application/json""#,
            ),
        ])
    );

    ENDPOINT_URL_INVALID(
        "LDH214",
        "endpoint-url-invalid",
        Ldhook,
        Error,
        "an endpoint URL that is not an absolute http(s) URL",
        "LaunchDarkly sends each event to the endpoint URL, which must start with `http://` or \
        `https://` and a host (`hooks.example/v1`, `htps://…` and a space in the host all fail). \
        Only what the manifest fixes is judged: literal text as written; a URL that starts with \
        a form variable is accepted when the variable is a `uri`, checked through each of its \
        `allowedValues` when it is an `enum`, and not judged when it is a plain string.",
        Example::manifest(&[
            Member::set(
                "/capabilities/auditLogEventsHook/endpoint/url",
                r#""api.pulseboard.example/v2/timelines/{{pathEncode timelineId}}/events""#,
                r#""https://api.pulseboard.example/v2/timelines/{{pathEncode timelineId}}/events""#,
            ),
        ])
    );

    POLICY_UNKNOWN_RESOURCE_TYPE(
        "LDH215",
        "policy-unknown-resource-type",
        Ldhook,
        Error,
        "a `defaultPolicy` resource of a type LaunchDarkly does not define",
        "A resource specifier is a chain of `type/name` segments whose types LaunchDarkly defines \
        (`proj`, `env`, `flag`, `segment`, `metric`, `member`, …); a misspelt type (`flags/*`, \
        `projects/*`, `environment/*`) matches nothing, so the hook silently receives no events. \
        The finding suggests the type meant; what the broken policy would deliver is not \
        reported beside it.",
        Example::manifest(&[
            Member::set(
                "/capabilities/auditLogEventsHook/defaultPolicy/0/resources/0",
                r#""proj/*:env/production:flags/*""#,
                r#""proj/*:env/production:flag/*""#,
            ),
        ])
    );

    EQUAL_ELSE(
        "LDH216",
        "equal-else",
        Ldhook,
        Warning,
        "an `{{else}}` in an `{{#equal}}` block",
        "The framework's helper file says its production renderer is a Go Handlebars whose `equal` \
        helper has no else: the preview and ldhook render the `{{else}}` branch, LaunchDarkly will \
        not. Use `equalWithElse`, which has one in both.",
        Example::template(
            "templates/flag.json.hbs",
            concat!(r#"{"on": {{#equal verbKind "updateOn"}}true{{else}}false{{/equal}} }"#, "\n"),
            concat!(r#"{"on": {{#equalWithElse verbKind "updateOn"}}true{{else}}false{{/equalWithElse}} }"#, "\n"),
        )
    );

    HTML_ESCAPE_IN_JSON(
        "LDH217",
        "html-escape-in-json",
        Ldhook,
        Warning,
        "a `{{…}}` that HTML-escapes event text inside a JSON string",
        "Inside a JSON string, `{{name}}` HTML-escapes the value: an event's `'`, `&`, `<`, `>`, `=` \
        and `` ` `` arrive as `&#x27;` and the like, and a `\"` (already JSON-escaped) becomes \
        `\\&quot;`, which is not JSON at all. Use `{{{name}}}`: event strings are JSON-escaped \
        before a JSON template sees them, so the raw form is safe there. When a sample event's \
        output does break the JSON this way, that is template-invalid-json (LDH117), an error of \
        the framework's suite, at the same tag. Fields whose values cannot hold such \
        characters (keys, ids, `kind`, `verbKind`, timestamps) are not flagged. Form variables are not JSON-escaped, so for them \
        `{{{…}}}` would break on a `\"` instead; the finding says so and offers no fix.",
        Example::template(
            "templates/flag.json.hbs",
            concat!(r#"{"who": "{{member.displayName}}"}"#, "\n"),
            concat!(r#"{"who": "{{{member.displayName}}}"}"#, "\n"),
        )
    );

    UNUSED_SUPPRESSION(
        "LDH218",
        "unused-suppression",
        Ldhook,
        Warning,
        "an `ldhook-ignore` comment that silences nothing",
        "A template may silence a rule for itself with a comment, `{{!-- ldhook-ignore LDH208: why --}}` \
        (several rules: `ldhook-ignore LDH208, LDH217: why`; ids or names). It silences that rule's \
        findings in the template file and on the manifest member that names the template. A \
        suppression that silences nothing, or names no rule ldhook knows, is reported here, as \
        ruff's RUF100 does, so that a suppression does not outlive the finding it was written for; \
        the fix removes it. JSON has no comments: to silence a finding in a manifest, use \
        `[per-integration.<key>] ignore` in ldhook.toml.",
        Example::template(
            "templates/flag.json.hbs",
            concat!(r#"{{!-- ldhook-ignore LDH217: nothing is escaped here --}}{"who": "{{{member.displayName}}}"}"#, "\n"),
            concat!(r#"{"who": "{{{member.displayName}}}"}"#, "\n"),
        )
    );

    PAYLOAD_SNAPSHOT(
        "LDH219",
        "payload-snapshot",
        Ldhook,
        Error,
        "a request that differs from the integration's payload snapshot",
        "`ldhook snapshot` writes the request every sample event renders (method, URL, headers \
        with secrets masked, body) into one file per integration, so that a pull request shows \
        what a template change does to every payload. With `validate --snapshots` (or \
        `snapshots = true` in ldhook.toml) each request that renders differently from that file, \
        each event the file lacks and each one it has that is gone is a finding at the file's \
        section for it, with the template as a related place and the diff as help; no snapshot \
        at all is one finding. `ldhook snapshot --update` writes the file anew once the change \
        is meant.",
        Example::other(
            ".ldhook/payloads/<key>.snap, while templates/flag.json.hbs now writes `headline`",
            "## flag/update\n…\n{\n  \"title\": \"Marcus Lee updated the flag …\"\n}",
            "## flag/update\n…\n{\n  \"headline\": \"Marcus Lee updated the flag …\"\n}",
        )
    );
}
