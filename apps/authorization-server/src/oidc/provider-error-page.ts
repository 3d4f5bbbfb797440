import type { KoaContextWithOIDC } from 'oidc-provider';
import { escapeHtml } from '../interactions/html';

/** The error page for browser-facing endpoints: the standard error code and description, nothing internal. */
export async function renderProviderError(
  ctx: KoaContextWithOIDC,
  out: { error?: string; error_description?: string },
): Promise<void> {
  ctx.type = 'html';
  ctx.body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign-in error</title></head>
<body><h1>Sign-in error</h1><p><code>${escapeHtml(out.error ?? 'server_error')}</code></p>
<p>${escapeHtml(out.error_description ?? '')}</p></body></html>`;
}
