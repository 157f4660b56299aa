//! The store's behaviour, identical on SQLite and PostgreSQL.
#![allow(clippy::unwrap_used, missing_docs)]

use chrono::{DateTime, Duration, Utc};
use scpfm_domain::account::{AccessKey, Account, AccountName};
use scpfm_domain::budget::{
    BudgetAmount, BudgetCore, BudgetName, BudgetSortField, BudgetUnit, NewBudget, NotificationPatch,
};
use scpfm_domain::email::EmailAddress;
use scpfm_domain::ids::{AccountId, BudgetId};
use scpfm_domain::listing::{PageRequest, SortDirection, SortKey};
use scpfm_store::budgets::{BudgetFilter, Change};
use scpfm_store::{Store, StoreError};
use scpfm_testkit::{backend_tests, Backend, TestDatabase};

fn at(seconds: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(1_767_225_600 + seconds, 0).unwrap()
}

fn random_id() -> [u8; 16] {
    uuid::Uuid::new_v4().into_bytes()
}

async fn open(backend: Backend) -> (TestDatabase, Store) {
    let database = TestDatabase::create(backend).await;
    let store = Store::open(database.url()).await.unwrap();
    (database, store)
}

async fn account(store: &Store, name: &str) -> AccountId {
    let id = AccountId::from_bytes(random_id());
    store
        .create_account(&Account {
            id: id.clone(),
            name: AccountName::parse(name).unwrap(),
            payer_account_id: None,
            created_at: at(0),
        })
        .await
        .unwrap();
    id
}

fn new_budget(name: &str, amount: i64) -> NewBudget {
    NewBudget::new(
        BudgetCore {
            name: BudgetName::parse(name).unwrap(),
            unit: BudgetUnit::Monthly,
            start_month: "2026-01".parse().unwrap(),
            amount: BudgetAmount::parse(amount).unwrap(),
        },
        Some(NotificationPatch {
            receivers: Some(vec![EmailAddress::parse("r", "a@b.co").unwrap()]),
            ..Default::default()
        }),
        None,
    )
    .unwrap()
}

async fn budgets_round_trip_and_stay_in_their_account(backend: Backend) {
    let (_database, store) = open(backend).await;
    let owner = account(&store, "owner").await;
    let other = account(&store, "other").await;
    let change = Change {
        user: "alice",
        at: at(10),
    };
    let created = store
        .create_budget(
            BudgetId::from_bytes(random_id()),
            &owner,
            new_budget("예산 A", 1000),
            change,
        )
        .await
        .unwrap();
    let fetched = store.get_budget(&owner, created.id.as_str()).await.unwrap();
    assert_eq!(fetched.as_ref(), Some(&created));
    assert_eq!(
        store.get_budget(&other, created.id.as_str()).await.unwrap(),
        None
    );
    assert!(!store
        .delete_budget(&other, created.id.as_str())
        .await
        .unwrap());
    assert!(store
        .delete_budget(&owner, created.id.as_str())
        .await
        .unwrap());
    assert_eq!(
        store.get_budget(&owner, created.id.as_str()).await.unwrap(),
        None
    );
}

async fn duplicate_names_conflict_within_an_account_only(backend: Backend) {
    let (_database, store) = open(backend).await;
    let first = account(&store, "first").await;
    let second = account(&store, "second").await;
    let change = Change {
        user: "u",
        at: at(0),
    };
    store
        .create_budget(
            BudgetId::from_bytes(random_id()),
            &first,
            new_budget("same", 1),
            change,
        )
        .await
        .unwrap();
    let duplicate = store
        .create_budget(
            BudgetId::from_bytes(random_id()),
            &first,
            new_budget("same", 2),
            change,
        )
        .await;
    assert!(
        matches!(duplicate, Err(StoreError::Conflict(_))),
        "{duplicate:?}"
    );
    store
        .create_budget(
            BudgetId::from_bytes(random_id()),
            &second,
            new_budget("same", 3),
            change,
        )
        .await
        .unwrap();
}

async fn lists_filter_sort_and_count(backend: Backend) {
    let (_database, store) = open(backend).await;
    let owner = account(&store, "owner").await;
    for (idx, name) in ["Alpha", "beta", "ALPHABET", "gamma_1", "gamma%2"]
        .iter()
        .enumerate()
    {
        let change = Change {
            user: "u",
            at: at(i64::try_from(idx).unwrap()),
        };
        store
            .create_budget(
                BudgetId::from_bytes(random_id()),
                &owner,
                new_budget(name, 10 - i64::try_from(idx).unwrap()),
                change,
            )
            .await
            .unwrap();
    }
    let by_amount = [SortKey {
        field: BudgetSortField::Amount,
        direction: SortDirection::Asc,
    }];
    let page = PageRequest::new(None, Some(2), 0, 20).unwrap();
    let contains = BudgetFilter {
        name_contains: Some("alpha".into()),
        name_equals: None,
    };
    let (items, total) = store
        .list_budgets(&owner, &contains, &by_amount, page)
        .await
        .unwrap();
    assert_eq!(total, 2);
    let names: Vec<_> = items.iter().map(|b| b.core.name.as_str()).collect();
    assert_eq!(names, ["ALPHABET", "Alpha"]);

    let wildcard = BudgetFilter {
        name_contains: Some("%".into()),
        name_equals: None,
    };
    let (items, total) = store
        .list_budgets(&owner, &wildcard, &by_amount, page)
        .await
        .unwrap();
    assert_eq!((total, items[0].core.name.as_str()), (1, "gamma%2"));

    let exact = BudgetFilter {
        name_contains: None,
        name_equals: Some("beta".into()),
    };
    assert_eq!(
        store
            .list_budgets(&owner, &exact, &by_amount, page)
            .await
            .unwrap()
            .1,
        1
    );

    let by_name = [SortKey {
        field: BudgetSortField::Name,
        direction: SortDirection::Asc,
    }];
    let all = PageRequest::new(None, Some(10), 0, 20).unwrap();
    let (items, _) = store
        .list_budgets(&owner, &BudgetFilter::default(), &by_name, all)
        .await
        .unwrap();
    let names: Vec<_> = items.iter().map(|b| b.core.name.as_str()).collect();
    assert_eq!(names, ["ALPHABET", "Alpha", "beta", "gamma%2", "gamma_1"]);
}

async fn updates_see_the_stored_budget(backend: Backend) {
    let (_database, store) = open(backend).await;
    let owner = account(&store, "owner").await;
    let created = store
        .create_budget(
            BudgetId::from_bytes(random_id()),
            &owner,
            new_budget("b", 5),
            Change {
                user: "u",
                at: at(0),
            },
        )
        .await
        .unwrap();
    let updated = store
        .update_budget::<StoreError>(
            &owner,
            created.id.as_str(),
            Change {
                user: "v",
                at: at(60),
            },
            |current| {
                let mut next = new_budget("renamed", current.core.amount.krw() + 1);
                next.notifications = current.notifications.clone();
                Ok(next)
            },
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(updated.core.amount.krw(), 6);
    assert_eq!(
        (updated.created_by.as_str(), updated.modified_by.as_str()),
        ("u", "v")
    );
    assert_eq!(
        updated.modified_at - updated.created_at,
        Duration::seconds(60)
    );
    assert_eq!(
        store.get_budget(&owner, created.id.as_str()).await.unwrap(),
        Some(updated)
    );
    let missing = store
        .update_budget::<StoreError>(
            &owner,
            "0".repeat(32).as_str(),
            Change {
                user: "v",
                at: at(0),
            },
            |_| unreachable!("no budget to change"),
        )
        .await
        .unwrap();
    assert_eq!(missing, None);
}

async fn access_keys_can_be_disabled(backend: Backend) {
    let (_database, store) = open(backend).await;
    let owner = account(&store, "owner").await;
    let key = AccessKey {
        access_key: "AK1".into(),
        secret_key: "secret".into(),
        account_id: owner,
        user_name: "alice".into(),
        is_admin: true,
        enabled: true,
        created_at: at(0),
        disabled_at: None,
    };
    store.create_access_key(&key).await.unwrap();
    assert_eq!(
        store.find_access_key("AK1").await.unwrap(),
        Some(key.clone())
    );
    assert!(store.disable_access_key("AK1", at(5)).await.unwrap());
    assert!(!store.disable_access_key("nope", at(5)).await.unwrap());
    let disabled = store.find_access_key("AK1").await.unwrap().unwrap();
    assert!(!disabled.enabled);
    assert_eq!(disabled.disabled_at, Some(at(5)));
    assert_eq!(store.list_access_keys().await.unwrap().len(), 1);
    assert_eq!(
        store
            .find_account("owner")
            .await
            .unwrap()
            .map(|a| a.name.as_str().to_owned()),
        Some("owner".into())
    );
}

async fn signatures_are_remembered_once(backend: Backend) {
    let (_database, store) = open(backend).await;
    assert!(store.remember_signature("sig", at(100)).await.unwrap());
    assert!(!store.remember_signature("sig", at(100)).await.unwrap());
    assert_eq!(store.forget_expired_signatures(at(101)).await.unwrap(), 1);
    assert!(store.remember_signature("sig", at(200)).await.unwrap());
}

backend_tests!(
    budgets_round_trip_and_stay_in_their_account,
    duplicate_names_conflict_within_an_account_only,
    lists_filter_sort_and_count,
    updates_see_the_stored_budget,
    access_keys_can_be_disabled,
    signatures_are_remembered_once,
);
