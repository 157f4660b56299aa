//! Pricing: billing item ids, offerings and the price list.

mod catalogue;
