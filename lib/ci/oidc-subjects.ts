import { githubEnvironments } from "./deploy-workflow";

/** A repository as GitHub's OIDC `sub` names it: by name, and (for the immutable form) by the owner's and repository's IDs. */
export interface RepositoryIdentity {
  readonly owner: string;
  readonly name: string;
  /** `gh api repos/{owner}/{repo} --jq .owner.id` */
  readonly ownerId?: string;
  /** `gh api repos/{owner}/{repo} --jq .id` */
  readonly repositoryId?: string;
}

export interface FederatedSubject {
  readonly environment: string;
  readonly identity: "deploy" | "plan" | "pr";
  readonly githubEnvironment: string;
  /** `repo:<owner>/<repo>:environment:<name>` */
  readonly classic: string;
  /** `repo:<owner>@<owner_id>/<repo>@<repo_id>:environment:<name>`: the default for repositories created or renamed since mid-2026. */
  readonly immutable: string;
}

// GitHub owner and repository names: letters, digits, '-', '_' and '.'; IDs are decimal (GitHub's REST API).
const NAME = /^[A-Za-z0-9_.-]{1,100}$/;
const ID = /^[0-9]{1,20}$/;

/**
 * The subject each identity's federated credential trusts, per environment, in both forms GitHub may present (CI review
 * B1; https://learn.microsoft.com/entra/workload-id/workload-identities-github-immutable-subjects). Only one form matches
 * a given repository: read its actual one (help/operator-runbook.md, step 3) and create that credential.
 */
export function federatedSubjects(repository: RepositoryIdentity, promotion: readonly string[]): FederatedSubject[] {
  const problems = [
    !NAME.test(repository.owner) && `owner ${JSON.stringify(repository.owner)}: expected a GitHub owner name`,
    !NAME.test(repository.name) && `repository ${JSON.stringify(repository.name)}: expected a GitHub repository name`,
    repository.ownerId !== undefined && !ID.test(repository.ownerId) && `owner ID ${JSON.stringify(repository.ownerId)}: expected a decimal number`,
    repository.repositoryId !== undefined && !ID.test(repository.repositoryId) && `repository ID ${JSON.stringify(repository.repositoryId)}: expected a decimal number`,
  ].filter((p): p is string => typeof p === "string");
  if (problems.length > 0) throw new Error(problems.join("; "));
  const ids = `${repository.owner}@${repository.ownerId ?? "<owner_id>"}/${repository.name}@${repository.repositoryId ?? "<repo_id>"}`;
  return promotion.flatMap((environment, i) => {
    const envs = githubEnvironments(environment);
    const identities = [["deploy", envs.apply], ["plan", envs.plan], ...(i === 0 ? [["pr", envs.pr]] : [])] as [FederatedSubject["identity"], string][];
    return identities.map(([identity, githubEnvironment]) => ({
      environment,
      identity,
      githubEnvironment,
      classic: `repo:${repository.owner}/${repository.name}:environment:${githubEnvironment}`,
      immutable: `repo:${ids}:environment:${githubEnvironment}`,
    }));
  });
}
