//! The broken-integration suite: for every rule, a small integration that trips that rule and
//! nothing else, built from the clean example by one change. The clean example itself trips
//! nothing, so each case shows both sides of its rule.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::{Value, json};

const EXAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/pulseboard");

/// A copy of the example in a temporary directory (inside a fake framework checkout when asked).
struct Fixture {
    _root: tempfile::TempDir,
    dir: PathBuf,
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read example") {
        let path = entry.expect("entry").path();
        let target = to.join(path.file_name().expect("name"));
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).expect("copy");
        }
    }
}

impl Fixture {
    fn new() -> Fixture {
        let root = tempfile::tempdir().expect("temp dir");
        let dir = root.path().join("pulseboard");
        copy_dir(Path::new(EXAMPLE), &dir);
        Fixture { _root: root, dir }
    }

    fn manifest(&self) -> Value {
        serde_json::from_str(
            &std::fs::read_to_string(self.dir.join("manifest.json")).expect("manifest"),
        )
        .expect("JSON")
    }

    fn edit(&self, change: impl FnOnce(&mut Value)) -> &Self {
        let mut manifest = self.manifest();
        change(&mut manifest);
        self.write(
            "manifest.json",
            &serde_json::to_string_pretty(&manifest).expect("JSON"),
        )
    }

    fn write(&self, relative: &str, text: &str) -> &Self {
        let path = self.dir.join(relative);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
        self
    }

    fn rules(&self, extra: &[&str]) -> BTreeSet<String> {
        let output = Command::cargo_bin("ldhook")
            .expect("binary")
            .arg("validate")
            .arg(&self.dir)
            .args(["--format", "json"])
            .args(extra)
            .output()
            .expect("runs");
        let report: Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|_| {
            panic!(
                "JSON report, got {}",
                String::from_utf8_lossy(&output.stderr)
            )
        });
        report["diagnostics"]
            .as_array()
            .expect("list")
            .iter()
            .map(|d| d["rule"].as_str().expect("rule").to_string())
            .collect()
    }
}

fn hook(m: &mut Value) -> &mut Value {
    &mut m["capabilities"]["auditLogEventsHook"]
}

fn trips(rule: &str, fixture: &Fixture) {
    trips_with(rule, fixture, &[]);
}

fn trips_with(rule: &str, fixture: &Fixture, extra: &[&str]) {
    let found = fixture.rules(extra);
    assert_eq!(
        found,
        BTreeSet::from([rule.to_string()]),
        "{rule} should be the only finding"
    );
}

#[test]
fn the_clean_example_trips_nothing() {
    assert_eq!(Fixture::new().rules(&[]), BTreeSet::new());
}

#[test]
fn ldh001_invalid_json() {
    trips(
        "LDH001",
        Fixture::new().write("manifest.json", "{\"name\": \"x\",}"),
    );
}

#[test]
fn schema_rules() {
    trips(
        "LDH010",
        Fixture::new().edit(|m| m["colour"] = json!("blue")),
    );
    trips(
        "LDH011",
        Fixture::new().edit(|m| drop(m.as_object_mut().expect("object").shift_remove("author"))),
    );
    trips(
        "LDH012",
        Fixture::new().edit(|m| hook(m)["includeErrorResponseBody"] = json!("yes")),
    );
    trips(
        "LDH013",
        Fixture::new().edit(|m| m["categories"] = json!(["monitoring", "alerts"])),
    );
    trips(
        "LDH014",
        Fixture::new().edit(|m| m["links"]["site"] = json!("ftp://pulseboard.example")),
    );
    trips(
        "LDH015",
        Fixture::new().edit(|m| m["supportEmail"] = json!("Support <support@pulseboard.example>")),
    );
    trips("LDH016", Fixture::new().edit(|m| m["name"] = json!("Pb")));
    trips(
        "LDH017",
        Fixture::new().edit(|m| m["categories"] = json!(["monitoring", "monitoring"])),
    );
}

#[test]
fn ldh018_schema_mismatch_with_a_schema_that_combines_shapes() {
    let fixture = Fixture::new();
    fixture.write(
        "strict.schema.json",
        r#"{"oneOf": [{"required": ["mascot"]}, {"required": ["logo"]}]}"#,
    );
    let schema = fixture.dir.join("strict.schema.json");
    trips_with(
        "LDH018",
        &fixture,
        &[
            "--schema",
            schema.to_str().expect("path"),
            "--select",
            "schema",
        ],
    );
}

#[test]
fn framework_rules_on_the_listing() {
    let f = Fixture::new();
    std::fs::remove_file(f.dir.join("assets/square.svg")).expect("remove");
    trips("LDH101", &f);
    trips(
        "LDH102",
        Fixture::new()
            .edit(|m| m["overview"] = json!("Post LaunchDarkly flag changes to your timeline")),
    );
    trips(
        "LDH112",
        Fixture::new()
            .edit(|m| {
                drop(
                    m.as_object_mut()
                        .expect("object")
                        .shift_remove("capabilities"),
                )
            })
            .edit(|m| {
                drop(
                    m.as_object_mut()
                        .expect("object")
                        .shift_remove("formVariables"),
                )
            }),
    );
}

#[test]
fn framework_rules_on_the_endpoint() {
    trips(
        "LDH103",
        Fixture::new().edit(|m| {
            hook(m)["endpoint"]["headers"][1]["value"] =
                json!("Bearer {{apiToken}} {{oauth.accessToken}}")
        }),
    );
    trips(
        "LDH104",
        Fixture::new().edit(|m| hook(m)["endpoint"]["hmacSignature"] = json!({"headerName": "X-LD-Signature", "hmacSecretFormVariableKey": "timelineId"})),
    );
    trips(
        "LDH106",
        Fixture::new().edit(|m| {
            hook(m)["endpoint"]["url"] =
                json!("https://{{timelineId}}.pulseboard.example/v2/events")
        }),
    );
    trips(
        "LDH120",
        Fixture::new()
            .edit(|m| {
                drop(
                    hook(m)["endpoint"]
                        .as_object_mut()
                        .expect("endpoint")
                        .shift_remove("headers"),
                )
            })
            .write(
                "templates/validation.json.hbs",
                "{\"token\": \"{{formVariables.apiToken}}\"}",
            ),
    );
}

#[test]
fn ldh105_oauth_key_duplicate_across_a_checkout() {
    let root = tempfile::tempdir().expect("temp dir");
    std::fs::write(root.path().join("manifest.schema.json"), "{}").expect("schema");
    for key in ["one", "two"] {
        let dir = root.path().join("integrations").join(key);
        copy_dir(Path::new(EXAMPLE), &dir);
        let path = dir.join("manifest.json");
        let mut manifest: Value =
            serde_json::from_str(&std::fs::read_to_string(&path).expect("read")).expect("JSON");
        manifest["oauthIntegrationKey"] = json!("shared-client");
        std::fs::write(
            &path,
            serde_json::to_string_pretty(&manifest).expect("JSON"),
        )
        .expect("write");
    }
    let output = Command::cargo_bin("ldhook")
        .expect("binary")
        .arg("validate")
        .arg(root.path())
        .args(["--format", "json"])
        .output()
        .expect("runs");
    let report: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let rules: Vec<&str> = report["diagnostics"]
        .as_array()
        .expect("list")
        .iter()
        .map(|d| d["rule"].as_str().expect("rule"))
        .collect();
    assert_eq!(rules, ["LDH105", "LDH105"], "{report}");
}

#[test]
fn framework_rules_on_form_variables() {
    trips(
        "LDH107",
        Fixture::new().edit(|m| m["formVariables"][1]["defaultValue"] = json!("tl_1")),
    );
    trips(
        "LDH108",
        Fixture::new().edit(|m| m["formVariables"][1]["isOptional"] = json!(true)),
    );
    trips(
        "LDH109",
        Fixture::new().edit(|m| {
            m["formVariables"]
                .as_array_mut()
                .expect("list")
                .push(json!({
                    "key": "envs", "name": "Environments", "type": "environmentSelector",
                    "description": "Which environments to watch.", "allowedValues": ["production"]
                }));
            hook(m)["endpoint"]["headers"][0]["value"] =
                json!("application/json{{#if envs}}{{/if}}");
        }),
    );
    trips("LDH110", Fixture::new().edit(|m| {
        m["formVariables"].as_array_mut().expect("list").push(json!({
            "key": "verbose", "name": "Verbose", "type": "boolean", "description": "Send details.", "isSecret": true
        }));
        hook(m)["endpoint"]["headers"][0]["value"] = json!("application/json{{#if verbose}}{{/if}}");
    }));
    trips("LDH111", Fixture::new().edit(|m| m["formVariables"][1]["dynamicOptions"] = json!({
        "endpoint": {"url": "https://api.pulseboard.example/v2/timelines", "method": "GET", "headers": []},
        "parser": {"optionsPath": "/data", "optionsItems": {"label": "/name", "value": "/id"}}
    })));
}

#[test]
fn framework_rules_on_templates() {
    trips(
        "LDH113",
        Fixture::new().edit(|m| hook(m)["templates"]["flag"] = json!("templates/flags.json.hbs")),
    );
    trips(
        "LDH114",
        Fixture::new().write(
            "templates/flag.json.hbs",
            "{\"title\": \"{{#if title}}{{title.plainText}}\"}",
        ),
    );
    trips(
        "LDH115",
        Fixture::new().write(
            "templates/flag.json.hbs",
            "{\"env\": \"{{project.environment.colour}}\"}",
        ),
    );
    trips(
        "LDH116",
        Fixture::new().write(
            "templates/default.json.hbs",
            "{\"key\": \"{{{key}}}\", \"title\": \"{{{title.plainText}}}\"}",
        ),
    );
    trips(
        "LDH117",
        Fixture::new().write(
            "templates/flag.json.hbs",
            "{\"title\": {{{title.plainText}}} }",
        ),
    );
    trips(
        "LDH118",
        Fixture::new()
            .edit(|m| {
                hook(m)["templates"]["member"] = json!("templates/member.txt.hbs");
                hook(m)["defaultPolicy"]
                    .as_array_mut()
                    .expect("list")
                    .push(json!({"effect": "allow", "resources": ["member/*"], "actions": ["*"]}));
            })
            .write(
                "templates/member.txt.hbs",
                "{{#if nothing}}{{nothing}}{{/if}}  \n",
            ),
    );
    trips(
        "LDH119",
        Fixture::new().edit(|m| hook(m)["useStandardWebhookPayload"] = json!(true)),
    );
}

#[test]
fn ldhook_rules() {
    trips(
        "LDH201",
        Fixture::new().edit(|m| hook(m)["templates"]["flag"] = json!("../shared/flag.json.hbs")),
    );
    trips(
        "LDH202",
        Fixture::new().write("assets/square.svg", "<html><body>not an icon</body></html>"),
    );
    trips("LDH203", Fixture::new().edit(|m| m["formVariables"].as_array_mut().expect("list").push(json!({
        "key": "region", "name": "Region", "type": "string", "description": "Your Pulseboard region."
    }))));
    trips(
        "LDH204",
        Fixture::new().write(
            "templates/flag.json.hbs",
            "{\"title\": \"{{{title.plainText}}}\"{{#if formVariables.verbose}}, \"v\": 1{{/if}} }",
        ),
    );
    trips(
        "LDH205",
        Fixture::new().edit(|m| {
            hook(m)["endpoint"]["url"] =
                json!("http://api.pulseboard.example/v2/timelines/{{pathEncode timelineId}}/events")
        }),
    );
    trips(
        "LDH206",
        Fixture::new().edit(|m| {
            hook(m)["defaultPolicy"]
                .as_array_mut()
                .expect("list")
                .push(json!({"effect": "allow", "resources": [], "actions": ["*"]}))
        }),
    );
    trips("LDH207", Fixture::new().edit(|m| {
        hook(m)["defaultPolicy"] = json!([{"effect": "allow", "resources": ["proj/nowhere:env/*:flag/*"], "actions": ["*"]}]);
        drop(hook(m)["templates"].as_object_mut().expect("templates").shift_remove("default"));
    }).edit(|m| drop(hook(m)["templates"].as_object_mut().expect("templates").shift_remove("flag"))));
    trips(
        "LDH208",
        Fixture::new().edit(|m| {
            hook(m)["defaultPolicy"]
                .as_array_mut()
                .expect("list")
                .truncate(1)
        }),
    );
    trips(
        "LDH209",
        Fixture::new().edit(|m| {
            hook(m)["endpoint"]["headers"]
                .as_array_mut()
                .expect("list")
                .push(json!({"name": "authorization", "value": "Bearer {{apiToken}}"}))
        }),
    );
    trips(
        "LDH210",
        Fixture::new().edit(|m| hook(m)["endpoint"]["headers"][0]["value"] = json!("text/plain")),
    );
    trips(
        "LDH211",
        Fixture::new().edit(|m| {
            hook(m)["defaultPolicy"][0]["resources"] = json!(["proj/:env/production:flag/*"])
        }),
    );
    trips("LDH212", Fixture::new().edit(|m| hook(m)["endpoint"]["url"] = json!("https://api.pulseboard.example/v2/timelines/{{pathEncode timelineId}}/events?token={{apiToken}}")));
}

/// Every rule in the registry has a case above (LDH018 needs its own schema, LDH105 two
/// integrations).
#[test]
fn every_rule_has_a_tripping_fixture() {
    let source = std::fs::read_to_string(file!()).expect("this file");
    for rule in ldhook::registry::ALL {
        assert!(
            source.contains(&format!("\"{}\"", rule.id)),
            "no fixture trips {}",
            rule.id
        );
    }
}
