import { appendFileSync } from "fs";
import { segments } from "../authorization/actions";
import { Grant } from "../authorization/evaluate";

/** One call the providers made, with the authorization decision it got. */
export interface CallRecord {
  /** The rehearsal step that made it: `<stack>/<phase>`. */
  readonly run: string;
  readonly identity: string;
  readonly host: string;
  readonly method: string;
  readonly path: string;
  readonly template: string;
  readonly apiVersion: string;
  readonly status: number;
  readonly action?: string;
  readonly grant?: Grant;
  readonly linked?: readonly { readonly action: string; readonly scope: string; readonly grant?: Grant }[];
  /** Why the call was refused or failed, when it was. */
  readonly error?: string;
}

/** The path with names replaced by placeholders: ARM keeps types and replaces each name, other hosts keep their shape. */
export function pathTemplate(host: string, path: string): string {
  const parts = segments(path);
  if (host !== "management.azure.com") {
    return "/" + parts.map((p) => (/^[0-9a-f-]{8,}$/i.test(p) ? "{id}" : p)).join("/");
  }
  const out: string[] = [];
  let providerAt = -1;
  for (let i = 0; i < parts.length; i++) {
    const lower = parts[i].toLowerCase();
    if (lower === "providers") {
      providerAt = i;
      out.push(parts[i]);
      continue;
    }
    if (providerAt >= 0 && i === providerAt + 1) {
      out.push(parts[i]);
      continue;
    }
    const offset = providerAt >= 0 ? i - providerAt - 2 : i;
    out.push(offset % 2 === 0 ? parts[i] : `{${placeholder(parts[i - 1])}}`);
  }
  return "/" + out.join("/");
}

function placeholder(type: string): string {
  const lower = type.toLowerCase();
  if (lower === "subscriptions") return "subscriptionId";
  if (lower === "resourcegroups") return "resourceGroupName";
  return "name";
}

export class CallLog {
  readonly records: CallRecord[] = [];

  /** @param file where each call is appended as it happens (JSON lines), to follow a long run. */
  constructor(private readonly file?: string) {}

  add(record: CallRecord): void {
    this.records.push(record);
    if (this.file) appendFileSync(this.file, JSON.stringify(record) + "\n");
  }

  forRun(prefix: string): CallRecord[] {
    return this.records.filter((r) => r.run === prefix || r.run.startsWith(prefix + "/"));
  }
}
