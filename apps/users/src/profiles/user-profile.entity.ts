import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** A user's profile. Personal data: shown to its owner (or an admin), never logged. */
@Entity({ name: 'user_profiles' })
export class UserProfile {
  /** The `sub` claim the authorization server issues for this user. */
  @PrimaryColumn({ type: 'text' })
  sub: string;

  @Column({ name: 'display_name', type: 'text' })
  displayName: string;

  @Column({ type: 'text' })
  email: string;

  /** Data residency (`eu`, `us`): the gateway routes region-bound data by it. */
  @Column({ type: 'text' })
  region: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
