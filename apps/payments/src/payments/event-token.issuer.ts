import { Injectable, Logger, ServiceUnavailableException } from '@nestjs/common';
import { APPROVED_EVENT_SCOPE } from '@zt/contracts';
import { eventDigest, ServiceTokenClient, tokenFingerprint } from '@zt/security';

/**
 * Turns the owner's transaction token into an event token for one `payments.approved` event
 * (RFC 8693 token exchange at the authorization server): audience `accounts-api` only, scope
 * `payments:approve`, a longer life, and bound to this event's id and the digest of its bytes,
 * so the token cannot authorize any other event.
 */
@Injectable()
export class EventTokenIssuer {
  private readonly logger = new Logger(EventTokenIssuer.name);

  constructor(private readonly oauth: ServiceTokenClient) {}

  async forApprovedEvent(subjectToken: string, eventId: string, eventBytes: string): Promise<string> {
    try {
      const { accessToken } = await this.oauth.exchange({
        subjectToken,
        audience: 'accounts-api',
        scope: APPROVED_EVENT_SCOPE,
        eventId,
        eventDigest: eventDigest(eventBytes),
      });
      return accessToken;
    } catch (error) {
      // Fail closed: without an event token there is no approval (the payment stays pending).
      this.logger.warn(
        `token exchange failed for event ${eventId} (subject ${tokenFingerprint(subjectToken)}): ${(error as Error).message}`,
      );
      throw new ServiceUnavailableException(
        'The authorization server could not issue the event token; try again shortly',
      );
    }
  }
}
