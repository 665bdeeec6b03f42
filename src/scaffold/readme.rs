//! The integration's README, for the people who install it: what it sends, what to fill in, and
//! how to check that it works.

use std::fmt::Write;

use super::answers::Answers;
use super::choices::{Auth, BodyFormat};

pub(super) fn text(answers: &Answers) -> String {
    let mut out = String::new();
    let name = &answers.name;
    let _ = writeln!(out, "# {name} integration for LaunchDarkly\n");
    let _ = writeln!(out, "{}\n\n{}\n", answers.overview, answers.description);
    let _ = writeln!(out, "## What it sends\n");
    let format = match answers.body {
        BodyFormat::Json => "a JSON document",
        BodyFormat::Text => "a plain-text message",
    };
    let _ = writeln!(
        out,
        "For each change LaunchDarkly sends {name} {format} with what changed, who changed it, \
         when, and a link to the change in LaunchDarkly. By default it sends {}; you can choose \
         other events when you configure the integration.\n",
        answers.policy.label()
    );
    let _ = writeln!(out, "## Set it up\n");
    let _ = writeln!(
        out,
        "1. In LaunchDarkly, open **Integrations**, find **{name}** and choose **Add integration**."
    );
    let mut step = 2;
    for (field, what) in settings(answers) {
        let _ = writeln!(out, "{step}. Enter the **{field}**: {what}");
        step += 1;
    }
    let _ = writeln!(
        out,
        "{step}. Choose which changes to send, save, and use **Validate connection** to send a test event.\n"
    );
    let _ = writeln!(out, "## Help\n");
    let _ = writeln!(
        out,
        "Write to [{email}](mailto:{email}) or visit [{site}]({site}). Privacy policy: \
         [{policy}]({policy}).",
        email = answers.email,
        site = answers.site,
        policy = answers.privacy_policy
    );
    if let Some(docs) = &answers.docs {
        let _ = writeln!(out, "Documentation: [{docs}]({docs}).");
    }
    out
}

fn settings(answers: &Answers) -> Vec<(&'static str, &'static str)> {
    match answers.auth {
        Auth::None => vec![],
        Auth::Bearer => vec![(
            "API token",
            "a token of your account that may create events.",
        )],
        Auth::Basic => vec![
            ("Username", "the account LaunchDarkly signs in with."),
            ("Password", "that account's password."),
        ],
        Auth::Header => vec![("API key", "a key of your account that may create events.")],
        Auth::Hmac => vec![(
            "Signing secret",
            "a secret you also keep on your side. LaunchDarkly signs each request with it in \
             the `X-LD-Signature` header; check the signature before you trust a request.",
        )],
        Auth::Oauth => vec![(
            "connection",
            "sign in when LaunchDarkly asks you to authorize it.",
        )],
    }
}
