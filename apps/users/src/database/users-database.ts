import { DatabaseSpec } from '@zt/platform';
import { UserProfile } from '../profiles/user-profile.entity';
import { CreateUserProfiles1763800000000 } from './migrations/1763800000000-create-user-profiles';

/** Everything TypeORM needs for the users database: entities and the ordered migrations. */
export const usersDatabase: DatabaseSpec = {
  entities: [UserProfile],
  migrations: [CreateUserProfiles1763800000000],
};
