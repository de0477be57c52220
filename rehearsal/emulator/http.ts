import { IncomingHttpHeaders } from "http";

/** One request as the emulator's handlers see it. */
export interface EmulatorRequest {
  readonly method: string;
  /** Lower-case host name, without port. */
  readonly host: string;
  /** The path as sent (double slashes kept: the go-azure-sdk pollers depend on its segments). */
  readonly rawPath: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

export interface EmulatorResponse {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** A JSON value, or a string sent as is. */
  readonly body?: unknown;
}

/**
 * ARM's error envelope, `{"error":{"code","message"}}`
 * (https://learn.microsoft.com/azure/azure-resource-manager/management/resource-manager-request-limits and every ARM
 * error of https://learn.microsoft.com/azure/azure-resource-manager/troubleshooting/common-deployment-errors).
 */
export class ArmError extends Error {
  /** The linked checks of a refused write, for the call log. */
  linked?: { action: string; scope: string; grant?: { role: string; scope: string; origin: string } }[];

  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }

  toResponse(): EmulatorResponse {
    return { status: this.status, headers: { "x-ms-failure-cause": "gateway" }, body: { error: { code: this.code, message: this.message } } };
  }
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): EmulatorResponse {
  return { status, body, headers };
}

export function parseJson(req: EmulatorRequest): Record<string, unknown> {
  if (req.body.length === 0) return {};
  try {
    return JSON.parse(req.body.toString("utf8")) as Record<string, unknown>;
  } catch {
    // ARM's answer to a body that is not JSON (https://learn.microsoft.com/azure/azure-resource-manager/troubleshooting/common-deployment-errors, InvalidRequestContent).
    throw new ArmError(400, "InvalidRequestContent", "The request content was invalid and could not be deserialized.");
  }
}
