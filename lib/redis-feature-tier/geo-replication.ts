/** SKUs Azure Managed Redis does not geo-replicate (azurerm 4.55.0 managed_redis validation). */
export const GEO_REPLICATION_EXCLUDED_SKUS: readonly string[] = ["Balanced_B0", "Balanced_B1"];
