import { Body, Controller, Get, Patch } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Scopes } from '@zt/security';
import { ProfileResponse } from './dto/profile.response';
import { UpdateProfileDto } from './dto/update-profile.dto';
import { ProfilesService } from './profiles.service';

/** The caller's own profile. The user is always the token's `sub`: there is no id to tamper with. */
@ApiTags('profiles')
@ApiBearerAuth()
@Controller('users/me')
export class ProfilesController {
  constructor(private readonly profiles: ProfilesService) {}

  @Get()
  @Scopes('users:read')
  @ApiOperation({ summary: 'Read my profile', description: 'Requires scope `users:read`.' })
  @ApiOkResponse({ type: ProfileResponse })
  async me(@CurrentPrincipal() principal: Principal): Promise<ProfileResponse> {
    return ProfileResponse.from(await this.profiles.get(principal.sub));
  }

  @Patch()
  @Scopes('users:write')
  @ApiOperation({ summary: 'Change my display name or email', description: 'Requires scope `users:write`.' })
  @ApiOkResponse({ type: ProfileResponse })
  async update(@CurrentPrincipal() principal: Principal, @Body() changes: UpdateProfileDto): Promise<ProfileResponse> {
    return ProfileResponse.from(await this.profiles.update(principal.sub, changes));
  }
}
