/**
 * Staff single sign-on through OpenID Connect: the authorization code flow with PKCE (S256),
 * state and nonce, on openid-client (panva), which discovers the provider, and validates the
 * authorization response, the code exchange, the ID token's signature and claims.
 *
 * Sign-on only proves who a person is; what they may do stays with the local account. The
 * configured username claim must name an existing local account of kind `staff` (accounts are
 * provisioned by the platform, never created here); password accounts keep working beside it.
 */
import * as oidc from 'openid-client';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { FastifyBaseLogger } from 'fastify';
import type { OidcConfig } from '../../config.js';
import type { Db } from '../../db/index.js';
import { AppError } from '../../platform/errors.js';
import { users } from './schema.js';

/** What one sign-in attempt keeps between the redirect to the provider and the callback. */
export const OidcFlow = z.object({
  state: z.string().min(1).max(256),
  nonce: z.string().min(1).max(256),
  codeVerifier: z.string().min(43).max(128),
});
export type OidcFlow = z.infer<typeof OidcFlow>;

/** The relying party of one configured provider. */
export interface OidcClient {
  /**
   * Starts a sign-in: fresh state, nonce and PKCE verifier, and the provider's authorization URL
   * (`response_type=code`, `code_challenge_method=S256`) carrying them.
   * @throws AppError SSO_PROVIDER_UNAVAILABLE when the provider's discovery document cannot be read
   */
  start(): Promise<{ url: URL; flow: OidcFlow }>;
  /**
   * Completes a sign-in from the callback's query string (`code`, `state`, `iss`… or `error`):
   * checks the state, exchanges the code with the PKCE verifier, validates the ID token
   * (signature, issuer, audience, expiry, nonce) and reads the username claim from the ID token,
   * or else from the userinfo endpoint (whose `sub` must match).
   * @returns the value of the username claim
   * @throws AppError SSO_STATE_INVALID (state missing or not this flow's), SSO_PROVIDER_ERROR
   *   (the provider answered `error=…`, e.g. the person cancelled), SSO_RESPONSE_INVALID (the code
   *   exchange or the ID token failed validation), SSO_CLAIM_MISSING (no username claim),
   *   SSO_PROVIDER_UNAVAILABLE (the provider cannot be reached)
   */
  finish(callbackQuery: string, flow: OidcFlow): Promise<string>;
}

/** An `error` value from the provider, cut to what is safe to echo in a message. */
function safeErrorCode(s: string | undefined): string {
  const v = (s ?? '').replace(/[^\w.-]/g, '').slice(0, 64);
  return v || 'error';
}

function isNetworkFailure(e: unknown): boolean {
  return (e instanceof TypeError && e.message === 'fetch failed') || (e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError'));
}

/**
 * Creates the relying party of a provider. Discovery runs on first use and is kept; a failed
 * discovery is retried on the next sign-in. Client authentication at the token endpoint is
 * `client_secret_basic`; plain-http requests are allowed only for a local issuer (see
 * {@link OidcConfig.allowInsecureRequests}).
 * @param settings the provider and client (config.ts, `ONEWINDOW_OIDC_*`)
 * @param log where failures are logged (codes only, never tokens or claims)
 */
export function createOidcClient(settings: OidcConfig, log: FastifyBaseLogger): OidcClient {
  let discovered: Promise<oidc.Configuration> | undefined;

  const configuration = (): Promise<oidc.Configuration> =>
    (discovered ??= oidc
      .discovery(new URL(settings.issuer), settings.clientId, undefined, oidc.ClientSecretBasic(settings.clientSecret), {
        execute: settings.allowInsecureRequests ? [oidc.allowInsecureRequests] : [],
        timeout: 10,
      })
      .catch((e: unknown) => {
        discovered = undefined;
        log.error({ err: { type: (e as Error)?.name, code: (e as { code?: string })?.code, message: String((e as Error)?.message ?? e).slice(0, 300) } }, 'OpenID provider discovery failed');
        throw new AppError('SSO_PROVIDER_UNAVAILABLE');
      }));

  /** Maps an openid-client failure after the state check to the platform's error codes. */
  const failure = (e: unknown): never => {
    if (e instanceof AppError) throw e;
    if (e instanceof oidc.AuthorizationResponseError) throw new AppError('SSO_PROVIDER_ERROR', { error: safeErrorCode(e.error) });
    const code = (e as { code?: string })?.code;
    if (isNetworkFailure(e) || code === 'OAUTH_RESPONSE_IS_NOT_CONFORM' || code === 'OAUTH_RESPONSE_IS_NOT_JSON') {
      log.warn({ err: { type: (e as Error)?.name, code } }, 'OpenID provider unavailable');
      throw new AppError('SSO_PROVIDER_UNAVAILABLE');
    }
    if (e instanceof oidc.ResponseBodyError || e instanceof oidc.ClientError || e instanceof oidc.WWWAuthenticateChallengeError) {
      const error = e instanceof oidc.ResponseBodyError ? e.error : undefined;
      log.warn({ err: { type: e.name, code, error, message: e.message.slice(0, 300) } }, 'OpenID sign-in refused');
      throw new AppError('SSO_RESPONSE_INVALID');
    }
    throw e;
  };

  return {
    async start() {
      const config = await configuration();
      const flow: OidcFlow = { state: oidc.randomState(), nonce: oidc.randomNonce(), codeVerifier: oidc.randomPKCECodeVerifier() };
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: settings.redirectUrl,
        scope: settings.scope,
        code_challenge: await oidc.calculatePKCECodeChallenge(flow.codeVerifier),
        code_challenge_method: 'S256',
        state: flow.state,
        nonce: flow.nonce,
      });
      return { url, flow };
    },

    async finish(callbackQuery, flow) {
      // The redirect URI as registered, with the provider's answer: what the code was issued for
      // (the request's own URL may differ behind a proxy).
      const current = new URL(settings.redirectUrl);
      current.search = callbackQuery;
      if (current.searchParams.get('state') !== flow.state) throw new AppError('SSO_STATE_INVALID');
      const config = await configuration();
      try {
        const tokens = await oidc.authorizationCodeGrant(config, current, {
          pkceCodeVerifier: flow.codeVerifier,
          expectedState: flow.state,
          expectedNonce: flow.nonce,
          idTokenExpected: true,
        });
        const claims = tokens.claims()!;
        let username: unknown = claims[settings.usernameClaim];
        // Providers that follow OIDC Core §5.4 strictly put profile claims only in userinfo.
        if (username === undefined) username = (await oidc.fetchUserInfo(config, tokens.access_token, claims.sub))[settings.usernameClaim];
        if (typeof username !== 'string' || !username) throw new AppError('SSO_CLAIM_MISSING', { claim: settings.usernameClaim });
        return username;
      } catch (e) {
        return failure(e);
      }
    },
  };
}

/**
 * The local staff account a sign-on username names.
 * @returns the account's id
 * @throws AppError SSO_ACCOUNT_UNKNOWN when no account has this username or it is not staff
 *   (an applicant's account never signs in through staff sign-on; nothing is created)
 */
export async function findStaffAccountId(db: Db, username: string): Promise<string> {
  const [u] = await db.select({ id: users.id, kind: users.kind }).from(users).where(eq(users.username, username));
  if (!u || u.kind !== 'staff') throw new AppError('SSO_ACCOUNT_UNKNOWN');
  return u.id;
}
