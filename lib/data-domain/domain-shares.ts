import { TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import { Grants } from "@cdktf/provider-databricks/lib/grants";
import { DatabricksProvider } from "@cdktf/provider-databricks/lib/provider";
import { Recipient } from "@cdktf/provider-databricks/lib/recipient";
import { Schema } from "@cdktf/provider-databricks/lib/schema";
import { Share, ShareObject } from "@cdktf/provider-databricks/lib/share";
import { Naming } from "../core/naming";
import { DataClassification } from "../core/tags";
import { Cidr } from "../network/cidr";
import { checkIpv4, checkPattern, invalid } from "../core/validation";

/** A shared object of the domain's catalog: a whole schema, or one table or view of a schema (`<schema>.<name>`). */
export type SharedObject =
  | { readonly schema: string }
  | {
      readonly table: string;
      /** Share the table's history (time travel, streaming reads). @default false */
      readonly history?: boolean;
      /** Share the change data feed (the table must have it enabled). @default false */
      readonly changeDataFeed?: boolean;
    }
  | { readonly view: string };

/** Who receives a share. */
export type ShareRecipient =
  | {
      readonly name: string;
      /** Databricks-to-Databricks: the recipient's sharing identifier, `<cloud>:<region>:<metastore-id>` (no token, no URL). */
      readonly sharingIdentifier: string;
    }
  | {
      readonly name: string;
      /** Open sharing: a bearer token, so only from the listed networks and only until `expiresOn`. */
      readonly authentication: "token";
      /** IPv4 addresses or CIDR blocks the token is accepted from (at most 100, the provider's limit). */
      readonly ipAccessList: readonly string[];
      /** Last day of access, `YYYY-MM-DD` (UTC): the recipient expires at the end of it. */
      readonly expiresOn: string;
    };

export interface DomainShareProps {
  /** Share name within the domain ([a-z0-9_]); the share is `<domain>_<name>_<environment>`. */
  readonly name: string;
  readonly objects: readonly SharedObject[];
  readonly recipients: readonly ShareRecipient[];
}

export interface DomainSharesProps {
  readonly naming: Naming;
  readonly workspaceProvider: DatabricksProvider;
  readonly domain: string;
  readonly dataClassification: DataClassification;
  /** Restricted data leaves the company only with a stated reason. @default none: a restricted domain cannot share */
  readonly restrictedSharingAllowance?: { readonly reason: string };
  /** The domain's catalog name (literal) and its schemas by name: the only objects a share may hold. */
  readonly catalogName: string;
  readonly schemas: Readonly<Record<string, Schema>>;
  readonly shares: readonly DomainShareProps[];
  /** `now` for the expiry checks (injectable: synthesized output never depends on it). @default new Date() */
  readonly now?: Date;
}

const IDENTIFIER = /^[a-z][a-z0-9_]{0,40}$/;
const OBJECT_PART = /^[a-z][a-z0-9_]{0,62}$/;
const SHARING_IDENTIFIER = /^(azure|aws|gcp):[a-z0-9-]+:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** databricks 1.99 recipient ip_access_list: at most 100 entries. */
const MAX_IP_ENTRIES = 100;

/**
 * A domain's Delta Sharing with other companies: its recipients, one share per declared share with objects of the
 * domain's own catalog only, and one authoritative grants block per share (SELECT for its recipients, nothing else).
 * Databricks-to-Databricks recipients are the default; open (token) recipients must name their networks and an expiry,
 * and their activation links go only to sensitive outputs. A restricted domain shares only with a stated allowance.
 */
export class DomainShares extends Construct {
  readonly shares: Readonly<Record<string, Share>>;
  readonly recipients: Readonly<Record<string, Recipient>>;
  /** Sensitive outputs of the open recipients' activation links, by recipient name. */
  readonly activationLinks: Readonly<Record<string, TerraformOutput>>;

  constructor(scope: Construct, id: string, props: DomainSharesProps) {
    super(scope, id);
    const { naming, workspaceProvider: provider } = props;
    if (props.shares.length > 0 && props.dataClassification === "restricted") {
      const reason = props.restrictedSharingAllowance?.reason;
      if (typeof reason !== "string" || reason.trim().length < 20) invalid(this, "restrictedSharingAllowance.reason", reason, "why restricted data is shared outside the company (at least 20 characters): a restricted domain shares nothing by default");
    }
    const now = props.now ?? new Date();

    // Recipients are declared per share but may serve several: one recipient per name, declared the same way each time.
    const declared = new Map<string, ShareRecipient>();
    for (const [i, share] of props.shares.entries()) {
      for (const [j, recipient] of share.recipients.entries()) {
        const at = `shares[${i}].recipients[${j}]`;
        checkPattern(this, `${at}.name`, recipient.name, IDENTIFIER, "1–41 characters of [a-z0-9_], starting with a letter");
        const previous = declared.get(recipient.name);
        if (previous && JSON.stringify(previous) !== JSON.stringify(recipient)) invalid(this, `${at}.name`, recipient.name, "a recipient name declared once, or the same way every time");
        this.checkRecipient(at, recipient, now);
        declared.set(recipient.name, recipient);
      }
    }
    const recipients: Record<string, Recipient> = {};
    const links: Record<string, TerraformOutput> = {};
    for (const [name, recipient] of [...declared].sort(([a], [b]) => a.localeCompare(b))) {
      const recipientName = naming.unityCatalog(this, props.domain, name, naming.environment);
      const open = "authentication" in recipient;
      recipients[name] = new Recipient(this, `recipient-${name}`, {
        provider,
        name: recipientName,
        comment: `Delta Sharing recipient of the ${props.domain} domain`,
        ...(open
          ? { authenticationType: "TOKEN", ipAccessList: { allowedIpAddresses: [...recipient.ipAccessList] }, expirationTime: endOfDay(recipient.expiresOn) }
          : { authenticationType: "DATABRICKS", dataRecipientGlobalMetastoreId: recipient.sharingIdentifier }),
      });
      if (open) {
        // The activation link lets whoever opens it download the token: state and sensitive outputs only.
        links[name] = new TerraformOutput(this, `activation-${name}`, { value: recipients[name].tokens.get(0).activationUrl, sensitive: true, description: `Activation link of the open recipient ${recipientName} (sensitive)` });
      }
    }

    const names = new Set<string>();
    const shares: Record<string, Share> = {};
    for (const [i, share] of props.shares.entries()) {
      checkPattern(this, `shares[${i}].name`, share.name, IDENTIFIER, "1–41 characters of [a-z0-9_], starting with a letter");
      if (names.has(share.name)) invalid(this, `shares[${i}].name`, share.name, "a share name used once in the domain");
      names.add(share.name);
      if (!Array.isArray(share.objects) || share.objects.length === 0) invalid(this, `shares[${i}].objects`, share.objects, "at least one schema, table or view of the domain's catalog");
      if (!Array.isArray(share.recipients) || share.recipients.length === 0) invalid(this, `shares[${i}].recipients`, share.recipients, "at least one recipient");
      const objects = share.objects.map((object, j) => this.shareObject(`shares[${i}].objects[${j}]`, object, props));
      const keys = objects.map((o) => o.key);
      if (new Set(keys).size !== keys.length) invalid(this, `shares[${i}].objects`, keys, "each object once");
      const created = new Share(this, `share-${share.name}`, {
        provider,
        name: naming.unityCatalog(this, props.domain, share.name, naming.environment),
        comment: `Delta Sharing of the ${props.domain} domain`,
        object: objects.map((o) => o.object),
      });
      // What the guardrails check of the share (MDL-SHR-002, MDL-SHR-003): its domain's classification and catalog.
      created.addOverride("//.sharing", { domain: props.domain, dataClassification: props.dataClassification, catalog: props.catalogName, allowance: props.restrictedSharingAllowance?.reason ?? null });
      new Grants(this, `share-${share.name}-grants`, {
        provider,
        share: created.name,
        grant: [...new Set(share.recipients.map((r) => r.name))].sort().map((r) => ({ principal: recipients[r].name, privileges: ["SELECT"] })),
      });
      shares[share.name] = created;
    }
    this.shares = shares;
    this.recipients = recipients;
    this.activationLinks = links;
  }

  private checkRecipient(at: string, recipient: ShareRecipient, now: Date): void {
    if (!("authentication" in recipient)) {
      checkPattern(this, `${at}.sharingIdentifier`, (recipient as { sharingIdentifier: string }).sharingIdentifier, SHARING_IDENTIFIER, "the recipient metastore's sharing identifier, <cloud>:<region>:<metastore-id> (or authentication: token with an IP access list and an expiry)");
      return;
    }
    if (recipient.authentication !== "token") invalid(this, `${at}.authentication`, recipient.authentication, `"token" (Databricks-to-Databricks recipients give a sharingIdentifier instead)`);
    const list = recipient.ipAccessList;
    if (!Array.isArray(list) || list.length === 0) invalid(this, `${at}.ipAccessList`, list, "the IPv4 addresses or CIDR blocks an open recipient's token is accepted from (a bearer token works from anywhere otherwise)");
    if (list.length > MAX_IP_ENTRIES) invalid(this, `${at}.ipAccessList`, `${list.length} entries`, `at most ${MAX_IP_ENTRIES} entries`);
    for (const [k, entry] of list.entries()) {
      if (typeof entry === "string" && entry.includes("/")) {
        try {
          Cidr.parse(entry);
        } catch {
          invalid(this, `${at}.ipAccessList[${k}]`, entry, "an IPv4 CIDR block with no host bits set, or an IPv4 address");
        }
      } else checkIpv4(this, `${at}.ipAccessList[${k}]`, entry);
    }
    const expiry = recipient.expiresOn;
    if (typeof expiry !== "string" || !DATE.test(expiry) || Number.isNaN(Date.parse(`${expiry}T00:00:00Z`))) invalid(this, `${at}.expiresOn`, expiry, "the last day of access, YYYY-MM-DD (an open recipient always expires)");
    if (endOfDay(expiry) <= now.getTime()) invalid(this, `${at}.expiresOn`, expiry, "a date in the future");
  }

  private shareObject(at: string, object: SharedObject, props: DomainSharesProps): { key: string; object: ShareObject } {
    const schemaOf = (schema: string, prop: string): Schema => {
      const found = props.schemas[schema];
      if (!found) invalid(this, prop, schema, `a schema of the domain's catalog ${props.catalogName} (${Object.keys(props.schemas).join(", ") || "none: declare data products"})`);
      return found;
    };
    if ("schema" in object) {
      const schema = schemaOf(object.schema, `${at}.schema`);
      return { key: object.schema, object: { name: `${schema.catalogName}.${schema.name}`, dataObjectType: "SCHEMA" } };
    }
    const kind = "table" in object ? "table" : "view" in object ? "view" : undefined;
    if (!kind) return invalid(this, at, object, "{ schema }, { table: <schema>.<table> } or { view: <schema>.<view> }");
    const qualified = (object as Record<string, string>)[kind];
    const parts = typeof qualified === "string" ? qualified.split(".") : [];
    if (parts.length !== 2 || !parts.every((p) => OBJECT_PART.test(p))) invalid(this, `${at}.${kind}`, qualified, `<schema>.<${kind}> of [a-z0-9_] (objects of the domain's own catalog only)`);
    const schema = schemaOf(parts[0], `${at}.${kind}`);
    const name = `${schema.catalogName}.${schema.name}.${parts[1]}`;
    if (kind === "view") return { key: qualified, object: { name, dataObjectType: "VIEW" } };
    const table = object as { history?: boolean; changeDataFeed?: boolean };
    return {
      key: qualified,
      object: { name, dataObjectType: "TABLE", historyDataSharingStatus: table.history ? "ENABLED" : "DISABLED", cdfEnabled: table.changeDataFeed ?? false },
    };
  }
}

/** The end of a `YYYY-MM-DD` day (UTC), in milliseconds since the epoch: the recipient's expiration_time. */
function endOfDay(date: string): number {
  return Date.parse(`${date}T23:59:59Z`);
}
