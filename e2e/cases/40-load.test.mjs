// A bounded load run through the gateway, loopback only: a steady rate of reads and payments for
// a fixed time. It must end with zero 5xx and every approved payment settled; it prints figures.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from '../lib/cases.mjs';
import { mobileLogin, transactionToken } from '../../scripts/lib/oauth-client.mjs';
import { ALICE_ACCOUNT, api, BOB_ACCOUNT, eventually } from '../lib/platform.mjs';

const SECONDS = Number(process.env.E2E_LOAD_SECONDS ?? 45);
const READS_PER_SECOND = 20;
const PAYMENTS_PER_SECOND = 1;

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

test(
  `load: ${SECONDS} s at ${READS_PER_SECOND} reads/s and ${PAYMENTS_PER_SECOND} payment/s through the gateway: no 5xx, every approved payment settles`,
  async () => {
    // Several users, so the per-user rate limit is not what this measures.
    const readers = await Promise.all(
      ['alice', 'bob', 'admin'].map((u) => mobileLogin(u, 'accounts:read payments:read')),
    );
    const payer = await mobileLogin('alice', 'accounts:read payments:read payments:write');
    const statuses = new Map();
    const latencies = [];
    const settleLatencies = [];
    const approved = [];
    const count = (status) => statuses.set(status, (statuses.get(status) ?? 0) + 1);
    const inflight = [];
    const end = Date.now() + SECONDS * 1000;

    const read = async (i) => {
      const started = performance.now();
      const res = await api(readers[i % readers.length], 'GET', i % 2 ? '/api/accounts' : '/api/payments');
      latencies.push(performance.now() - started);
      count(res.status);
    };
    const pay = async () => {
      const created = await api(payer, 'POST', '/api/payments', {
        json: { sourceAccountId: ALICE_ACCOUNT, destinationAccountId: BOB_ACCOUNT, amount: '0.10', currency: 'EUR' },
        headers: { 'idempotency-key': randomUUID() },
      });
      count(created.status);
      if (created.status !== 201) return;
      const res = await api(
        await transactionToken('alice', created.body.id),
        'POST',
        `/api/payments/${created.body.id}/approve`,
      );
      count(res.status);
      if (res.status !== 200) return;
      approved.push(created.body.id);
      // Approval -> settlement, end to end (outbox, Kafka, accounts, Kafka, payments), polled every 50 ms.
      const approvedAt = performance.now();
      for (let i = 0; i < 1200; i++) {
        if ((await api(payer, 'GET', `/api/payments/${created.body.id}`)).body.status === 'settled') {
          settleLatencies.push(performance.now() - approvedAt);
          return;
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    };

    for (let tick = 0; Date.now() < end; tick++) {
      const second = Date.now();
      for (let i = 0; i < READS_PER_SECOND; i++) inflight.push(read(tick * READS_PER_SECOND + i));
      for (let i = 0; i < PAYMENTS_PER_SECOND; i++) inflight.push(pay());
      await new Promise((r) => setTimeout(r, Math.max(0, 1000 - (Date.now() - second))));
    }
    await Promise.all(inflight);
    const settled = await eventually(
      () => Promise.all(approved.map(async (id) => (await api(payer, 'GET', `/api/payments/${id}`)).body.status)),
      (all) => all.every((s) => s === 'settled'),
      60_000,
    );
    latencies.sort((a, b) => a - b);
    settleLatencies.sort((a, b) => a - b);
    const total = [...statuses.values()].reduce((a, b) => a + b, 0);
    process.stdout.write(
      `[load] ${total} requests in ${SECONDS} s (${(total / SECONDS).toFixed(1)}/s); statuses ${JSON.stringify(Object.fromEntries(statuses))}; ` +
        `reads p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms; ` +
        `${approved.length} payments approved, ${settled.filter((s) => s === 'settled').length} settled; ` +
        `approval -> settled p50 ${percentile(settleLatencies, 50)?.toFixed(0)} ms, p99 ${percentile(settleLatencies, 99)?.toFixed(0)} ms\n`,
    );
    assert.equal(
      [...statuses.keys()].filter((s) => s >= 500).length,
      0,
      `5xx: ${JSON.stringify(Object.fromEntries(statuses))}`,
    );
    assert.ok(approved.length >= SECONDS * PAYMENTS_PER_SECOND * 0.9, `only ${approved.length} payments approved`);
    assert.deepEqual([...new Set(settled)], ['settled']);
  },
  { timeoutMs: (SECONDS + 150) * 1000 },
);
