//! Rules across the integrations of one checkout.

use std::collections::BTreeMap;

use super::*;
use crate::diagnostics::Diagnostic;
use crate::integration::Integration;
use crate::manifest::Mark;
use crate::pointer::Pointer;

/// ServiceNow's integrations share one OAuth client by design; the framework's suite exempts
/// them from the uniqueness check.
fn shares_by_design(integration: &Integration, key: &str) -> bool {
    key == "servicenow" && integration.key().starts_with("servicenow")
}

/// An integration of the same checkout that the run was not asked to check (pre-commit names
/// only the changed ones): what the checks across integrations compare with, never reported on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Neighbour {
    /// Its key: the directory's name.
    pub key: String,
    pub oauth_integration_key: String,
}

/// `neighbours` are the checkout's other integrations, compared with but not reported on.
pub(crate) fn check(
    integrations: &[&Integration],
    neighbours: &[Neighbour],
    out: &mut Vec<Diagnostic>,
) {
    let mut by_key: BTreeMap<&str, Vec<&Integration>> = BTreeMap::new();
    for integration in integrations {
        if let Some(key) = integration.manifest.oauth_integration_key.as_deref()
            && !shares_by_design(integration, key)
        {
            by_key.entry(key).or_default().push(integration);
        }
    }
    let mut elsewhere: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for neighbour in neighbours {
        let shares = neighbour.oauth_integration_key == "servicenow"
            && neighbour.key.starts_with("servicenow");
        if !shares {
            elsewhere
                .entry(&neighbour.oauth_integration_key)
                .or_default()
                .push(&neighbour.key);
        }
    }
    for (key, users) in by_key {
        let unnamed = elsewhere.get(key).map_or(&[][..], Vec::as_slice);
        if users.len() + unnamed.len() < 2 {
            continue;
        }
        for integration in &users {
            let mut others: Vec<String> = users
                .iter()
                .filter(|o| !std::ptr::eq(**o, *integration))
                .map(|o| o.key())
                .collect();
            others.extend(unnamed.iter().map(|k| (*k).to_string()));
            others.sort();
            out.push(integration.document.finding(
                &OAUTH_KEY_DUPLICATE,
                &Pointer::root().child("oauthIntegrationKey"),
                Mark::Value,
                format!(
                    "`oauthIntegrationKey` `{key}` is also used by {}",
                    others.join(", ")
                ),
            ));
        }
    }
}
