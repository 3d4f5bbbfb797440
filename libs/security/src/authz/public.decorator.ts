import { SetMetadata } from '@nestjs/common';
import { IS_PUBLIC } from './security-metadata';

/** Opt a route (or controller) OUT of authentication. Everything else needs a valid token. */
export const Public = () => SetMetadata(IS_PUBLIC, true);
