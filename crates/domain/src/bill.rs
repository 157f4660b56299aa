//! Bills: the components of a bill line, where usage lands, and how an operator's
//! adjustments (discounts, savings, credits) turn a line's charges into its `amounts`.
//!
//! A bill line is one account's cost of one resource and billing item in one month. Its
//! **charges** are sums of rated usage (and later fees), by component; its **discounts** are
//! derived from the account-month's [`Adjustment`]s by [`apply_adjustments`]; its `amounts`
//! are the charges minus the discounts. Everything is exact: discounts are rounded down at
//! 3 decimals (never more than the adjustment promises) and never exceed what is left of a
//! line, so `amounts` is never negative.

use std::str::FromStr;

use chrono::{DateTime, Utc};
use rust_decimal::{Decimal, RoundingStrategy};

use crate::catalog::{Catalog, Offering};
use crate::component::{ChargeComponent, DiscountComponent};
use crate::ids::AccountId;
use crate::money::{DualAmount, ExchangeRate};
use crate::month::YearMonth;

/// Decimals of bill and payment amounts (KRW and USD).
pub const AMOUNT_SCALE: u32 = 3;

const CHARGES: usize = 6;
const DISCOUNTS: usize = 10;

/// A bill line's amounts by component.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct BillCharges {
    /// Charges, indexed by [`ChargeComponent::index`].
    pub charges: [DualAmount; CHARGES],
    /// Discounts, indexed by [`DiscountComponent::index`].
    pub discounts: [DualAmount; DISCOUNTS],
}

impl BillCharges {
    /// One component's charge.
    pub fn charge(&self, component: ChargeComponent) -> DualAmount {
        self.charges[component.index()]
    }

    /// One component's discount.
    pub fn discount(&self, component: DiscountComponent) -> DualAmount {
        self.discounts[component.index()]
    }

    /// Adds to a charge.
    pub fn add_charge(&mut self, component: ChargeComponent, amount: DualAmount) {
        self.charges[component.index()] += amount;
    }

    /// Adds every charge of `other` (discounts are derived, not added).
    pub fn add_charges(&mut self, other: &Self) {
        for (mine, theirs) in self.charges.iter_mut().zip(other.charges) {
            *mine += theirs;
        }
    }

    /// Every charge: the line before discounts.
    pub fn gross(&self) -> DualAmount {
        self.charges.iter().copied().sum()
    }

    /// Every discount (`discount_amounts`).
    pub fn discount_total(&self) -> DualAmount {
        self.discounts.iter().copied().sum()
    }

    /// What is owed (`amounts`): charges minus discounts.
    pub fn net(&self) -> DualAmount {
        let (gross, discounts) = (self.gross(), self.discount_total());
        DualAmount {
            krw: gross.krw - discounts.krw,
            usd: gross.usd - discounts.usd,
        }
    }
}

/// A bill line: one account's cost of one resource and billing item in one month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BillLine {
    /// Wire id (32 hex characters).
    pub id: String,
    /// The account billed.
    pub account_id: AccountId,
    /// The month (KST) of the usage.
    pub month: YearMonth,
    /// Resource id.
    pub resource_id: String,
    /// Resource name (as the month's first usage named it).
    pub resource_name: String,
    /// Billing item.
    pub billing_item_id: String,
    /// Service category of the billing item.
    pub service_category: String,
    /// Region.
    pub region: String,
    /// The planned compute contract of the resource, if one covered it.
    pub contract_id: Option<String>,
    /// CCBS order status.
    pub order_status: String,
    /// `USED` while the month is open, `BILLED` once closed.
    pub state: BillState,
    /// Amounts by component.
    pub charges: BillCharges,
    /// When the line was first stored.
    pub created_at: DateTime<Utc>,
}

/// One account's payment record for one closed month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payment {
    /// The account billed.
    pub account_id: AccountId,
    /// Its name.
    pub account_name: String,
    /// True when the account is a member of an organisation (its payer pays).
    pub is_member: bool,
    /// The month.
    pub month: YearMonth,
    /// The month's bills after discounts.
    pub bill: DualAmount,
    /// The month's charges before discounts.
    pub used: DualAmount,
    /// Paid so far.
    pub paid: DualAmount,
    /// Unpaid amounts of this and every earlier month.
    pub accumulated_unpaid: DualAmount,
    /// The (KST) date of the last payment, if any.
    pub payment_date: Option<chrono::NaiveDate>,
}

impl Payment {
    /// What is still owed for this month.
    pub fn unpaid(&self) -> DualAmount {
        DualAmount {
            krw: self.bill.krw - self.paid.krw,
            usd: self.bill.usd - self.paid.usd,
        }
    }
}

/// A bill line's state: `USED` while its month is open, `BILLED` once the month is closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BillState {
    /// The month is open; the line grows as usage arrives.
    Used,
    /// The month is closed; the line is final.
    Billed,
}

impl BillState {
    /// Both states, in wire form order.
    pub const ALL: [Self; 2] = [Self::Used, Self::Billed];

    /// The wire code.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Used => "USED",
            Self::Billed => "BILLED",
        }
    }
}

impl crate::code::Code for BillState {
    fn all() -> &'static [Self] {
        &Self::ALL
    }

    fn code(self) -> &'static str {
        self.as_str()
    }
}

impl FromStr for BillState {
    type Err = ();

    fn from_str(text: &str) -> Result<Self, ()> {
        crate::code::Code::from_code(text).ok_or(())
    }
}

/// The component usage of `billing_item_id` rated at an `offering` price lands in: covered
/// hours (PP) are planned compute; everything else lands where its billing item says
/// (`asset` for an item the catalogue no longer has).
pub fn component_of(
    catalog: &Catalog,
    billing_item_id: &str,
    offering: Offering,
) -> ChargeComponent {
    if offering == Offering::PlannedCompute {
        return ChargeComponent::PlannedCompute;
    }
    catalog
        .billing_item(billing_item_id)
        .map_or(ChargeComponent::Asset, |item| item.bill_component)
}

/// How much an adjustment takes off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AdjustmentValue {
    /// A percentage (0–100] of each matching line's charges.
    Percent(Decimal),
    /// A fixed KRW amount, spread over the matching lines in bill order.
    Fixed(Decimal),
}

/// An operator's discount, saving or credit for one account and month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Adjustment {
    /// The operator's id for it; loading it again changes nothing.
    pub adjustment_id: String,
    /// The account.
    pub account_id: AccountId,
    /// The month it applies to.
    pub month: YearMonth,
    /// The component it lands in.
    pub component: DiscountComponent,
    /// How much.
    pub value: AdjustmentValue,
    /// Only lines of this billing item, if set.
    pub billing_item_id: Option<String>,
    /// Free text.
    pub description: String,
}

impl Adjustment {
    fn matches(&self, billing_item_id: &str) -> bool {
        self.billing_item_id
            .as_deref()
            .is_none_or(|only| only == billing_item_id)
    }
}

/// Derives the discounts of one account-month's lines (`(billing item, charges)`, in bill
/// order) from its adjustments, replacing whatever discounts they held:
/// 1. percentages, in adjustment-id order: each takes its share of every matching line's
///    charges, rounded down at 3 decimals;
/// 2. fixed amounts, in adjustment-id order: each is spent on the matching lines in bill
///    order, as much as each line has left, until it is used up (the rest is not carried
///    over: a credit larger than the month's bill is capped at the bill).
///
/// No line is discounted below zero. USD discounts are the KRW discount at the month's
/// rate, rounded half to even at 3 decimals and capped at the line's USD left; a line
/// discounted to zero KRW is zero in USD too.
pub fn apply_adjustments(
    lines: &mut [(&str, &mut BillCharges)],
    adjustments: &[Adjustment],
    rate: ExchangeRate,
) {
    let mut ordered: Vec<&Adjustment> = adjustments.iter().collect();
    ordered.sort_by(|a, b| a.adjustment_id.cmp(&b.adjustment_id));
    let mut krw: Vec<[Decimal; DISCOUNTS]> = vec![[Decimal::ZERO; DISCOUNTS]; lines.len()];
    let mut left: Vec<Decimal> = lines.iter().map(|(_, line)| line.gross().krw).collect();
    let percentages = ordered
        .iter()
        .filter(|adjustment| matches!(adjustment.value, AdjustmentValue::Percent(_)));
    for adjustment in percentages {
        let AdjustmentValue::Percent(percent) = adjustment.value else {
            continue;
        };
        for (idx, (item, line)) in lines.iter().enumerate() {
            if !adjustment.matches(item) {
                continue;
            }
            let share = (line.gross().krw * percent / Decimal::ONE_HUNDRED)
                .round_dp_with_strategy(AMOUNT_SCALE, RoundingStrategy::ToZero)
                .min(left[idx])
                .max(Decimal::ZERO);
            krw[idx][adjustment.component.index()] += share;
            left[idx] -= share;
        }
    }
    let fixed = ordered
        .iter()
        .filter(|adjustment| matches!(adjustment.value, AdjustmentValue::Fixed(_)));
    for adjustment in fixed {
        let AdjustmentValue::Fixed(amount) = adjustment.value else {
            continue;
        };
        let mut unspent = amount;
        for (idx, (item, _)) in lines.iter().enumerate() {
            if unspent <= Decimal::ZERO {
                break;
            }
            if !adjustment.matches(item) {
                continue;
            }
            let share = unspent.min(left[idx]).max(Decimal::ZERO);
            krw[idx][adjustment.component.index()] += share;
            left[idx] -= share;
            unspent -= share;
        }
    }
    for ((_, line), discounts) in lines.iter_mut().zip(krw) {
        let gross = line.gross();
        let mut usd_left = gross.usd.max(Decimal::ZERO);
        let fully_discounted = discounts.iter().copied().sum::<Decimal>() >= gross.krw;
        let last = discounts.iter().rposition(|krw| !krw.is_zero());
        for (idx, krw) in discounts.into_iter().enumerate() {
            let usd = if fully_discounted && Some(idx) == last {
                usd_left
            } else {
                rate.to_usd(krw, AMOUNT_SCALE).min(usd_left)
            };
            usd_left -= usd;
            line.discounts[idx] = DualAmount { krw, usd };
        }
    }
}

/// What bills can be sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BillSortField {
    /// The bill month (`bill_year_month`); lines of a month in the order they were created.
    BillYearMonth,
    /// When the line was first stored.
    CreatedAt,
}

impl crate::listing::SortField for BillSortField {
    const FIELDS: &'static [(&'static str, Self)] = &[
        ("bill_year_month", Self::BillYearMonth),
        ("created_at", Self::CreatedAt),
    ];
}

/// True once `month` has ended in KST at `now`: only ended months may be closed.
pub fn month_has_ended(month: YearMonth, now: DateTime<Utc>) -> bool {
    now >= crate::month::kst_midnight(month.next().first_day())
}

/// True when the automatic month close is due: `after_hours` past the month's end (KST).
pub fn close_is_due(month: YearMonth, now: DateTime<Utc>, after_hours: u32) -> bool {
    now >= crate::month::kst_midnight(month.next().first_day())
        + chrono::Duration::hours(i64::from(after_hours))
}

/// How a payment stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaymentState {
    /// Nothing is owed.
    Paid,
    /// Something is owed, and not yet more than a month past the due date.
    Unpaid,
    /// Something has been owed for more than a month past the due date.
    Overdue,
}

impl PaymentState {
    /// The wire code.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Paid => "PAID",
            Self::Unpaid => "UNPAID",
            Self::Overdue => "OVERDUE",
        }
    }
}

/// A month's bill is due on the last day of the following month (KST).
pub fn due_date(month: YearMonth) -> chrono::NaiveDate {
    month
        .next()
        .next()
        .first_day()
        .pred_opt()
        .unwrap_or_else(|| month.next().first_day())
}

/// The state of a month's payment on `today` (KST): paid when nothing is owed; overdue
/// once the due date is more than one month past (SCP: "overdue for more than 1 month").
pub fn payment_state(
    month: YearMonth,
    unpaid_krw: Decimal,
    today: chrono::NaiveDate,
) -> PaymentState {
    if unpaid_krw <= Decimal::ZERO {
        PaymentState::Paid
    } else if today > due_date(month.next()) {
        PaymentState::Overdue
    } else {
        PaymentState::Unpaid
    }
}

/// The month from which an overdue account is suspended: the month after it became overdue.
pub fn suspended_month(month: YearMonth, state: PaymentState) -> Option<YearMonth> {
    (state == PaymentState::Overdue).then(|| YearMonth::of(due_date(month.next())).next())
}

/// The USD equivalent of paying `paid_krw` of `bill`: the same share of the bill's USD,
/// exactly the bill's USD once paid in full, so `paid + unpaid == bill` in both currencies.
pub fn paid_usd(bill: DualAmount, paid_krw: Decimal) -> Decimal {
    if paid_krw >= bill.krw {
        bill.usd
    } else if bill.krw.is_zero() {
        Decimal::ZERO
    } else {
        (bill.usd * paid_krw / bill.krw)
            .round_dp_with_strategy(AMOUNT_SCALE, RoundingStrategy::ToZero)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn dec(text: &str) -> Decimal {
        text.parse().unwrap()
    }

    fn rate() -> ExchangeRate {
        ExchangeRate::new(dec("1400")).unwrap()
    }

    fn line(krw: Decimal) -> BillCharges {
        let mut charges = BillCharges::default();
        charges.add_charge(
            ChargeComponent::Asset,
            DualAmount::from_krw(krw, rate(), AMOUNT_SCALE),
        );
        charges
    }

    fn adjustment(id: &str, component: DiscountComponent, value: AdjustmentValue) -> Adjustment {
        Adjustment {
            adjustment_id: id.into(),
            account_id: "0123456789abcdef0123456789abcdef".parse().unwrap(),
            month: YearMonth::new(2026, 10).unwrap(),
            component,
            value,
            billing_item_id: None,
            description: String::new(),
        }
    }

    #[test]
    fn percentages_round_down_and_fixed_amounts_fill_lines_in_order() {
        let (mut a, mut b) = (line(dec("1000.005")), line(dec("500")));
        let adjustments = [
            adjustment(
                "2",
                DiscountComponent::AccountCredit,
                AdjustmentValue::Fixed(dec("1000")),
            ),
            adjustment(
                "1",
                DiscountComponent::MspDiscount,
                AdjustmentValue::Percent(dec("10")),
            ),
        ];
        apply_adjustments(
            &mut [("VIRTUAL_SERVER", &mut a), ("BLOCK_STORAGE", &mut b)],
            &adjustments,
            rate(),
        );
        assert_eq!(
            a.discount(DiscountComponent::MspDiscount).krw,
            dec("100.000")
        );
        assert_eq!(b.discount(DiscountComponent::MspDiscount).krw, dec("50"));
        // 900.005 left on the first line, 100 then on the second.
        assert_eq!(
            a.discount(DiscountComponent::AccountCredit).krw,
            dec("900.005")
        );
        assert_eq!(
            b.discount(DiscountComponent::AccountCredit).krw,
            dec("99.995")
        );
        assert_eq!(a.net(), DualAmount::ZERO);
        assert_eq!(b.net().krw, dec("350.005"));
    }

    #[test]
    fn adjustments_for_one_item_leave_the_others_alone() {
        let (mut a, mut b) = (line(dec("1000")), line(dec("500")));
        let mut only_storage = adjustment(
            "1",
            DiscountComponent::SlaDiscount,
            AdjustmentValue::Percent(dec("50")),
        );
        only_storage.billing_item_id = Some("BLOCK_STORAGE".into());
        apply_adjustments(
            &mut [("VIRTUAL_SERVER", &mut a), ("BLOCK_STORAGE", &mut b)],
            &[only_storage],
            rate(),
        );
        assert_eq!(a.discount_total(), DualAmount::ZERO);
        assert_eq!(b.discount_total().krw, dec("250"));
    }

    #[test]
    fn payment_states_follow_the_due_date() {
        let october = YearMonth::new(2026, 10).unwrap();
        let day = |m, d| chrono::NaiveDate::from_ymd_opt(2026, m, d).unwrap();
        assert_eq!(due_date(october), day(11, 30));
        assert_eq!(
            payment_state(october, dec("0"), day(12, 31)),
            PaymentState::Paid
        );
        assert_eq!(
            payment_state(october, dec("1"), day(12, 31)),
            PaymentState::Unpaid
        );
        assert_eq!(
            payment_state(october, dec("1"), day(11, 1)),
            PaymentState::Unpaid
        );
        let overdue = payment_state(
            october,
            dec("1"),
            chrono::NaiveDate::from_ymd_opt(2027, 1, 1).unwrap(),
        );
        assert_eq!(overdue, PaymentState::Overdue);
        assert_eq!(
            suspended_month(october, overdue),
            Some(YearMonth::new(2027, 1).unwrap())
        );
        assert_eq!(suspended_month(october, PaymentState::Unpaid), None);
    }

    #[test]
    fn months_close_after_their_kst_end() {
        let october = YearMonth::new(2026, 10).unwrap();
        let kst_november = chrono::DateTime::parse_from_rfc3339("2026-11-01T00:00:00+09:00")
            .unwrap()
            .with_timezone(&Utc);
        let just_before = kst_november - chrono::Duration::seconds(1);
        assert!(!month_has_ended(october, just_before));
        assert!(month_has_ended(october, kst_november));
        assert!(close_is_due(october, kst_november, 0));
        assert!(!close_is_due(october, kst_november, 72));
        assert!(close_is_due(
            october,
            kst_november + chrono::Duration::hours(72),
            72
        ));
    }

    #[test]
    fn wire_names_round_trip() {
        for component in ChargeComponent::ALL {
            assert_eq!(
                component.as_str().parse::<ChargeComponent>(),
                Ok(*component)
            );
        }
        for component in DiscountComponent::ALL {
            assert_eq!(
                component.as_str().parse::<DiscountComponent>(),
                Ok(*component)
            );
        }
        assert_eq!(DiscountComponent::Edp.index(), 9);
    }

    fn krw() -> impl Strategy<Value = Decimal> {
        (0i64..50_000_000_000).prop_map(|milli| Decimal::new(milli, 3))
    }

    fn value() -> impl Strategy<Value = AdjustmentValue> {
        prop_oneof![
            (1i64..=10_000).prop_map(|bp| AdjustmentValue::Percent(Decimal::new(bp, 2))),
            (1i64..5_000_000_000).prop_map(|milli| AdjustmentValue::Fixed(Decimal::new(milli, 3))),
        ]
    }

    proptest! {
        #[test]
        fn lines_are_never_discounted_below_zero_and_reconcile(
            amounts in proptest::collection::vec(krw(), 1..8),
            values in proptest::collection::vec((value(), 0usize..10), 0..6),
        ) {
            let mut lines: Vec<BillCharges> = amounts.iter().map(|krw| line(*krw)).collect();
            let adjustments: Vec<Adjustment> = values
                .iter()
                .enumerate()
                .map(|(idx, (value, component))| {
                    adjustment(&format!("{idx:03}"), DiscountComponent::ALL[*component], *value)
                })
                .collect();
            let mut refs: Vec<(&str, &mut BillCharges)> =
                lines.iter_mut().map(|line| ("VIRTUAL_SERVER", line)).collect();
            apply_adjustments(&mut refs, &adjustments, rate());
            let fixed_total: Decimal = values
                .iter()
                .filter_map(|(value, _)| match value {
                    AdjustmentValue::Fixed(amount) => Some(*amount),
                    AdjustmentValue::Percent(_) => None,
                })
                .sum();
            let mut discounted = Decimal::ZERO;
            for line in &lines {
                let net = line.net();
                prop_assert!(net.krw >= Decimal::ZERO && net.usd >= Decimal::ZERO);
                prop_assert_eq!(line.gross().krw - line.discount_total().krw, net.krw);
                prop_assert!(line.discounts.iter().all(|d| d.krw.scale() <= AMOUNT_SCALE && d.krw >= Decimal::ZERO));
                if net.krw.is_zero() {
                    prop_assert!(net.usd.is_zero());
                }
                discounted += line.discount_total().krw;
            }
            let gross: Decimal = amounts.iter().sum();
            // Fixed amounts are spent in full unless the lines run out.
            prop_assert!(discounted <= gross);
            if values.iter().all(|(value, _)| matches!(value, AdjustmentValue::Fixed(_))) {
                prop_assert_eq!(discounted, fixed_total.min(gross));
            }
        }

        #[test]
        fn paid_and_unpaid_usd_add_up(bill in krw(), paid_share in 0u32..=100) {
            let bill = DualAmount::from_krw(bill, rate(), AMOUNT_SCALE);
            let paid = (bill.krw * Decimal::from(paid_share) / Decimal::ONE_HUNDRED).round_dp(3);
            let usd = paid_usd(bill, paid);
            prop_assert!(usd >= Decimal::ZERO && usd <= bill.usd);
            if paid == bill.krw {
                prop_assert_eq!(usd, bill.usd);
            }
        }
    }
}
