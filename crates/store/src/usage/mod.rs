//! Usage records: atomic, de-duplicated ingestion ([`UsageIngest`]) and filtered keyset
//! listing.
//!
//! A record is stored in two parts (see `migrations/*/V2__usage.sql`): its descriptive
//! fields, the same hour after hour for one resource at one price, once per distinct value
//! in `usage_series` ([`series`]); and per record only what varies — record id, period,
//! quantity, amounts — in `usage_records`, numbered in storage order (`seq`). The wire id is
//! derived from that number ([`usage_ids`]), and `created_at` never decreases along it, so
//! `created_at` order is storage order.

mod ingest;
mod ingest_rows;
mod series;

pub use ingest::UsageIngest;
pub(crate) use ingest::INGEST_LOCK;

use std::collections::HashMap;

use rust_decimal::Decimal;
use scpfm_domain::ids::{usage_ids, AccountId};
use scpfm_domain::listing::{MarkerPage, SortDirection};
use scpfm_domain::money::DualAmount;
use scpfm_domain::month::kst_date;
use scpfm_domain::month::YearMonth;
use scpfm_domain::usage::{StoredUsage, TierKey, UsageRecord, UsageSortField};

use crate::codec::{instant, micros, valid};
use crate::db::{Executor, Row, SqlBuilder, Value};
use crate::filters::ResourceFilter;
use crate::keyset::Keyset;
use crate::{Store, StoreError};

/// What the store must know before the caller rates a batch.
#[derive(Debug, Clone, Default)]
pub struct IngestPlan {
    /// The de-duplication keys of every record of the batch (ids already unique).
    record_keys: Vec<i64>,
    /// Accounts and months whose cumulative tier quantities the rating needs.
    pub months: Vec<(AccountId, YearMonth)>,
    /// The first and last period start of the records planned compute may cover (their
    /// contracts' taken hours are loaded for that range).
    pub coverable: Option<(chrono::DateTime<chrono::Utc>, chrono::DateTime<chrono::Utc>)>,
}

impl IngestPlan {
    /// A plan for a batch of records with `record_ids` (unique within the batch), the
    /// `months` they rate against and their `coverable` range. The ids are only read: the
    /// plan keeps their de-duplication keys, not copies.
    pub fn new<'a>(
        record_ids: impl IntoIterator<Item = &'a str>,
        months: Vec<(AccountId, YearMonth)>,
        coverable: Option<(chrono::DateTime<chrono::Utc>, chrono::DateTime<chrono::Utc>)>,
    ) -> Self {
        Self {
            record_keys: record_ids.into_iter().map(ingest::record_key).collect(),
            months,
            coverable,
        }
    }
}

/// What the rating of one batch may read and advance.
pub struct BatchContext<'a> {
    /// Record ids of the batch already stored (re-sent records are no-ops).
    pub existing: &'a RecordIds,
    /// Closed months: their new records must be refused.
    pub closed: &'a [YearMonth],
    /// The month's cumulative tier quantities.
    pub totals: &'a mut TierTotals,
    /// Planned compute contracts and the hours they have covered.
    pub coverage: &'a mut scpfm_domain::coverage::CoverageBook,
}

/// Record ids (hashed with foldhash: these sets hold whole batches).
pub type RecordIds = std::collections::HashSet<String, foldhash::fast::RandomState>;

/// Cumulative tier quantities, by account, month and price.
pub type TierTotals = HashMap<TierKey, Decimal>;

/// What a batch did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct IngestOutcome {
    /// Records stored now.
    pub stored: usize,
    /// Records already stored before (re-sent ids).
    pub duplicates: usize,
    /// Sum of the amounts stored now.
    pub amount: DualAmount,
}

/// A stored record with its series: `r` is `usage_records`, `s` is `usage_series`.
const SELECT: &str = "SELECT r.seq, r.record_id, s.account_id, s.resource_id, s.resource_name, \
     s.billing_item_id, s.service_category, s.ccbs_product_code, s.region, s.contract_id, \
     s.order_status, s.status_code, s.attributes, r.period_start, r.period_end, r.quantity, \
     s.unit, s.offering, s.price_id, r.amount_krw, r.amount_usd, r.created_at, \
     (SELECT t.canonical FROM tag_sets t WHERE t.id = s.tag_set) \
     FROM usage_records r JOIN usage_series s ON s.id = r.series_id WHERE ";
const COUNT: &str =
    "SELECT COUNT(*) FROM usage_records r JOIN usage_series s ON s.id = r.series_id WHERE ";

fn map_usage(row: &dyn Row) -> Result<StoredUsage, StoreError> {
    let period_start = instant(row.int(13)?)?;
    Ok(StoredUsage {
        id: usage_ids::encode(row.int(0)?),
        created_at: instant(row.int(21)?)?,
        record: UsageRecord {
            record_id: row.text(1)?,
            account_id: valid("account id", row.text(2)?.parse())?,
            resource_id: row.text(3)?,
            resource_name: row.text(4)?,
            billing_item_id: row.text(5)?,
            service_category: row.text(6)?,
            ccbs_product_code: row.text(7)?,
            region: row.text(8)?,
            contract_id: row.opt_text(9)?,
            order_status: row.text(10)?,
            status_code: row.int(11)?,
            attributes: valid("attributes", serde_json::from_str(&row.text(12)?))?,
            period_start,
            period_end: instant(row.int(14)?)?,
            month: YearMonth::of(kst_date(period_start)),
            quantity: row.decimal(15)?,
            unit: valid("unit", row.text(16)?.parse())?,
            offering: valid("offering", row.text(17)?.parse())?,
            price_id: row.text(18)?,
            amount: DualAmount {
                krw: row.decimal(19)?,
                usd: row.decimal(20)?,
            },
            tags: stored_tags(row.opt_text(22)?)?,
        },
    })
}

/// Tags from their canonical text.
fn stored_tags(canonical: Option<String>) -> Result<scpfm_domain::tags::TagSet, StoreError> {
    let pairs = scpfm_domain::tags::parse_list(canonical.as_deref().unwrap_or(""))
        .map_err(|error| StoreError::Corrupt(format!("stored tags: {error}")))?;
    Ok(scpfm_domain::tags::TagSet::from_stored(pairs))
}

impl Store {
    /// One page of the usage records matching `query`, in `order` (ties in storage order);
    /// `marker` is the id of the last record already seen. `Ok(None)` when the marker is not
    /// a record of this listing.
    ///
    /// Several accounts (a payer and its members) are listed as one branch per account, each
    /// reading its own index range in order, merged by an outer sort of at most
    /// `accounts × (limit + 1)` rows: no listing sorts all of an organisation's records.
    pub async fn list_usages(
        &self,
        query: &UsageQuery,
        order: UsageSortField,
        direction: SortDirection,
        marker: Option<&str>,
        limit: u32,
    ) -> Result<Option<MarkerPage<StoredUsage>>, StoreError> {
        let mut db = &self.db;
        let accounts = self.usage_account_numbers(&query.accounts).await?;
        let after = match marker {
            None => None,
            Some(marker) => {
                let Some(seq) = usage_ids::decode(marker) else {
                    return Ok(None);
                };
                let mut lookup = SqlBuilder::default();
                lookup.push(
                    "SELECT r.period_start FROM usage_records r \
                     JOIN usage_series s ON s.id = r.series_id WHERE r.seq = ",
                );
                lookup.param(Value::Int(seq));
                lookup.push(" AND ");
                query.conditions(&accounts, &mut lookup);
                let Some(period_start) = db
                    .query_opt(&lookup.sql, &lookup.params, |row| row.int(0))
                    .await?
                else {
                    return Ok(None);
                };
                Some((period_start, seq))
            }
        };
        let page = PageQuery {
            query,
            keyset: Keyset {
                key: match order {
                    UsageSortField::UsageDate => Some("period_start"),
                    UsageSortField::CreatedAt => None,
                },
                direction,
                after: after.map(|(period_start, seq)| (Value::Int(period_start), seq)),
                rows: i64::from(limit) + 1,
            },
        };
        // A payer's listing: one index-ordered branch per account, merged.
        let mut sql = SqlBuilder::default();
        sql.merge(
            &accounts,
            |sql, account| page.branch(account, sql),
            |sql| page.keyset.order_limit("", sql),
        );
        let rows = db.query_all(&sql.sql, &sql.params, map_usage).await?;
        Ok(Some(MarkerPage::from_rows(rows, limit)))
    }

    /// How many usage records match `query`.
    pub async fn count_usages(&self, query: &UsageQuery) -> Result<u64, StoreError> {
        let accounts = self.usage_account_numbers(&query.accounts).await?;
        let mut sql = SqlBuilder::default();
        sql.push(COUNT);
        query.conditions(&accounts, &mut sql);
        let mut db = &self.db;
        let count = db
            .query_one(&sql.sql, &sql.params, |row| row.int(0))
            .await?;
        Ok(u64::try_from(count).unwrap_or(0))
    }

    /// The numbers usage records give `accounts` (accounts without usage have none).
    async fn usage_account_numbers(&self, accounts: &[AccountId]) -> Result<Vec<i64>, StoreError> {
        let mut sql = SqlBuilder::default();
        sql.push("SELECT number FROM usage_accounts WHERE ");
        sql.in_list("account_id", accounts.iter().map(AccountId::as_str));
        (&self.db)
            .query_all(&sql.sql, &sql.params, |row| row.int(0))
            .await
    }
}

/// One listing page's query: what it covers and how it pages.
struct PageQuery<'q> {
    query: &'q UsageQuery,
    keyset: Keyset<'q>,
}

impl<'q> PageQuery<'q> {
    /// The page's records of `accounts` in order, resuming after the marker.
    fn branch(&self, accounts: &[i64], sql: &mut SqlBuilder<'q>) {
        sql.push(SELECT);
        self.query.conditions(accounts, sql);
        self.keyset.after_marker("r.", sql);
        self.keyset.order_limit("r.", sql);
    }
}

/// Which usage records a listing covers.
#[derive(Debug, Clone, Default)]
pub struct UsageQuery {
    /// Accounts (at least one).
    pub accounts: Vec<AccountId>,
    /// Period start at or after this instant.
    pub from: Option<chrono::DateTime<chrono::Utc>>,
    /// Period start before this instant.
    pub until: Option<chrono::DateTime<chrono::Utc>>,
    /// Service category, billing item, resource, region, contract, order status.
    pub resources: ResourceFilter,
}

impl UsageQuery {
    /// The `WHERE` conditions over `usage_records r` joined with `usage_series s`, given the
    /// numbers of the query's accounts.
    fn conditions<'a>(&'a self, accounts: &[i64], sql: &mut SqlBuilder<'a>) {
        sql.in_values("r.account_no", accounts.iter().copied().map(Value::Int));
        if let Some(from) = self.from {
            sql.push(" AND r.period_start >= ");
            sql.param(Value::Int(micros(from)));
        }
        if let Some(until) = self.until {
            sql.push(" AND r.period_start < ");
            sql.param(Value::Int(micros(until)));
        }
        self.resources.conditions("s.", sql);
    }
}
