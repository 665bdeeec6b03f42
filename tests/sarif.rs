//! `validate --format sarif` is valid SARIF 2.1.0, checked against the official schema with its
//! `uri` and `uri-reference` formats enforced, and names every file as code scanning expects:
//! relative to the repository root (`%SRCROOT%`), percent-encoded, absolute `file://` URIs for
//! files outside it, no physical location for unnamed standard input.
//!
//! `tests/fixtures/sarif-schema-2.1.0.json` is `sarif-2.1/schema/sarif-schema-2.1.0.json` of
//! github.com/oasis-tcs/sarif-spec (commit a560296ca8c921f3bdb8d4a8db57ab83dae968a7, the OASIS
//! errata01 schema), unchanged.

mod common;

use std::path::{Path, PathBuf};

use common::ldhook;
use serde_json::Value;

const SARIF_SCHEMA: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/sarif-schema-2.1.0.json"
);

/// A directory name that needs every kind of encoding: a space, `%`, `#` and a non-ASCII letter.
const ODD_KEY: &str = "honey comb%#é";
const ODD_KEY_URI: &str = "honey%20comb%25%23%C3%A9";

/// The schema declares draft-04, which has no `uri-reference` format; it is checked as draft-07
/// too (its keywords mean the same there), so that every format it names is enforced.
fn validators() -> Vec<jsonschema::Validator> {
    let schema = common::read_json(Path::new(SARIF_SCHEMA));
    [jsonschema::Draft::Draft4, jsonschema::Draft::Draft7]
        .into_iter()
        .map(|draft| {
            jsonschema::options()
                .with_draft(draft)
                .should_validate_formats(true)
                .build(&schema)
                .expect("the SARIF schema compiles")
        })
        .collect()
}

fn assert_valid_sarif(sarif: &Value) {
    for validator in validators() {
        let errors: Vec<String> = validator
            .iter_errors(sarif)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{errors:#?}");
    }
}

fn sarif(dir: &Path, args: &[&str], stdin: Option<&str>) -> Value {
    let mut command = ldhook();
    command
        .current_dir(dir)
        .args(["validate", "--format", "sarif"])
        .args(args);
    if let Some(text) = stdin {
        command.write_stdin(text);
    }
    let output = command.output().expect("runs");
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}",
        common::text(&output.stderr)
    );
    let sarif: Value = serde_json::from_slice(&output.stdout).expect("SARIF is JSON");
    assert_valid_sarif(&sarif);
    sarif
}

/// A framework checkout (a permissive schema, so that the rules decide) holding the example as
/// `integrations/honey comb%#é`, broken twice: an overview without its period (a manifest
/// finding with a JSON pointer) and an undefined form variable in the flag template (a template
/// finding whose related place is the manifest line naming the template).
fn checkout() -> (tempfile::TempDir, PathBuf) {
    let checkout = tempfile::tempdir().expect("temp dir");
    let root = std::fs::canonicalize(checkout.path()).expect("canonical");
    std::fs::write(root.join("manifest.schema.json"), r#"{"type": "object"}"#).expect("schema");
    let dir = root.join("integrations").join(ODD_KEY);
    common::copy_dir(Path::new(common::EXAMPLE), &dir);
    common::edit_manifest(&dir, |manifest| {
        manifest["overview"] = "Post changes".into();
    });
    let template = dir.join("templates/flag.json.hbs");
    let text = std::fs::read_to_string(&template).expect("template");
    std::fs::write(
        &template,
        text.replacen("{\n", "{\n\"x\": {{{formVariables.nope}}},\n", 1),
    )
    .expect("write template");
    (checkout, root)
}

fn file_uri_of_dir(dir: &Path) -> String {
    format!("file://{}/", dir.display().to_string().replace(' ', "%20"))
}

fn run(sarif: &Value) -> &Value {
    &sarif["runs"][0]
}

fn artifact(result: &Value) -> &Value {
    &result["locations"][0]["physicalLocation"]["artifactLocation"]
}

fn result_of<'a>(sarif: &'a Value, rule: &str) -> &'a Value {
    run(sarif)["results"]
        .as_array()
        .expect("results")
        .iter()
        .find(|r| r["ruleId"] == rule)
        .unwrap_or_else(|| panic!("no {rule} in {sarif:#}"))
}

#[test]
fn a_checkout_is_reported_relative_to_its_root_with_encoded_uris() {
    let (_keep, root) = checkout();
    let sarif = sarif(&root, &[], None);
    // No `.git` above it: the framework root is the repository root.
    assert_eq!(
        run(&sarif)["originalUriBaseIds"],
        serde_json::json!({ "%SRCROOT%": { "uri": file_uri_of_dir(&root) } })
    );
    let overview = result_of(&sarif, "LDH102");
    assert_eq!(
        artifact(overview),
        &serde_json::json!({
            "uri": format!("integrations/{ODD_KEY_URI}/manifest.json"),
            "uriBaseId": "%SRCROOT%"
        })
    );
    assert_eq!(
        overview["locations"][0]["logicalLocations"][0]["fullyQualifiedName"],
        "/overview"
    );
    let undefined = result_of(&sarif, "LDH204");
    assert_eq!(
        artifact(undefined)["uri"],
        format!("integrations/{ODD_KEY_URI}/templates/flag.json.hbs")
    );
    let related = &undefined["relatedLocations"][0];
    assert_eq!(
        related["message"]["text"],
        "the `flag` template is named here"
    );
    assert_eq!(
        related["physicalLocation"]["artifactLocation"],
        serde_json::json!({
            "uri": format!("integrations/{ODD_KEY_URI}/manifest.json"),
            "uriBaseId": "%SRCROOT%"
        })
    );
}

#[test]
fn the_nearest_git_directory_is_the_root_wherever_ldhook_runs_inside_it() {
    let (_keep, root) = checkout();
    std::fs::create_dir(root.join(".git")).expect("mkdir .git");
    let sarif = sarif(&root.join("integrations"), &[ODD_KEY], None);
    assert_eq!(
        run(&sarif)["originalUriBaseIds"]["%SRCROOT%"]["uri"],
        file_uri_of_dir(&root)
    );
    assert_eq!(
        artifact(result_of(&sarif, "LDH102"))["uri"],
        format!("integrations/{ODD_KEY_URI}/manifest.json")
    );
}

#[test]
fn a_file_outside_the_root_gets_an_absolute_file_uri() {
    let (_keep, root) = checkout();
    std::fs::create_dir(root.join(".git")).expect("mkdir .git");
    let elsewhere = tempfile::tempdir().expect("temp dir");
    let outside = std::fs::canonicalize(elsewhere.path())
        .expect("canonical")
        .join("pulse board");
    common::copy_dir(Path::new(common::EXAMPLE), &outside);
    common::edit_manifest(&outside, |manifest| {
        manifest["overview"] = "Post changes".into();
    });
    let sarif = sarif(&root, &[outside.to_str().expect("UTF-8 path")], None);
    assert_eq!(
        artifact(result_of(&sarif, "LDH102")),
        &serde_json::json!({
            "uri": format!(
                "file://{}/manifest.json",
                outside.display().to_string().replace(' ', "%20")
            )
        })
    );
    assert_eq!(
        run(&sarif)["originalUriBaseIds"]["%SRCROOT%"]["uri"],
        file_uri_of_dir(&root)
    );
}

#[test]
fn unnamed_standard_input_has_no_physical_location() {
    let (_keep, root) = checkout();
    let manifest = std::fs::read_to_string(
        root.join("integrations")
            .join(ODD_KEY)
            .join("manifest.json"),
    )
    .expect("manifest");
    let sarif = sarif(&root, &["-"], Some(&manifest));
    let overview = result_of(&sarif, "LDH102");
    assert_eq!(
        overview["locations"],
        serde_json::json!([{
            "logicalLocations": [{ "fullyQualifiedName": "/overview", "kind": "member" }]
        }])
    );
    let text = serde_json::to_string(&sarif).expect("JSON");
    assert!(!text.contains("stdin"), "{text}");
}

#[test]
fn named_standard_input_is_reported_under_its_name() {
    let (_keep, root) = checkout();
    let name = format!("integrations/{ODD_KEY}/manifest.json");
    let manifest = std::fs::read_to_string(root.join(&name)).expect("manifest");
    let sarif = sarif(&root, &["-", "--stdin-filename", &name], Some(&manifest));
    assert_eq!(
        artifact(result_of(&sarif, "LDH102")),
        &serde_json::json!({
            "uri": format!("integrations/{ODD_KEY_URI}/manifest.json"),
            "uriBaseId": "%SRCROOT%"
        })
    );
}

#[test]
fn every_rule_links_to_its_section_of_the_rules_doc() {
    let (_keep, root) = checkout();
    let sarif = sarif(&root, &[], None);
    let driver = &run(&sarif)["tool"]["driver"];
    let repository = env!("CARGO_PKG_REPOSITORY");
    assert_eq!(driver["informationUri"], repository);
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/rules.md"))
        .expect("docs/rules.md");
    let rules = driver["rules"].as_array().expect("rules");
    assert_eq!(rules.len(), ldhook::registry::ALL.len());
    for (rule, registered) in rules.iter().zip(ldhook::registry::ALL) {
        let anchor = registered.id.to_ascii_lowercase();
        assert_eq!(
            rule["helpUri"],
            format!("{repository}/blob/main/docs/rules.md#{anchor}")
        );
        assert!(
            doc.contains(&format!("\n## {}\n", registered.id)),
            "{anchor}"
        );
        let help = rule["help"]["text"].as_str().expect("help text");
        assert!(help.starts_with(registered.explanation), "{help}");
        let markdown = rule["help"]["markdown"].as_str().expect("help markdown");
        assert!(markdown.ends_with(&format!("]({repository}/blob/main/docs/rules.md#{anchor})")));
    }
}

/// The check would catch what it is there for: an unencoded space in a URI.
#[test]
fn the_schema_check_enforces_uri_formats() {
    let (_keep, root) = checkout();
    let mut sarif = sarif(&root, &[], None);
    sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] =
        "integrations/honey comb/manifest.json".into();
    let draft7 = validators().pop().expect("the draft-07 validator");
    assert!(!draft7.is_valid(&sarif));
    let mut sarif = self::sarif(&root, &[], None);
    sarif["runs"][0]["tool"]["driver"]["informationUri"] = "not a uri".into();
    assert!(validators().iter().all(|v| !v.is_valid(&sarif)));
}

#[test]
fn a_related_place_in_the_same_file_has_the_same_uri() {
    let (_keep, root) = checkout();
    let manifest = root
        .join("integrations")
        .join(ODD_KEY)
        .join("manifest.json");
    let text = std::fs::read_to_string(&manifest).expect("manifest");
    std::fs::write(
        &manifest,
        text.replacen("{\n", "{\n  \"name\": \"Twice\",\n", 1),
    )
    .expect("write");
    let sarif = sarif(&root, &[], None);
    let duplicate = result_of(&sarif, "LDH001");
    let uri = format!("integrations/{ODD_KEY_URI}/manifest.json");
    assert_eq!(artifact(duplicate)["uri"], uri);
    let related = &duplicate["relatedLocations"][0];
    assert_eq!(related["physicalLocation"]["artifactLocation"]["uri"], uri);
    assert_eq!(related["physicalLocation"]["region"]["startLine"], 2);
}

/// A finding's fix is a SARIF `fix` on its result: a replacement in the result's own file,
/// and the whole log still conforms to the schema.
#[test]
fn a_fix_replaces_a_region_of_the_results_own_file() {
    let (_keep, root) = checkout();
    let sarif = sarif(&root, &[], None);
    let period = result_of(&sarif, "LDH102");
    let fix = &period["fixes"][0];
    assert_eq!(fix["description"]["text"], "end `overview` with a period");
    let change = &fix["artifactChanges"][0];
    assert_eq!(change["artifactLocation"], *artifact(period));
    let replacement = &change["replacements"][0];
    assert_eq!(replacement["insertedContent"]["text"], ".");
    let region = &replacement["deletedRegion"];
    assert_eq!(region["startLine"], region["endLine"]);
    assert_eq!(region["startColumn"], region["endColumn"], "an insertion");
}
