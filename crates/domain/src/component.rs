//! The components of a bill line, as BillResponse names them: what a charge is for
//! ([`ChargeComponent`]) and what reduces a bill ([`DiscountComponent`]). Depends on nothing:
//! the catalogue names the component each billing item's usage lands in, the bill sums them.

use std::fmt;
use std::str::FromStr;

macro_rules! wire_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $wire:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
        }

        impl $name {
            /// Every value, in the order BillResponse lists them.
            pub const ALL: &'static [Self] = &[$(Self::$variant,)+];

            /// The wire name (the BillResponse field).
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $wire,)+
                }
            }

            /// Position in [`Self::ALL`].
            pub fn index(self) -> usize {
                self as usize
            }
        }

        impl FromStr for $name {
            type Err = ();

            fn from_str(text: &str) -> Result<Self, ()> {
                Self::ALL.iter().copied().find(|value| value.as_str() == text).ok_or(())
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

wire_enum! {
    /// What a charge is for: the components before discounts.
    ChargeComponent {
        /// Resource usage (compute, storage, network…).
        Asset = "asset",
        /// Managed operation services.
        Operation = "operation",
        /// Add-on options (public IPs, load balancers…).
        Option = "option",
        /// Support plans.
        SupportPlan = "support_plan",
        /// Hours covered by planned compute contracts (PP prices).
        PlannedCompute = "planned_compute",
        /// Fees for cancelled contracts.
        CancellationFee = "cancellation_fee",
    }
}

wire_enum! {
    /// What reduces a bill: discounts, cost savings, credits and EDP.
    DiscountComponent {
        /// Managed-service-provider discount.
        MspDiscount = "msp_discount",
        /// New business discount.
        NewBusinessDiscount = "new_business_discount",
        /// Sales (other) discount.
        SalesDiscount = "sales_discount",
        /// SLA compensation.
        SlaDiscount = "sla_discount",
        /// Reseller discount.
        ResellerDiscount = "reseller_discount",
        /// Account cost savings.
        AccountCostSavings = "account_cost_savings",
        /// Project cost savings.
        ProjectCostSavings = "project_cost_savings",
        /// Account credit.
        AccountCredit = "account_credit",
        /// Project credit.
        ProjectCredit = "project_credit",
        /// Enterprise discount program.
        Edp = "edp",
    }
}

impl ChargeComponent {
    /// Whether rated usage lands here (every component but the cancellation fee, which a
    /// contract's cancellation charges): what rebuilding a month from its usage recomputes.
    pub fn comes_from_usage(self) -> bool {
        self != Self::CancellationFee
    }
}
