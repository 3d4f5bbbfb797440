import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { UpdateProfileDto } from './dto/update-profile.dto';
import { UserProfile } from './user-profile.entity';

@Injectable()
export class ProfilesService {
  constructor(@InjectRepository(UserProfile) private readonly profiles: Repository<UserProfile>) {}

  async get(sub: string): Promise<UserProfile> {
    const profile = await this.profiles.findOneBy({ sub });
    if (!profile) throw new NotFoundException('No profile for this user');
    return profile;
  }

  /** Applies only the whitelisted fields of the DTO; `sub` always comes from the verified token. */
  async update(sub: string, changes: UpdateProfileDto): Promise<UserProfile> {
    const profile = await this.get(sub);
    if (changes.displayName !== undefined) profile.displayName = changes.displayName;
    if (changes.email !== undefined) profile.email = changes.email;
    return this.profiles.save(profile);
  }
}
