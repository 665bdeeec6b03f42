//! The broken-integration suite: for every rule, a small integration that trips that rule and
//! nothing else, built from the clean example by one change. The clean example itself trips
//! nothing, so each case shows both sides of its rule. Each rule is its own test, and the
//! registry says which rules there must be.

mod common;

use std::collections::BTreeSet;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

use common::{EXAMPLE, copy_dir, edit_manifest, ldhook};
use ldhook::diagnostics::Severity;
use ldhook::registry::{ALL, Rule};
use serde_json::{Value, json};

/// What `validate` is given: a copy of the example in a temporary directory (or a framework
/// checkout around copies of it), and any flags the case needs.
struct Fixture {
    _root: tempfile::TempDir,
    /// The integration the case changes.
    dir: PathBuf,
    /// The path `validate` checks; finding places are relative to it.
    target: PathBuf,
    args: Vec<OsString>,
}

/// What one run of `validate` found.
struct Run {
    code: Option<i32>,
    /// `rule severity file:line:column #pointer` for each finding, in report order.
    findings: Vec<String>,
}

impl Fixture {
    fn new() -> Fixture {
        let root = tempfile::tempdir().expect("temp dir");
        let dir = root.path().join("pulseboard");
        copy_dir(Path::new(EXAMPLE), &dir);
        Fixture {
            _root: root,
            target: dir.clone(),
            dir,
            args: Vec::new(),
        }
    }

    /// A framework checkout (a root schema beside `integrations/`) with a copy of the example
    /// under each of `keys`, each changed by `change`.
    fn checkout(keys: &[&str], change: impl Fn(&mut Value)) -> Fixture {
        let root = tempfile::tempdir().expect("temp dir");
        std::fs::write(root.path().join("manifest.schema.json"), "{}").expect("schema");
        for key in keys {
            let dir = root.path().join("integrations").join(key);
            copy_dir(Path::new(EXAMPLE), &dir);
            edit_manifest(&dir, &change);
        }
        let first = keys.first().expect("one integration at least");
        Fixture {
            dir: root.path().join("integrations").join(first),
            target: root.path().to_path_buf(),
            _root: root,
            args: Vec::new(),
        }
    }

    fn edit(self, change: impl FnOnce(&mut Value)) -> Self {
        edit_manifest(&self.dir, change);
        self
    }

    fn write(self, relative: &str, text: &str) -> Self {
        let path = self.dir.join(relative);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
        self
    }

    #[cfg(unix)]
    fn link(self, relative: &str, target: &str) -> Self {
        std::os::unix::fs::symlink(target, self.dir.join(relative)).expect("symlink");
        self
    }

    fn select(mut self, rule: &str) -> Self {
        self.args.extend(["--select".into(), rule.into()]);
        self
    }

    fn remove(self, relative: &str) -> Self {
        std::fs::remove_file(self.dir.join(relative)).expect("remove");
        self
    }

    /// Validates against the schema at `relative` in the integration, with the schema rules
    /// only.
    fn against_schema(mut self, relative: &str) -> Self {
        let schema = self.dir.join(relative);
        self.args.extend([
            "--schema".into(),
            schema.into_os_string(),
            "--select".into(),
            "schema".into(),
        ]);
        self
    }

    /// The findings as `validate` places them, and their messages.
    fn validate_with_messages(&self) -> (Vec<String>, Vec<String>) {
        let report = self.report().1;
        let diagnostics = report["diagnostics"].as_array().expect("list");
        let messages = diagnostics
            .iter()
            .map(|d| d["message"].as_str().expect("message").to_string())
            .collect();
        (
            diagnostics.iter().map(|d| self.finding(d)).collect(),
            messages,
        )
    }

    fn report(&self) -> (Option<i32>, Value) {
        let output = ldhook()
            .arg("validate")
            .arg(&self.target)
            .args(["--format", "json"])
            .args(&self.args)
            .output()
            .expect("runs");
        let report: Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|_| {
            panic!(
                "JSON report, got {}",
                String::from_utf8_lossy(&output.stderr)
            )
        });
        (output.status.code(), report)
    }

    fn validate(&self) -> Run {
        let (code, report) = self.report();
        let findings = report["diagnostics"]
            .as_array()
            .expect("list")
            .iter()
            .map(|d| self.finding(d))
            .collect();
        Run { code, findings }
    }

    fn finding(&self, diagnostic: &Value) -> String {
        let text = |field: &str| diagnostic[field].as_str().expect(field).to_string();
        let pointer = diagnostic["pointer"]
            .as_str()
            .map_or(String::new(), |pointer| format!(" #{pointer}"));
        let related = diagnostic["related"]
            .as_array()
            .expect("related")
            .iter()
            .fold(String::new(), |mut related, place| {
                let file = self.relative(place["file"].as_str().expect("file"));
                related.push_str(&format!(" ~ {file}:{}:{}", place["line"], place["column"]));
                related
            });
        format!(
            "{} {} {}:{}:{}{pointer}{related}",
            text("rule"),
            text("severity"),
            self.relative(&text("file")),
            diagnostic["line"],
            diagnostic["column"]
        )
    }

    fn relative(&self, file: &str) -> String {
        Path::new(file)
            .strip_prefix(&self.target)
            .map_or(file.to_string(), |relative| relative.display().to_string())
    }
}

/// One row of the table: the rule a fixture must trip, alone, with the severity and places
/// (`file:line:column #pointer`, relative to what is validated) its findings must carry.
struct Case {
    rule: &'static str,
    severity: Severity,
    places: &'static [&'static str],
}

impl Case {
    fn check(&self, fixture: Fixture) {
        let registered = registered(self.rule);
        assert_eq!(
            registered.severity, self.severity,
            "the table and the registry disagree on the severity of {}",
            self.rule
        );
        let expected: Vec<String> = self
            .places
            .iter()
            .map(|place| format!("{} {} {place}", self.rule, self.severity.as_str()))
            .collect();
        let run = fixture.validate();
        assert_eq!(
            run.findings, expected,
            "{} should be the only finding, with its severity and place",
            self.rule
        );
        // Warnings alone do not fail `validate`.
        let code = match self.severity {
            Severity::Error => 1,
            Severity::Warning => 0,
        };
        assert_eq!(run.code, Some(code), "{}", self.rule);
    }
}

fn registered(id: &str) -> &'static Rule {
    ALL.iter()
        .copied()
        .find(|rule| rule.id == id)
        .unwrap_or_else(|| panic!("{id} is not in the registry"))
}

/// One test per row, and the list of rows the completeness test holds against the registry.
macro_rules! rule_table {
    ($($test:ident: $rule:literal $severity:ident at [$($place:literal),+ $(,)?] by $fixture:expr;)+) => {
        $(
            #[test]
            fn $test() {
                Case {
                    rule: $rule,
                    severity: Severity::$severity,
                    places: &[$($place),+],
                }
                .check($fixture);
            }
        )+

        /// The rules the table has a row for, in table order.
        const TABLE: &[&str] = &[$($rule),+];
    };
}

fn hook(m: &mut Value) -> &mut Value {
    &mut m["capabilities"]["auditLogEventsHook"]
}

fn remove_key(object: &mut Value, key: &str) {
    drop(object.as_object_mut().expect("object").shift_remove(key));
}

fn push(list: &mut Value, item: Value) {
    list.as_array_mut().expect("list").push(item);
}

rule_table! {
    ldh001_invalid_json: "LDH001" Error at ["manifest.json:1:13"]
        by Fixture::new().write("manifest.json", "{\"name\": \"x\",}");

    ldh010_unknown_property: "LDH010" Error at ["manifest.json:81:3 #"]
        by Fixture::new().edit(|m| m["colour"] = json!("blue"));

    ldh011_missing_property: "LDH011" Error at ["manifest.json:1:1 #"]
        by Fixture::new().edit(|m| remove_key(m, "author"));

    ldh012_wrong_type: "LDH012" Error
        at ["manifest.json:78:35 #/capabilities/auditLogEventsHook/includeErrorResponseBody"]
        by Fixture::new().edit(|m| hook(m)["includeErrorResponseBody"] = json!("yes"));

    ldh013_invalid_value: "LDH013" Error at ["manifest.json:15:5 #/categories/1"]
        by Fixture::new().edit(|m| m["categories"] = json!(["monitoring", "alerts"]));

    ldh014_pattern_mismatch: "LDH014" Error at ["manifest.json:9:13 #/links/site"]
        by Fixture::new().edit(|m| m["links"]["site"] = json!("ftp://pulseboard.example"));

    ldh015_invalid_format: "LDH015" Error at ["manifest.json:7:19 #/supportEmail"]
        by Fixture::new()
            .edit(|m| m["supportEmail"] = json!("Support <support@pulseboard.example>"));

    ldh016_out_of_range: "LDH016" Error at ["manifest.json:2:11 #/name"]
        by Fixture::new().edit(|m| m["name"] = json!("Pb"));

    ldh017_duplicate_items: "LDH017" Error at ["manifest.json:13:17 #/categories"]
        by Fixture::new().edit(|m| m["categories"] = json!(["monitoring", "monitoring"]));

    // A schema of the integration's own that combines shapes.
    ldh018_schema_mismatch: "LDH018" Error at ["manifest.json:1:1 #"]
        by Fixture::new()
            .write(
                "strict.schema.json",
                r#"{"oneOf": [{"required": ["mascot"]}, {"required": ["logo"]}]}
"#,
            )
            .against_schema("strict.schema.json");

    ldh101_icon_missing: "LDH101" Error at ["manifest.json:15:15 #/icons/square"]
        by Fixture::new().remove("assets/square.svg");

    ldh102_overview_period: "LDH102" Error at ["manifest.json:4:15 #/overview"]
        by Fixture::new()
            .edit(|m| m["overview"] = json!("Post LaunchDarkly flag changes to your timeline"));

    ldh103_endpoint_render: "LDH103" Error
        at ["manifest.json:49:22 #/capabilities/auditLogEventsHook/endpoint/headers/1/value"]
        by Fixture::new().edit(|m| {
            hook(m)["endpoint"]["headers"][1]["value"] =
                json!("Bearer {{apiToken}} {{oauth.accessToken}}");
        });

    ldh104_hmac_secret_variable: "LDH104" Error
        at ["manifest.json:54:40 #/capabilities/auditLogEventsHook/endpoint/hmacSignature/hmacSecretFormVariableKey"]
        by Fixture::new().edit(|m| {
            hook(m)["endpoint"]["hmacSignature"] =
                json!({"headerName": "X-LD-Signature", "hmacSecretFormVariableKey": "timelineId"});
        });

    // Two integrations of one checkout.
    ldh105_oauth_key_duplicate: "LDH105" Error
        at [
            "integrations/one/manifest.json:81:26 #/oauthIntegrationKey",
            "integrations/two/manifest.json:81:26 #/oauthIntegrationKey",
        ]
        by Fixture::checkout(&["one", "two"], |m| {
            m["oauthIntegrationKey"] = json!("shared-client");
        });

    ldh106_error_body_dynamic_host: "LDH106" Error
        at ["manifest.json:78:35 #/capabilities/auditLogEventsHook/includeErrorResponseBody"]
        by Fixture::new().edit(|m| {
            hook(m)["endpoint"]["url"] =
                json!("https://{{timelineId}}.pulseboard.example/v2/events");
        });

    ldh107_default_value: "LDH107" Error at ["manifest.json:35:7 #/formVariables/1/defaultValue"]
        by Fixture::new().edit(|m| m["formVariables"][1]["defaultValue"] = json!("tl_1"));

    ldh108_optional_without_default: "LDH108" Error
        at ["manifest.json:35:21 #/formVariables/1/isOptional"]
        by Fixture::new().edit(|m| m["formVariables"][1]["isOptional"] = json!(true));

    ldh109_multiselect_fields: "LDH109" Error
        at ["manifest.json:41:7 #/formVariables/2/allowedValues"]
        by Fixture::new().edit(|m| {
            push(&mut m["formVariables"], json!({
                "key": "envs", "name": "Environments", "type": "environmentSelector",
                "description": "Which environments to watch.", "allowedValues": ["production"]
            }));
            hook(m)["endpoint"]["headers"][0]["value"] =
                json!("application/json{{#if envs}}{{/if}}");
        });

    ldh110_secret_not_string: "LDH110" Error at ["manifest.json:41:19 #/formVariables/2/isSecret"]
        by Fixture::new().edit(|m| {
            push(&mut m["formVariables"], json!({
                "key": "verbose", "name": "Verbose", "type": "boolean",
                "description": "Send details.", "isSecret": true
            }));
            hook(m)["endpoint"]["headers"][0]["value"] =
                json!("application/json{{#if verbose}}{{/if}}");
        });

    ldh111_dynamic_enum_options: "LDH111" Error
        at ["manifest.json:35:7 #/formVariables/1/dynamicOptions"]
        by Fixture::new().edit(|m| m["formVariables"][1]["dynamicOptions"] = json!({
            "endpoint": {
                "url": "https://api.pulseboard.example/v2/timelines", "method": "GET", "headers": []
            },
            "parser": {"optionsPath": "/data", "optionsItems": {"label": "/name", "value": "/id"}}
        }));

    ldh112_other_capabilities_missing: "LDH112" Error at ["manifest.json:1:1 #"]
        by Fixture::new()
            .edit(|m| remove_key(m, "capabilities"))
            .edit(|m| remove_key(m, "formVariables"));

    ldh113_template_missing: "LDH113" Error
        at ["manifest.json:54:17 #/capabilities/auditLogEventsHook/templates/flag"]
        by Fixture::new()
            .edit(|m| hook(m)["templates"]["flag"] = json!("templates/flags.json.hbs"));

    ldh114_template_syntax: "LDH114" Error
        at ["templates/flag.json.hbs:2:1 ~ manifest.json:51:17"]
        by Fixture::new().write(
            "templates/flag.json.hbs",
            "{\"title\": \"{{#if title}}{{title.plainText}}\"}\n",
        );

    ldh115_template_render: "LDH115" Error
        at ["templates/flag.json.hbs:1:13 ~ manifest.json:51:17"]
        by Fixture::new().write(
            "templates/flag.json.hbs",
            "{\"env\": \"{{{project.environment.colour}}}\"}\n",
        );

    ldh116_template_render_undelivered: "LDH116" Warning
        at ["templates/default.json.hbs:1:13 ~ manifest.json:52:20"]
        by Fixture::new().write(
            "templates/default.json.hbs",
            "{\"key\": \"{{{key}}}\", \"title\": \"{{{title.plainText}}}\"}\n",
        );

    ldh117_template_invalid_json: "LDH117" Error
        at ["templates/flag.json.hbs:1:11 ~ manifest.json:51:17"]
        by Fixture::new().write("templates/flag.json.hbs", "{\"title\": {{{title.plainText}}} }\n");

    ldh118_template_empty_output: "LDH118" Error
        at ["templates/member.txt.hbs:1:1 ~ manifest.json:57:19"]
        by Fixture::new()
            .edit(|m| {
                hook(m)["templates"]["member"] = json!("templates/member.txt.hbs");
                push(
                    &mut hook(m)["defaultPolicy"],
                    json!({"effect": "allow", "resources": ["member/*"], "actions": ["*"]}),
                );
            })
            .write("templates/member.txt.hbs", "{{#if nothing}}{{nothing}}{{/if}}\n");

    ldh119_standard_payload_templates: "LDH119" Error
        at [
            "manifest.json:53:20 #/capabilities/auditLogEventsHook/templates",
            "manifest.json:79:36 #/capabilities/auditLogEventsHook/useStandardWebhookPayload",
        ]
        by Fixture::new().edit(|m| hook(m)["useStandardWebhookPayload"] = json!(true));

    ldh120_endpoint_headers_missing: "LDH120" Error
        at ["manifest.json:39:7 #/capabilities/auditLogEventsHook/endpoint"]
        by Fixture::new()
            .edit(|m| remove_key(&mut hook(m)["endpoint"], "headers"))
            .write(
                "templates/validation.json.hbs",
                "{\"token\": \"{{{formVariables.apiToken}}}\"}\n",
            );

    ldh121_broken_symlink: "LDH121" Error at ["assets/gone.svg:1:1"]
        by Fixture::new().link("assets/gone.svg", "../../nowhere/gone.svg");

    ldh122_trailing_whitespace: "LDH122" Error at ["templates/flag.json.hbs:1:35"]
        by Fixture::new()
            .write("templates/flag.json.hbs", "{\"title\": \"{{{title.plainText}}}\"}  \n");

    ldh123_final_newline: "LDH123" Error at ["templates/flag.json.hbs:1:35"]
        by Fixture::new()
            .write("templates/flag.json.hbs", "{\"title\": \"{{{title.plainText}}}\"}");

    ldh124_large_file: "LDH124" Error at ["assets/big.txt:1:1"]
        by Fixture::new().write("assets/big.txt", &"a\n".repeat(256_001));

    ldh125_prettier_format: "LDH125" Error at ["extra.json:1:2"]
        by Fixture::new().write("extra.json", "{\"a\":1}\n").select("LDH125");

    ldh219_payload_snapshot: "LDH219" Error at ["manifest.json:1:1 #"]
        by Fixture::new().select("LDH219");

    ldh201_path_escapes: "LDH201" Error
        at ["manifest.json:54:17 #/capabilities/auditLogEventsHook/templates/flag"]
        by Fixture::new()
            .edit(|m| hook(m)["templates"]["flag"] = json!("../shared/flag.json.hbs"));

    ldh202_icon_not_svg: "LDH202" Error at ["manifest.json:15:15 #/icons/square"]
        by Fixture::new().write("assets/square.svg", "<html><body>not an icon</body></html>\n");

    ldh203_unused_form_variable: "LDH203" Warning at ["manifest.json:37:14 #/formVariables/2/key"]
        by Fixture::new().edit(|m| push(&mut m["formVariables"], json!({
            "key": "region", "name": "Region", "type": "string",
            "description": "Your Pulseboard region."
        })));

    ldh204_undefined_form_variable: "LDH204" Error
        at ["templates/flag.json.hbs:1:34 ~ manifest.json:51:17"]
        by Fixture::new().write(
            "templates/flag.json.hbs",
            "{\"title\": \"{{{title.plainText}}}\"{{#if formVariables.verbose}}, \"v\": 1{{/if}} }\n",
        );

    ldh205_insecure_endpoint: "LDH205" Warning
        at ["manifest.json:40:16 #/capabilities/auditLogEventsHook/endpoint/url"]
        by Fixture::new().edit(|m| {
            hook(m)["endpoint"]["url"] =
                json!("http://api.pulseboard.example/v2/timelines/{{pathEncode timelineId}}/events");
        });

    ldh206_policy_statement_matches_nothing: "LDH206" Warning
        at ["manifest.json:77:9 #/capabilities/auditLogEventsHook/defaultPolicy/2"]
        by Fixture::new().edit(|m| push(
            &mut hook(m)["defaultPolicy"],
            json!({"effect": "allow", "resources": [], "actions": ["*"]}),
        ));

    ldh207_policy_delivers_nothing: "LDH207" Warning
        at ["manifest.json:56:24 #/capabilities/auditLogEventsHook/defaultPolicy"]
        by Fixture::new()
            .edit(|m| {
                hook(m)["defaultPolicy"] = json!([
                    {"effect": "allow", "resources": ["proj/nowhere:env/*:flag/*"], "actions": ["*"]}
                ]);
                remove_key(&mut hook(m)["templates"], "default");
            })
            .edit(|m| remove_key(&mut hook(m)["templates"], "flag"));

    ldh208_template_unreachable: "LDH208" Warning
        at ["manifest.json:55:20 #/capabilities/auditLogEventsHook/templates/default"]
        by Fixture::new().edit(|m| {
            hook(m)["defaultPolicy"].as_array_mut().expect("list").truncate(1);
        });

    ldh209_duplicate_header: "LDH209" Error
        at ["manifest.json:52:21 #/capabilities/auditLogEventsHook/endpoint/headers/2/name"]
        by Fixture::new().edit(|m| push(
            &mut hook(m)["endpoint"]["headers"],
            json!({"name": "authorization", "value": "Bearer {{apiToken}}"}),
        ));

    ldh210_content_type_missing: "LDH210" Warning
        at ["manifest.json:42:20 #/capabilities/auditLogEventsHook/endpoint/headers"]
        by Fixture::new().edit(|m| {
            hook(m)["endpoint"]["headers"] =
                json!([{"name": "Authorization", "value": "Bearer {{apiToken}}"}]);
        });

    ldh211_policy_invalid: "LDH211" Error
        at ["manifest.json:59:9 #/capabilities/auditLogEventsHook/defaultPolicy/0"]
        by Fixture::new().edit(|m| {
            hook(m)["defaultPolicy"][0]["resources"] = json!(["proj/:env/production:flag/*"]);
        });

    ldh212_secret_in_url: "LDH212" Warning
        at ["manifest.json:40:16 #/capabilities/auditLogEventsHook/endpoint/url"]
        by Fixture::new().edit(|m| hook(m)["endpoint"]["url"] = json!(
            "https://api.pulseboard.example/v2/timelines/{{pathEncode timelineId}}/events?token={{apiToken}}"
        ));

    ldh213_content_type_not_json: "LDH213" Warning
        at ["manifest.json:45:22 #/capabilities/auditLogEventsHook/endpoint/headers/0/value"]
        by Fixture::new()
            .edit(|m| hook(m)["endpoint"]["headers"][0]["value"] = json!("text/plain"));

    ldh214_endpoint_url_invalid: "LDH214" Error
        at ["manifest.json:40:16 #/capabilities/auditLogEventsHook/endpoint/url"]
        by Fixture::new().edit(|m| {
            hook(m)["endpoint"]["url"] =
                json!("api.pulseboard.example/v2/timelines/{{pathEncode timelineId}}/events");
        });

    ldh215_policy_unknown_resource_type: "LDH215" Error
        at ["manifest.json:62:13 #/capabilities/auditLogEventsHook/defaultPolicy/0/resources/0"]
        by Fixture::new().edit(|m| {
            hook(m)["defaultPolicy"][0]["resources"] = json!(["proj/*:env/production:flags/*"]);
        });

    ldh216_equal_else: "LDH216" Warning
        at ["templates/flag.json.hbs:1:42 ~ manifest.json:51:17"]
        by Fixture::new().write(
            "templates/flag.json.hbs",
            "{\"on\": {{#equal verbKind \"updateOn\"}}true{{else}}false{{/equal}} }\n",
        );

    ldh217_html_escape_in_json: "LDH217" Warning
        at ["templates/flag.json.hbs:1:10 ~ manifest.json:51:17"]
        by Fixture::new().write("templates/flag.json.hbs", "{\"who\": \"{{member.displayName}}\"}\n");

    ldh218_unused_suppression: "LDH218" Warning
        at ["templates/flag.json.hbs:1:21 ~ manifest.json:51:17"]
        by Fixture::new().write(
            "templates/flag.json.hbs",
            "{{!-- ldhook-ignore LDH217: nothing is escaped here --}}{\"who\": \"{{{member.displayName}}}\"}\n",
        );
}

/// A typo is one finding, at the typo, naming what was meant; what follows from it is not
/// reported beside it.
#[test]
fn one_mistake_gives_one_finding() {
    let typo_in_header = Fixture::new().edit(|m| {
        hook(m)["endpoint"]["headers"][1]["value"] = json!("Bearer {{{apiTokn}}}");
    });
    let (findings, messages) = typo_in_header.validate_with_messages();
    assert_eq!(
        findings,
        [
            "LDH204 error manifest.json:49:22 #/capabilities/auditLogEventsHook/endpoint/headers/1/value"
        ]
    );
    assert!(
        messages[0].ends_with("did you mean `apiToken`?"),
        "{messages:?}"
    );

    let misspelt_field = Fixture::new().edit(|m| {
        let statement = &mut hook(m)["defaultPolicy"][0];
        let resources = statement["resources"].take();
        remove_key(statement, "resources");
        statement["resource"] = resources;
    });
    let (findings, messages) = misspelt_field.validate_with_messages();
    assert_eq!(
        findings,
        ["LDH010 error manifest.json:64:11 #/capabilities/auditLogEventsHook/defaultPolicy/0"]
    );
    assert!(messages[0].contains("`resource`"), "{messages:?}");
}

/// An HTML-escaping tag whose output breaks the JSON for a sample event (a title with a `"`
/// becomes `\&quot;`) is the framework suite's invalid-JSON error at the tag, naming the
/// cause and the fix, and not also html-escape-in-json: one mistake, one finding, in the group
/// the framework's own CI fails on.
#[test]
fn html_escape_that_breaks_the_json_is_an_error_at_the_tag() {
    let fixture = Fixture::new().write(
        "templates/flag.json.hbs",
        "{\"title\": \"{{title.plainText}}\"}\n",
    );
    let (code, report) = fixture.report();
    assert_eq!(code, Some(1));
    let diagnostics = report["diagnostics"].as_array().expect("list");
    let places: Vec<String> = diagnostics.iter().map(|d| fixture.finding(d)).collect();
    assert_eq!(
        places,
        ["LDH117 error templates/flag.json.hbs:1:12 ~ manifest.json:51:17"]
    );
    let message = diagnostics[0]["message"].as_str().expect("message");
    assert!(
        message.starts_with("`{{title.plainText}}` writes `\\&quot;`"),
        "{message}"
    );
    assert!(
        message.contains("the output's line 1 reads `…Lee updated the flag Search: \\&quot;Did"),
        "{message}"
    );
    assert_eq!(
        diagnostics[0]["help"],
        "use `{{{title.plainText}}}`: event strings are JSON-escaped before a JSON template sees them"
    );
}

/// Changes close to what the newer rules look for, which they must let pass.
#[test]
fn near_misses_trip_nothing() {
    let fixtures = [
        // A raw tag inside a string, and an HTML-escaped one outside any string.
        Fixture::new().write(
            "templates/flag.json.hbs",
            "{\"title\": \"{{{title.plainText}}}\", \"key\": \"{{key}}\", \"at\": \"{{timestamp.rfc3339}}\", \"on\": {{#equalWithElse verbKind \"updateOn\"}}true{{else}}false{{/equalWithElse}}, \"n\": {{#if key}}1{{/if}} }\n",
        ),
        Fixture::new().edit(|m| {
            hook(m)["endpoint"]["headers"][0]["value"] =
                json!("application/vnd.api+json; charset=utf-8");
        }),
        Fixture::new().edit(|m| {
            hook(m)["endpoint"]["url"] = json!(
                "HTTPS://api.pulseboard.example:8443/v2/timelines/{{pathEncode timelineId}}/events"
            );
        }),
        Fixture::new().edit(|m| {
            hook(m)["defaultPolicy"][0]["resources"] =
                json!(["proj/*:env/*:flag/*", "proj/*:env/production:segment/*"]);
        }),
    ];
    for fixture in fixtures {
        let run = fixture.validate();
        assert_eq!(run.findings, Vec::<String>::new());
        assert_eq!(run.code, Some(0));
    }
}

#[test]
fn the_clean_example_trips_nothing() {
    let run = Fixture::new().validate();
    assert_eq!(run.findings, Vec::<String>::new());
    assert_eq!(run.code, Some(0));
}

/// The table and the registry name the same rules, each once: a rule added to the registry
/// without a row here fails this test.
#[test]
fn every_registered_rule_has_one_row() {
    let rows: BTreeSet<&str> = TABLE.iter().copied().collect();
    assert_eq!(rows.len(), TABLE.len(), "a rule has two rows: {TABLE:?}");
    let registry: BTreeSet<&str> = ALL.iter().map(|rule| rule.id).collect();
    let without_row: Vec<&str> = registry.difference(&rows).copied().collect();
    assert!(
        without_row.is_empty(),
        "rules without a row: {without_row:?}"
    );
    let unregistered: Vec<&str> = rows.difference(&registry).copied().collect();
    assert!(
        unregistered.is_empty(),
        "rows for rules not in the registry: {unregistered:?}"
    );
}
