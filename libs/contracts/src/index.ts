// What the bank's services agree on: money representation (and, as they arrive, event contracts).
export * from './money';
export * from './payment-events';
