import { escapeHtml, hidden, page } from './html';

export interface ConsentPageModel {
  uid: string;
  csrf: string;
  clientId: string;
  username: string;
  scopes: string[];
  refusedScopes: string[];
  transactionIds: string[];
}

/** What the user agrees to, spelled out; a payment approval is shown on its own, with its id. */
export function consentPage(model: ConsentPageModel): string {
  const payments = model.transactionIds
    .map(
      (id) =>
        `<div class="payment">Approve payment <strong id="transaction-id">${escapeHtml(id)}</strong> (valid 5 minutes, this payment only)</div>`,
    )
    .join('');
  const scopes = model.scopes.length
    ? `<p>It asks for:</p><ul>${model.scopes.map((s) => `<li><code>${escapeHtml(s)}</code></li>`).join('')}</ul>`
    : '';
  const refused = model.refusedScopes.length
    ? `<p>Not available to you: ${model.refusedScopes.map((s) => `<code>${escapeHtml(s)}</code>`).join(', ')}</p>`
    : '';
  return page(
    'Allow access?',
    `<p>Signed in as <strong>${escapeHtml(model.username)}</strong>. <strong>${escapeHtml(model.clientId)}</strong> wants access to your bank.</p>
${payments}${scopes}${refused}
<form method="post" action="/interaction/${escapeHtml(model.uid)}/confirm">${hidden('csrf', model.csrf)}<button type="submit">Allow</button></form>
<form method="post" action="/interaction/${escapeHtml(model.uid)}/abort">${hidden('csrf', model.csrf)}<button type="submit">Deny</button></form>`,
  );
}
