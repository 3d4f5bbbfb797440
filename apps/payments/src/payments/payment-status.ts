/** A payment's life: pending -> approved -> settled | rejected. */
export enum PaymentStatus {
  Pending = 'pending',
  Approved = 'approved',
  Settled = 'settled',
  Rejected = 'rejected',
}
