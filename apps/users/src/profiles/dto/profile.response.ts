import { ApiProperty } from '@nestjs/swagger';
import { UserProfile } from '../user-profile.entity';

/** The profile as the API shows it: an explicit list of fields, so a new column is never leaked by accident. */
export class ProfileResponse {
  @ApiProperty({ example: 'usr_alice' }) sub: string;
  @ApiProperty({ example: 'Alice Example' }) displayName: string;
  @ApiProperty({ example: 'alice@example.com' }) email: string;
  @ApiProperty({ example: 'eu', description: 'data residency region' }) region: string;
  @ApiProperty() updatedAt: string;

  static from(profile: UserProfile): ProfileResponse {
    return {
      sub: profile.sub,
      displayName: profile.displayName,
      email: profile.email,
      region: profile.region,
      updatedAt: profile.updatedAt.toISOString(),
    };
  }
}
