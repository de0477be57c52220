// Core: validation, naming, regions, tags, token expressions.
export * from "./core/validation";
export * from "./core/regions";
export * from "./core/naming";
export * from "./core/tags";
export * from "./core/stack-context";
export * from "./core/expressions";
export * from "./core/workspace-id";
export * from "./core/serial-operations";
export * from "./core/token-stack-traces";

// Building blocks shared by the constructs.
export * from "./network/cidr";
export * from "./network/private-dns";
export * from "./network/private-endpoint";
export * from "./network/hub-connection";
export * from "./network/github-runner-network";
export * from "./monitoring/diagnostics";
export * from "./monitoring/log-analytics";
export * from "./monitoring/action-group";
export * from "./identity/role-assignments";
export * from "./identity/account-principals";
export * from "./storage/secure-storage-account";
export * from "./security/secure-key-vault";

// SecureWorkspace.
export * from "./secure-workspace/nsg-rules";
export * from "./secure-workspace/workspace-network";
export * from "./secure-workspace/secure-workspace";
export * from "./secure-workspace/web-auth-workspace";

// MedallionPlatform and its Unity Catalog side.
export * from "./medallion-platform/zones";
export * from "./medallion-platform/ingestion";
export * from "./medallion-platform/medallion-platform";
export * from "./medallion-platform/platform-access";
export * from "./medallion-platform/serverless-access";
export * from "./medallion-platform/platform-catalog";

// DataDomain.
export * from "./data-domain/personas";
export * from "./data-domain/persona-access";
export * from "./data-domain/domain-dbu-cost";
export * from "./data-domain/platform-link";
export * from "./data-domain/builtin-roles";
export * from "./data-domain/domain-budget";
export * from "./data-domain/domain-catalog";
export * from "./data-domain/catalog-storage";
export * from "./data-domain/innovation-sandbox";
export * from "./data-domain/domain-pim";
export * from "./data-domain/data-domain";

// RedisFeatureTier.
export * from "./redis-feature-tier/serving-contract";
export * from "./redis-feature-tier/streaming-ingress";
export * from "./redis-feature-tier/redis-feature-tier";
export * from "./redis-feature-tier/geo-replication";
export * from "./data-domain/domain-shares";
export * from "./disaster-recovery/delta-clone-sync";
export * from "./disaster-recovery/metastore-replication";
export * from "./disaster-recovery/sync-principal";
export * from "./disaster-recovery/recovery-metadata";
export * from "./disaster-recovery/recovery-report";

// Guardrails.
export * from "./guardrails/rules";
export * from "./guardrails/deployability-rules";
export * from "./guardrails/rule-pack";
export * from "./guardrails/guardrails";
export * from "./guardrails/synthesize-all";
export * from "./guardrails/rules-document";

// CI/CD and documentation tooling.
export * from "./ci/deploy-metadata";
export * from "./ci/access-record";
export * from "./ci/synthesized-app";
export * from "./ci/deploy-workflow";
export * from "./ci/parity";
export * from "./ci/deployer-permissions";
export * from "./ci/databricks-authorization";
export * from "./ci/identities";
export * from "./ci/role-assignment-condition";
export * from "./ci/oidc-subjects";
export * from "./ci/state-blobs";
export * from "./docs/stack-diagram";
