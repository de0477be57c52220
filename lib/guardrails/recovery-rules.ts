import { GEO_REPLICATION_EXCLUDED_SKUS } from "../redis-feature-tier/geo-replication";
import { get, of, type Rule } from "./rules";

/**
 * Disaster recovery rules: they read the pair's record (setRecoveryRecord, `//.disasterRecovery`) and the resources of
 * every stack, so they hold for apps that wire their secondary by hand too.
 */
export const RECOVERY_RULES = [
  {
    id: "MDL-DR-001",
    severity: "error",
    title: "The secondary is in another region",
    why: "A secondary in the primary's region fails with it: the pair recovers nothing from a regional outage.",
    fix: "Name a secondary location other than the primary's, and create the secondary's resources there.",
    check: (stack) => {
      const record = stack.recovery;
      if (!record) return [];
      if (record.secondaryLocation === record.primaryLocation) {
        return [{ path: stack.name, detail: `primary and secondary are both in ${record.primaryLocation}` }];
      }
      if (record.role !== "secondary") return [];
      return stack.resources
        .filter((r) => r.attrs.location === record.primaryLocation)
        .map((r) => ({ path: r.path, detail: `${r.type} of the secondary is in the primary's region ${record.primaryLocation}` }));
    },
  },
  {
    id: "MDL-DR-002",
    severity: "error",
    title: "Every Delta zone has a sync mechanism",
    why: "Geo-redundant storage replicates a Delta table's log and its data files independently: after a failover the log may name files that never arrived. Only a transactional copy (deep clone) keeps a table readable.",
    fix: "Protect the zone with deepClone (a sync job on a schedule that meets the RPO); keep geoReplication for zones of files.",
    check: (stack) =>
      (stack.recovery?.zones ?? [])
        .filter((z) => z.delta && z.mechanism !== "deepClone")
        .map((z) => ({ path: stack.name, detail: `zone ${z.zone} holds Delta tables but is protected by ${z.mechanism === "none" ? "nothing" : z.mechanism}` })),
  },
  {
    id: "MDL-DR-003",
    severity: "error",
    title: "Redis geo-replication within its SKU and persistence limits",
    why: "Azure Managed Redis geo-replicates neither the smallest Balanced SKUs nor a persisted cache: the apply fails, or the group never forms.",
    fix: `Use a SKU other than ${GEO_REPLICATION_EXCLUDED_SKUS.join(" or ")} and no persistence on every cache of the group, or rebuild the features from gold instead.`,
    check: (stack) =>
      of(stack, "azurerm_managed_redis").flatMap((r) => {
        const group = get(r.attrs, "default_database.geo_replication_group_name");
        if (!group) return [];
        const problems = [
          ...(GEO_REPLICATION_EXCLUDED_SKUS.includes(String(r.attrs.sku_name)) ? [`SKU ${String(r.attrs.sku_name)}`] : []),
          ...(get(r.attrs, "default_database.persistence_append_only_file_backup_frequency") ? ["AOF persistence"] : []),
          ...(get(r.attrs, "default_database.persistence_redis_database_backup_frequency") ? ["RDB persistence"] : []),
        ];
        return problems.length ? [{ path: r.path, detail: `geo-replication group ${String(group)} with ${problems.join(" and ")}` }] : [];
      }),
  },
] as const satisfies readonly Rule[];
