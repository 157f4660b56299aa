//! Accounts as people see them: the names of the account ids an answer carries.

use std::collections::HashMap;

use scpfm_store::Store;

use crate::AppError;

/// The names of the accounts among `ids`, by id (an id that is no account is left out).
/// Meant for ids an authorised answer already carries: it tells nothing that answer did not.
pub async fn names(store: &Store, ids: &[String]) -> Result<HashMap<String, String>, AppError> {
    let mut names = HashMap::with_capacity(ids.len());
    for id in ids {
        let account = store.find_account(id).await?;
        // `find_account` also matches a name; only an id is asked about here.
        if let Some(account) = account.filter(|account| account.id.as_str() == id) {
            names.insert(id.clone(), account.name.to_string());
        }
    }
    Ok(names)
}
