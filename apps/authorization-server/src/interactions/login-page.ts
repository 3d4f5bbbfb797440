import { escapeHtml, hidden, page } from './html';

export interface LoginPageModel {
  uid: string;
  csrf: string;
  clientId: string;
  username?: string;
  error?: string;
}

export function loginPage(model: LoginPageModel): string {
  const error = model.error ? `<p class="error" role="alert">${escapeHtml(model.error)}</p>` : '';
  return page(
    'Sign in',
    `<p><strong>${escapeHtml(model.clientId)}</strong> wants you to sign in.</p>
${error}
<form method="post" action="/interaction/${escapeHtml(model.uid)}/login" autocomplete="off">
${hidden('csrf', model.csrf)}
<label for="username">Username</label><input id="username" name="username" required value="${escapeHtml(model.username ?? '')}">
<label for="password">Password</label><input id="password" name="password" type="password" required>
<button type="submit">Sign in</button>
</form>
<form method="post" action="/interaction/${escapeHtml(model.uid)}/abort">${hidden('csrf', model.csrf)}<button type="submit">Cancel</button></form>`,
  );
}
