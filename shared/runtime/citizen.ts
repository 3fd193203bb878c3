import type { APIGatewayProxyEvent } from 'aws-lambda';
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { ApplicantSchema, IdNumberSchema, PhoneSchema } from '../domain/dossier';
import { ServiceBusyError, SignInInvalidError, SignInRequiredError } from '../domain/errors';
import type { CitizenSignIn } from '../domain/ward-config';
import { ward } from './env';

/** A citizen signed in at the city's identity provider, from the verified claims of their ID token. */
export interface Citizen {
  /** The provider's `sub`. */
  readonly subject: string;
  /** The personal ID number (CCCD), valid by IdNumberSchema. */
  readonly idNumber: string;
  readonly fullName: string;
  /** E.164, when the provider gives one. */
  readonly phone?: string;
}

/** Seconds of clock difference tolerated between the provider and the function. */
const CLOCK_TOLERANCE_SECONDS = 30;

/**
 * Verifies a citizen's ID token: signed by one of the issuer's keys with an allowed algorithm,
 * this issuer, this client as audience, not expired, with a valid ID number and name under the
 * configured claim names (and a valid phone if it has one).
 *
 * @throws SignInInvalidError any of those fails
 * @throws ServiceBusyError the issuer's key set could not be fetched in time
 */
export async function verifyCitizenToken(token: string, signIn: CitizenSignIn, keys: JWTVerifyGetKey, now?: Date): Promise<Citizen> {
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, keys, {
      issuer: signIn.issuer,
      audience: signIn.clientId,
      algorithms: [...signIn.algorithms],
      requiredClaims: ['sub', 'exp', 'iat', signIn.claims.idNumber, signIn.claims.fullName],
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      ...(now ? { currentDate: now } : {}),
    }));
  } catch (error) {
    if (error instanceof errors.JWKSTimeout) throw new ServiceBusyError();
    if (error instanceof errors.JOSEError) throw new SignInInvalidError();
    // The key set is unreachable (a network error): the token cannot be checked, so it is not accepted.
    if (error instanceof TypeError) throw new SignInInvalidError();
    throw error;
  }
  const idNumber = IdNumberSchema.safeParse(payload[signIn.claims.idNumber]);
  const fullName = ApplicantSchema.shape.fullName.safeParse(payload[signIn.claims.fullName]);
  const phoneClaim = payload[signIn.claims.phone];
  const phone = phoneClaim === undefined ? undefined : PhoneSchema.safeParse(phoneClaim);
  if (!idNumber.success || !fullName.success || phone?.success === false || typeof payload.sub !== 'string') throw new SignInInvalidError();
  return { subject: payload.sub, idNumber: idNumber.data, fullName: fullName.data, ...(phone?.success ? { phone: phone.data } : {}) };
}

/** The token of an `Authorization: Bearer <token>` header; undefined when there is no such header. */
export function bearerTokenOf(event: Pick<APIGatewayProxyEvent, 'headers'>): string | undefined {
  const name = Object.keys(event.headers ?? {}).find((candidate) => candidate.toLowerCase() === 'authorization');
  const value = name === undefined ? undefined : event.headers[name]?.trim();
  if (value === undefined || value === '') return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(value);
  // Another scheme, or a Bearer header without a token, is a sign-in that cannot be valid.
  if (match?.[1] === undefined) throw new SignInInvalidError();
  return match[1];
}

/** The issuer's keys, fetched on first use and cached across invocations of this function's instance. */
const issuerKeys = createRemoteJWKSet(new URL(ward.citizenSignIn.jwksUri), { timeoutDuration: 3_000, cooldownDuration: 30_000 });

/**
 * The signed-in citizen calling a citizen route.
 *
 * @throws SignInRequiredError no `Authorization` header
 * @throws SignInInvalidError a token that does not verify
 */
export async function citizenOf(event: Pick<APIGatewayProxyEvent, 'headers'>): Promise<Citizen> {
  const token = bearerTokenOf(event);
  if (token === undefined) throw new SignInRequiredError();
  return verifyCitizenToken(token, ward.citizenSignIn, issuerKeys);
}

/**
 * The signed-in citizen, or undefined for a request without an `Authorization` header (a route
 * where signing in is one way among others). A token that is sent must verify.
 *
 * @throws SignInInvalidError a token that does not verify
 */
export async function signedInCitizenOf(event: Pick<APIGatewayProxyEvent, 'headers'>): Promise<Citizen | undefined> {
  return bearerTokenOf(event) === undefined ? undefined : citizenOf(event);
}

/**
 * Who submits a dossier online: the signed-in citizen, required unless the ward's pilot switch
 * accepts unsigned submissions (then a request without a token is undefined; one with a token must verify).
 */
export function onlineSubmitterOf(event: Pick<APIGatewayProxyEvent, 'headers'>): Promise<Citizen | undefined> {
  return ward.unsignedOnlineSubmissions ? signedInCitizenOf(event) : citizenOf(event);
}
