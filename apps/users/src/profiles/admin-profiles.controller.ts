import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Scopes } from '@zt/security';
import { ProfileResponse } from './dto/profile.response';
import { SubParam } from './dto/sub.param';
import { ProfilesService } from './profiles.service';

/** Support staff read any profile; a normal user's token lacks `users:admin` and gets 403. */
@ApiTags('admin')
@ApiBearerAuth()
@Controller('users')
export class AdminProfilesController {
  constructor(private readonly profiles: ProfilesService) {}

  @Get(':sub')
  @Scopes('users:admin')
  @ApiOperation({ summary: "Read any user's profile", description: 'Requires scope `users:admin`.' })
  @ApiOkResponse({ type: ProfileResponse })
  async read(@Param() params: SubParam): Promise<ProfileResponse> {
    return ProfileResponse.from(await this.profiles.get(params.sub));
  }
}
