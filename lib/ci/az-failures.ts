// Runs in CI from dist/ without node_modules: Node built-ins only.

/**
 * What a failed `az` call means. Only the forms below are recognised; anything else is `unknown`, which every caller
 * treats as an error — an unrecognised answer is never read as "not found".
 */
export type AzFailureKind = "not-found" | "authentication" | "permission" | "throttled" | "server-error" | "unknown";

export interface AzFailure {
  readonly kind: AzFailureKind;
  /** HTTP status, when the answer carries one (azure-cli's exit code 3, an ARM error code or `az rest`'s reason phrase). */
  readonly status?: number;
  /** The ARM error code or `AADSTS…` code, when there is one. */
  readonly code?: string;
  /** Seconds ARM asked to wait (`Please try again after 'N' seconds`), when it said so. */
  readonly retryAfterSeconds?: number;
  /** The first line of the error, without azure-cli's `ERROR: ` prefix. */
  readonly summary: string;
}

/**
 * `az rest` turns an HTTP error into `<reason phrase>(<body>)` (azure-cli-core `util.py`, `send_raw_request`:
 * `reason = r.reason; if r.text: reason += '({})'.format(r.text)`): the reason phrase is the status, structurally.
 * Phrases are the standard ones (RFC 9110 §15), which ARM sends.
 */
const REST_REASONS: Readonly<Record<string, number>> = {
  "Bad Request": 400,
  Unauthorized: 401,
  Forbidden: 403,
  "Not Found": 404,
  Conflict: 409,
  "Too Many Requests": 429,
  "Internal Server Error": 500,
  "Bad Gateway": 502,
  "Service Unavailable": 503,
  "Gateway Timeout": 504,
};

// ARM error codes, by meaning. Sources: Microsoft Learn, "Troubleshoot common Azure deployment errors" and
// "Understand how Azure Resource Manager throttles requests" (the three *RequestsThrottled codes, status 429).
const THROTTLED_CODES = ["SubscriptionRequestsThrottled", "ResourceGroupRequestsThrottled", "TenantRequestsThrottled", "TooManyRequests"];
const SERVER_CODES = ["InternalServerError", "ServiceUnavailable", "GatewayTimeout", "BadGateway"];
const AUTHENTICATION_CODES = ["InvalidAuthenticationToken", "InvalidAuthenticationTokenTenant", "ExpiredAuthenticationToken", "AuthenticationFailed"];
const PERMISSION_CODES = ["AuthorizationFailed", "LinkedAuthorizationFailed"];

/** azure-cli texts that are not ARM answers (client-side errors, printed as `ERROR: <text>` with exit code 1). */
const CLI_AUTHENTICATION = [
  // azure-cli-core _profile.py, when no account is logged in.
  /Please run 'az login' to setup account\./,
  // azure-cli-core auth/util.py, aad_error_handler's recommendation after any Entra token error.
  /Interactive authentication is needed\. Please run:/,
  // azure-cli-core auth/util.py, check_result with no token in the MSAL cache.
  /Can't find token from MSAL cache\./,
];
const CLI_NOT_FOUND = [
  // azure-cli keyvault/_validators.py, validate_resource_group_name: `az keyvault show --name X` without -g and no
  // active vault of that name: "The {} '{}' not found within subscription." (a CLIError: exit code 1).
  /The (?:Vault|HSM) '[^']*' not found within subscription\./,
  // azure-cli keyvault/_validators.py, validate_deleted_vault_or_hsm_name (`show-deleted`, `recover`, `purge`).
  /No deleted Vault or HSM was found with name \S+/,
];
// azure-cli-core util.py, is_azure_connection_error: these become AzureConnectionError.
const CONNECTION = /connection error|connection broken|connection aborted/i;

/**
 * Classifies a failed `az` call from its exit code and output. azure-cli exits 3 exactly when the error is a
 * ResourceNotFoundError (HTTP 404; azure-cli-core util.py, handle_exception), 1 for every other error and 2 for a usage
 * error (argparse). Authentication is checked first: Entra's texts can contain "not found" (AADSTS700016).
 */
export function classifyAzFailure(exitCode: number, stdout: string, stderr: string): AzFailure {
  const text = `${stderr}\n${stdout}`;
  const summary = (text.split("\n").map((l) => l.trim()).find((l) => l.length > 0) ?? `exit code ${exitCode}`).replace(/^ERROR: /, "");
  const rest = /(?:^|\n)(?:ERROR: )?([A-Z][A-Za-z ]+)\(/.exec(text);
  const restStatus = rest ? REST_REASONS[rest[1].trim()] : undefined;
  const armCode = /(?:^|\n)(?:ERROR: )?\(([A-Za-z][A-Za-z0-9]*)\) /.exec(text)?.[1] ?? /(?:^|\n)\s*Code: ([A-Za-z][A-Za-z0-9]*)\s*(?:\n|$)/.exec(text)?.[1] ?? /"code"\s*:\s*"([A-Za-z][A-Za-z0-9]*)"/.exec(text)?.[1];
  const aadsts = /\b(AADSTS\d+)\b/.exec(text)?.[1];
  const retry = /try again after '(\d+)' seconds/i.exec(text);
  const base = { summary, code: aadsts ?? armCode, status: restStatus, retryAfterSeconds: retry ? Number(retry[1]) : undefined };
  const is = (codes: string[]) => armCode !== undefined && codes.includes(armCode);

  if (aadsts || CLI_AUTHENTICATION.some((p) => p.test(text)) || is(AUTHENTICATION_CODES) || restStatus === 401) return { ...base, kind: "authentication" };
  if (is(PERMISSION_CODES) || restStatus === 403) return { ...base, kind: "permission" };
  if (is(THROTTLED_CODES) || restStatus === 429) return { ...base, kind: "throttled", status: 429 };
  if (is(SERVER_CODES) || (restStatus !== undefined && restStatus >= 500) || CONNECTION.test(text)) return { ...base, kind: "server-error" };
  if (exitCode === 3 || restStatus === 404 || (exitCode === 1 && CLI_NOT_FOUND.some((p) => p.test(text)))) {
    return { ...base, kind: "not-found", status: 404 };
  }
  return { ...base, kind: "unknown" };
}

/** Whether a failure may succeed when the same call is tried again later. */
export function isTransient(failure: AzFailure): boolean {
  return failure.kind === "throttled" || failure.kind === "server-error";
}
