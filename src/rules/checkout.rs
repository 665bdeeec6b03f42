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

pub(crate) fn check(integrations: &[&Integration], out: &mut Vec<Diagnostic>) {
    let mut by_key: BTreeMap<&str, Vec<&Integration>> = BTreeMap::new();
    for integration in integrations {
        if let Some(key) = integration.manifest.oauth_integration_key.as_deref()
            && !shares_by_design(integration, key)
        {
            by_key.entry(key).or_default().push(integration);
        }
    }
    for (key, users) in by_key.into_iter().filter(|(_, users)| users.len() > 1) {
        for integration in &users {
            let others: Vec<String> = users
                .iter()
                .filter(|o| !std::ptr::eq(**o, *integration))
                .map(|o| o.key())
                .collect();
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
