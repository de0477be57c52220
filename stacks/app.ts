import { App } from "cdktf";
import { AppConfig } from "./config/load";
import { CatalogStack } from "./catalog-stack";
import { PlatformStack } from "./platform-stack";

/** Builds the app: per environment (in name order) a platform stack and its catalog stack. */
export function buildApp(config: AppConfig, outdir: string): App {
  const app = new App({ outdir, stackTraces: false });
  for (const environment of config.environments) {
    const props = { organization: config.organization, environment };
    const platform = new PlatformStack(app, `platform-${environment.environment}`, props);
    new CatalogStack(app, `catalog-${environment.environment}`, { ...props, platform });
  }
  return app;
}
