import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Scopes } from '@zt/security';
import { AccountsService } from './accounts.service';
import { AccountIdParam } from './dto/account-id.param';
import { AccountResponse } from './dto/account.response';

/** Read-only: money moves only through verified payment events, never through an endpoint. */
@ApiTags('accounts')
@ApiBearerAuth()
@Controller('accounts')
export class AccountsController {
  constructor(private readonly accounts: AccountsService) {}

  @Get()
  @Scopes('accounts:read')
  @ApiOperation({ summary: 'List my accounts', description: 'Requires scope `accounts:read`.' })
  @ApiOkResponse({ type: [AccountResponse] })
  async list(@CurrentPrincipal() principal: Principal): Promise<AccountResponse[]> {
    return (await this.accounts.listOwnedBy(principal)).map(AccountResponse.from);
  }

  @Get(':id')
  @Scopes('accounts:read')
  @ApiOperation({
    summary: 'Read one of my accounts',
    description: "Requires scope `accounts:read`. Another user's account is 404.",
  })
  @ApiOkResponse({ type: AccountResponse })
  @ApiNotFoundResponse()
  async get(@CurrentPrincipal() principal: Principal, @Param() params: AccountIdParam): Promise<AccountResponse> {
    return AccountResponse.from(await this.accounts.getOwned(principal, params.id));
  }
}
