//! The store's behaviour, identical on SQLite and PostgreSQL.
#![allow(clippy::unwrap_used, missing_docs)]

use std::collections::HashSet;

use chrono::{DateTime, Duration, Utc};
use rust_decimal::Decimal;
use scpfm_domain::account::{AccessKey, Account, AccountName};
use scpfm_domain::budget::{
    BudgetAmount, BudgetCore, BudgetName, BudgetSortField, BudgetUnit, NewBudget, NotificationPatch,
};
use scpfm_domain::catalog::Offering;
use scpfm_domain::email::EmailAddress;
use scpfm_domain::ids::{usage_ids, AccountId, BudgetId};
use scpfm_domain::listing::{PageRequest, SortDirection, SortKey};
use scpfm_domain::money::DualAmount;
use scpfm_domain::month::kst_date;
use scpfm_domain::month::YearMonth;
use scpfm_domain::rating::UsageUnit;
use scpfm_domain::usage::{StoredUsage, UsageRecord, UsageSortField};
use scpfm_store::budgets::{BudgetFilter, Change};
use scpfm_store::usage::{IngestOutcome, IngestPlan, UsageQuery};
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
    for (idx, name) in ["Alpha", "beta", "ALPHABET", "gamma_1", "gamma.2"]
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

    // `_` is a LIKE wildcard: searched for as itself.
    let wildcard = BudgetFilter {
        name_contains: Some("_".into()),
        name_equals: None,
    };
    let (items, total) = store
        .list_budgets(&owner, &wildcard, &by_amount, page)
        .await
        .unwrap();
    assert_eq!((total, items[0].core.name.as_str()), (1, "gamma_1"));

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
    assert_eq!(names, ["ALPHABET", "Alpha", "beta", "gamma.2", "gamma_1"]);
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

fn usage(account: &AccountId, record_id: &str, hour: i64, price_id: &str) -> UsageRecord {
    let start = at(hour * 3600);
    UsageRecord {
        record_id: record_id.into(),
        account_id: account.clone(),
        resource_id: "vm-1".into(),
        resource_name: "web-1".into(),
        billing_item_id: "VIRTUAL_SERVER".into(),
        service_category: "COMPUTE".into(),
        ccbs_product_code: "PD00000001".into(),
        region: "kr-west1".into(),
        contract_id: None,
        order_status: "04".into(),
        status_code: 0,
        attributes: [("server_type".to_owned(), "s1v1m2".to_owned())].into(),
        period_start: start,
        period_end: start + Duration::hours(1),
        month: YearMonth::of(kst_date(start)),
        quantity: Decimal::ONE,
        unit: UsageUnit::Hour,
        offering: Offering::PayAsYouGo,
        price_id: price_id.into(),
        amount: DualAmount {
            krw: Decimal::new(226, 1),
            usd: Decimal::new(16, 3),
        },
        tags: scpfm_domain::tags::TagSet::EMPTY,
    }
}

/// A catalogue for records rated by the test itself.
fn no_prices() -> std::sync::Arc<scpfm_domain::catalog::Catalog> {
    let rate = scpfm_domain::money::ExchangeRate::new(Decimal::new(1400, 0)).unwrap();
    std::sync::Arc::new(scpfm_domain::catalog::Catalog::without_prices(rate))
}

/// Stores `rows` in one ingestion at `now`, keeping those not already stored.
async fn store_usage(store: &Store, now: DateTime<Utc>, rows: Vec<UsageRecord>) -> IngestOutcome {
    let mut ingest = store.begin_usage_ingest(now, no_prices()).await.unwrap();
    let outcome = ingest_batch(&mut ingest, rows).await;
    ingest.commit().await.unwrap();
    outcome
}

async fn list_all(
    store: &Store,
    accounts: &[AccountId],
    order: UsageSortField,
) -> Vec<StoredUsage> {
    let query = UsageQuery {
        accounts: accounts.to_vec(),
        ..Default::default()
    };
    store
        .list_usages(&query, order, SortDirection::Asc, None, 100)
        .await
        .unwrap()
        .unwrap()
        .items
}

async fn usage_round_trips_through_its_series(backend: Backend) {
    let (_database, store) = open(backend).await;
    let (one, two) = (account(&store, "one").await, account(&store, "two").await);
    let mut rows: Vec<UsageRecord> = (0..3)
        .map(|hour| usage(&one, &format!("one-{hour}"), hour, "price-a"))
        .collect();
    let mut repriced = usage(&one, "one-3", 3, "price-b");
    repriced.attributes.insert("os_type".into(), "RHEL".into());
    rows.push(repriced.clone());
    rows.push(usage(&two, "two-0", 0, "price-a"));
    let outcome = store_usage(&store, at(10 * 3600), rows.clone()).await;
    assert_eq!((outcome.stored, outcome.duplicates), (5, 0));

    let listed = list_all(
        &store,
        std::slice::from_ref(&one),
        UsageSortField::UsageDate,
    )
    .await;
    let records: Vec<&UsageRecord> = listed.iter().map(|stored| &stored.record).collect();
    assert_eq!(records, rows[..4].iter().collect::<Vec<_>>());
    let ids: HashSet<&str> = listed.iter().map(|stored| stored.id.as_str()).collect();
    assert_eq!(ids.len(), 4);
    assert!(
        ids.iter().all(|id| id.parse::<AccountId>().is_ok()),
        "32 hex: {ids:?}"
    );
    let others = list_all(
        &store,
        std::slice::from_ref(&two),
        UsageSortField::UsageDate,
    )
    .await;
    assert_eq!(others.len(), 1);
    assert_eq!(others[0].record, rows[4]);

    // Sent again with new ones: only the new ones are stored.
    let again = store_usage(
        &store,
        at(11 * 3600),
        vec![rows[0].clone(), usage(&one, "one-4", 4, "price-a")],
    )
    .await;
    assert_eq!((again.stored, again.duplicates), (1, 1));
}

async fn created_at_never_runs_backwards(backend: Backend) {
    let (_database, store) = open(backend).await;
    let one = account(&store, "one").await;
    store_usage(
        &store,
        at(50 * 3600),
        vec![usage(&one, "late-clock", 0, "p")],
    )
    .await;
    // The clock went back an hour: the next record is still not older than the last one.
    store_usage(
        &store,
        at(49 * 3600),
        vec![usage(&one, "early-clock", 1, "p")],
    )
    .await;
    let listed = list_all(&store, &[one], UsageSortField::CreatedAt).await;
    let order: Vec<(&str, DateTime<Utc>)> = listed
        .iter()
        .map(|stored| (stored.record.record_id.as_str(), stored.created_at))
        .collect();
    assert_eq!(
        order,
        vec![
            ("late-clock", at(50 * 3600)),
            ("early-clock", at(50 * 3600))
        ]
    );
}

async fn unfinished_ingestions_store_nothing(backend: Backend) {
    let (_database, store) = open(backend).await;
    let one = account(&store, "one").await;
    {
        let mut ingest = store
            .begin_usage_ingest(at(3600), no_prices())
            .await
            .unwrap();
        let rows = vec![usage(&one, "dropped", 0, "p")];
        let plan = IngestPlan::new(["dropped"], Vec::new(), None);
        ingest
            .ingest(plan, move |_| Ok::<_, StoreError>(rows))
            .await
            .unwrap();
        // Dropped without commit.
    }
    assert!(list_all(
        &store,
        std::slice::from_ref(&one),
        UsageSortField::UsageDate
    )
    .await
    .is_empty());
    // The store is usable afterwards, and a marker that is no record of the listing is refused.
    store_usage(&store, at(7200), vec![usage(&one, "kept", 0, "p")]).await;
    let query = UsageQuery {
        accounts: vec![one],
        ..Default::default()
    };
    for marker in ["00000000000000000000000000000000", &usage_ids::encode(999)] {
        let page = store
            .list_usages(
                &query,
                UsageSortField::UsageDate,
                SortDirection::Asc,
                Some(marker),
                10,
            )
            .await
            .unwrap();
        assert!(page.is_none(), "{marker}");
    }
}

/// Stores one batch of `rows` through `ingest`, keeping those not already stored.
async fn ingest_batch(
    ingest: &mut scpfm_store::usage::UsageIngest,
    rows: Vec<UsageRecord>,
) -> IngestOutcome {
    let plan = IngestPlan::new(
        rows.iter().map(|row| row.record_id.as_str()),
        Vec::new(),
        None,
    );
    ingest
        .ingest(plan, move |context| {
            Ok::<_, StoreError>(
                rows.into_iter()
                    .filter(|row| !context.existing.contains(&row.record_id))
                    .collect(),
            )
        })
        .await
        .unwrap()
}

async fn batches_of_one_ingestion_see_each_others_records(backend: Backend) {
    let (_database, store) = open(backend).await;
    let one = account(&store, "one").await;
    store_usage(&store, at(3600), vec![usage(&one, "committed", 0, "p")]).await;
    let mut ingest = store
        .begin_usage_ingest(at(7200), no_prices())
        .await
        .unwrap();
    let first = ingest_batch(&mut ingest, vec![usage(&one, "a", 1, "p")]).await;
    // On PostgreSQL the first batch is still being copied while the second is checked: its
    // record, and the committed one, are no-ops all the same.
    let second = ingest_batch(
        &mut ingest,
        vec![
            usage(&one, "a", 1, "p"),
            usage(&one, "committed", 0, "p"),
            usage(&one, "b", 2, "p"),
        ],
    )
    .await;
    let third = ingest_batch(&mut ingest, vec![usage(&one, "b", 2, "p")]).await;
    assert_eq!(
        [
            (first.stored, first.duplicates),
            (second.stored, second.duplicates),
            (third.stored, third.duplicates)
        ],
        [(1, 0), (1, 2), (0, 1)]
    );
    assert_eq!(ingest.commit().await.unwrap(), vec![one.clone()]);
    let ids: Vec<String> = list_all(&store, &[one], UsageSortField::CreatedAt)
        .await
        .into_iter()
        .map(|stored| stored.record.record_id)
        .collect();
    assert_eq!(ids, ["committed", "a", "b"]);
}

async fn checkpoints_copy_the_log_back(backend: Backend) {
    let (_database, store) = open(backend).await;
    account(&store, "one").await;
    match (backend, store.checkpoint().await.unwrap()) {
        (Backend::Sqlite, Some((frames, copied))) => {
            assert!(frames > 0, "the account went into the log");
            assert_eq!(copied, frames, "nothing blocks a checkpoint here");
        }
        (Backend::Postgres, None) => {}
        other => panic!("unexpected checkpoint outcome {other:?}"),
    }
}

backend_tests!(
    checkpoints_copy_the_log_back,
    batches_of_one_ingestion_see_each_others_records,
    usage_round_trips_through_its_series,
    created_at_never_runs_backwards,
    unfinished_ingestions_store_nothing,
    budgets_round_trip_and_stay_in_their_account,
    duplicate_names_conflict_within_an_account_only,
    lists_filter_sort_and_count,
    updates_see_the_stored_budget,
    access_keys_can_be_disabled,
    signatures_are_remembered_once,
);
