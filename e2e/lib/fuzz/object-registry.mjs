// Who owns which object, as the fuzz has seen them: the seeded accounts, every payment a 201
// created, the transaction tokens' payments. References in generated requests (`@ownPayment:3`)
// resolve against it when a request is sent, so generation stays deterministic for a seed while
// the ids are real; answers are checked against it (no user may see another user's object).
import { ALICE_ACCOUNT, BOB_ACCOUNT } from '../platform.mjs';

export const USERS = {
  alice: { sub: 'usr_alice', account: ALICE_ACCOUNT },
  bob: { sub: 'usr_bob', account: BOB_ACCOUNT },
  admin: { sub: 'usr_admin', account: undefined },
};
const OTHER = { alice: 'bob', bob: 'alice', admin: 'alice' };

/** A UUID no object has, stable for a reference that finds no object. */
const NOBODY = 'fffffff0-0000-4000-8000-00000000dead';

export class ObjectRegistry {
  owners = new Map([
    [ALICE_ACCOUNT, 'alice'],
    [BOB_ACCOUNT, 'bob'],
  ]);
  payments = { alice: [], bob: [], admin: [] };
  /** Payment id -> { owner, sourceAccountId, destinationAccountId, amount, currency }. */
  created = new Map();
  /** Ids whose approval answered 200, and by whom. */
  approved = new Map();
  /** user -> the payment its transaction token approves. */
  approvalPayment = {};

  addPayment(owner, payment) {
    if (this.created.has(payment.id)) return;
    this.owners.set(payment.id, owner);
    this.payments[owner].push(payment.id);
    this.created.set(payment.id, { owner, ...payment });
  }

  /** `@ownAccount`, `@otherPayment:2`, ... for a caller; anything else is returned as it is. */
  resolve(value, user) {
    if (typeof value !== 'string' || !value.startsWith('@')) return value;
    const [name, index = '0'] = value.slice(1).split(':');
    const other = OTHER[user];
    const pick = (list) => (list.length ? list[Number(index) % list.length] : NOBODY);
    switch (name) {
      case 'ownAccount':
        return USERS[user].account ?? NOBODY;
      case 'otherAccount':
        return USERS[other].account;
      case 'ownSub':
        return USERS[user].sub;
      case 'otherSub':
        return USERS[other].sub;
      case 'ownPayment':
        return pick(this.payments[user]);
      case 'otherPayment':
        return pick(this.payments[other]);
      case 'approvalPayment':
        return this.approvalPayment[user] ?? NOBODY;
      default:
        return value;
    }
  }

  /** A shallow JSON value with its references resolved (bodies are built shallow; depth is added when sent). */
  resolveDeep(value, user) {
    if (Array.isArray(value)) return value.map((v) => this.resolveDeep(v, user));
    if (value && typeof value === 'object' && !('$raw' in value))
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.resolveDeep(v, user)]));
    return this.resolve(value, user);
  }

  /** Another user's object in a success answer: an id owned by someone else, or another user's `sub`. */
  leaksIn(body, user, { admin = false } = {}) {
    const leaks = [];
    const visit = (node) => {
      if (Array.isArray(node)) return node.forEach(visit);
      if (!node || typeof node !== 'object') return undefined;
      for (const field of ['id', 'sourceAccountId']) {
        const owner = this.owners.get(node[field]);
        if (owner && owner !== user) leaks.push(`${field} ${node[field]} belongs to ${owner}`);
      }
      if (!admin && typeof node.sub === 'string' && node.sub !== USERS[user].sub) leaks.push(`profile of ${node.sub}`);
      return undefined;
    };
    visit(body);
    return leaks;
  }
}
