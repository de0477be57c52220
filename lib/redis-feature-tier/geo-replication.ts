import type { ManagedRedisSku } from "./redis-feature-tier";

/** SKUs Azure Managed Redis does not geo-replicate (azurerm 4.55.0 managed_redis validation). */
export const GEO_REPLICATION_EXCLUDED_SKUS: readonly ManagedRedisSku[] = ["Balanced_B0", "Balanced_B1"];
