import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A bank account. Money is an integer count of minor units (cents) in a bigint column,
 * read as a string so no amount ever passes through a floating-point number.
 */
@Entity({ name: 'accounts' })
export class Account {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** The `sub` of the user who owns the account. */
  @Column({ name: 'owner_sub', type: 'text' })
  ownerSub: string;

  @Column({ type: 'char', length: 3 })
  currency: string;

  @Column({ name: 'balance_minor', type: 'bigint' })
  balanceMinor: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
