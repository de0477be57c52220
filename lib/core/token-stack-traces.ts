/**
 * cdktf records a full stack trace for every token it creates — every attribute reference, every `Fn.*` — to explain
 * a token that later fails to resolve. On a large app that is most of synthesis: capturing and formatting those traces
 * took a quarter of the CPU and a third of the memory of a 207-stack synth. Inside `fn`, tokens are created without
 * them; errors keep theirs (only non-Error targets — cdktf's `{ stack: "" }` holders — are skipped). Set
 * MEDALLION_TOKEN_STACK_TRACES=1 to keep them while debugging a token that does not resolve.
 */
export function withoutTokenStackTraces<T>(fn: () => T): T {
  if (process.env.MEDALLION_TOKEN_STACK_TRACES === "1") return fn();
  const original = Error.captureStackTrace;
  Error.captureStackTrace = function captureStackTrace(target: object, constructorOpt?: Function): void {
    if (target instanceof Error) original.call(Error, target, constructorOpt);
  };
  try {
    return fn();
  } finally {
    Error.captureStackTrace = original;
  }
}
