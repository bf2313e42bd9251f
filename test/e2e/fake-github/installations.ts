/**
 * The installation listings a GitHub App reconciles with, as GitHub's REST docs describe them:
 * `GET /app/installations` (app JWT only; the installations of that app) and
 * `GET /installation/repositories` (installation token only; the repositories the installation
 * can access, wrapped in `total_count`/`repositories`). Both take `per_page` (max 100) and `page`
 * and answer with a Link header.
 */
import { actorJson, paginate, repoJson, type Reply, type RequestContext } from "./http.js";
import type { Permissions } from "./permissions.js";
import type { Actor } from "./state.js";

export interface FakeInstallation {
  id: number;
  account: string;
  /** The app the installation belongs to. */
  appId: number;
  appSlug: string;
  permissions: Permissions;
  createdAt: string;
}

function installationJson(installation: FakeInstallation, account: Actor, restBase: string): Record<string, unknown> {
  return {
    id: installation.id,
    account: actorJson(account, restBase),
    repository_selection: "all",
    access_tokens_url: `${restBase}/app/installations/${installation.id}/access_tokens`,
    repositories_url: `${restBase}/installation/repositories`,
    html_url: `${restBase.replace(/\/api\/v3$/, "")}/organizations/${encodeURIComponent(installation.account)}/settings/installations/${installation.id}`,
    app_id: installation.appId,
    app_slug: installation.appSlug,
    target_id: account.id,
    target_type: account.type,
    permissions: installation.permissions,
    events: [],
    created_at: installation.createdAt,
    updated_at: installation.createdAt,
    single_file_name: null,
    suspended_at: null,
    suspended_by: null,
  };
}

/** GET /app/installations: a plain array, oldest first, of the JWT's app's installations. */
export function listAppInstallations(ctx: RequestContext, installations: FakeInstallation[], appId: number): Reply {
  const own = installations.filter((i) => i.appId === appId).sort((a, b) => a.id - b.id);
  const { page, headers } = paginate(ctx, own);
  return { status: 200, headers, body: page.map((i) => installationJson(i, ctx.state.user(i.account), ctx.restBase)) };
}

/** GET /installation/repositories: the token's installation's repositories. */
export const listInstallationRepositories = (ctx: RequestContext): Reply => {
  const repositories = [...ctx.state.repos.values()].filter((r) => r.installationId === ctx.installationId).sort((a, b) => a.id - b.id);
  const { page, headers } = paginate(ctx, repositories);
  return {
    status: 200,
    headers,
    body: { total_count: repositories.length, repository_selection: "all", repositories: page.map((r) => repoJson(r, ctx.restBase)) },
  };
};
