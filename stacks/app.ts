import { App } from "cdktf";
import { AppConfig } from "./config/load";
import { PlatformStack } from "./platform-stack";

/** Builds the app: one set of stacks per environment, in environment-name order. */
export function buildApp(config: AppConfig, outdir: string): App {
  const app = new App({ outdir, stackTraces: false });
  for (const environment of config.environments) {
    new PlatformStack(app, `platform-${environment.environment}`, { organization: config.organization, environment });
  }
  return app;
}
