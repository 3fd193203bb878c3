import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import type { OidcClientConfig } from '../../shared/api/portal-config';
import { OFFICER_PAGES } from '../../shared/api/portal-paths';
import { OFFICER_ROLES } from '../../shared/domain/status';
import type { WardConfig } from '../../shared/domain/ward-config';

export interface OfficerPoolProps {
  readonly ward: WardConfig;
}

/** The custom attribute naming an officer's ward; in tokens it is the claim `custom:ward`. */
export const WARD_ATTRIBUTE = 'ward';

/** How long an officer's ID token opens the API, and how long the web app may refresh it (a working day). */
export const OFFICER_TOKEN_VALIDITY = { id: Duration.hours(1), access: Duration.hours(1), refresh: Duration.hours(8) } as const;

/** What the console asks for: the ID token (the API's authorizer checks it) with the officer's e-mail and name. */
export const OFFICER_WEB_SCOPES = ['openid', 'email', 'profile'] as const;

/**
 * The ward's officers ("cán bộ"): a Cognito user pool of its own per ward stack. There is no
 * self sign-up: an administrator creates each officer with their e-mail, name and ward (an
 * immutable attribute, set once at creation), and adds them to the groups of their roles
 * (`reception`, `specialist`, `leader`); the ID token carries both, and the handlers check both.
 */
export class OfficerPool extends Construct {
  readonly userPool: cognito.UserPool;
  /** The Cognito domain of the hosted sign-in (`https://mot-cua-so-<ward>.auth.<region>.amazoncognito.com`). */
  readonly domain: cognito.UserPoolDomain;
  private webClientOrUndefined?: cognito.UserPoolClient;
  private authorizer?: apigw.CognitoUserPoolsAuthorizer;

  constructor(
    scope: Construct,
    id: string,
    private readonly props: OfficerPoolProps,
  ) {
    super(scope, id);
    const { ward } = props;

    this.userPool = new cognito.UserPool(this, 'UserPool', {
      userPoolName: `mot-cua-so-${ward.slug}-officers`,
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      standardAttributes: {
        email: { required: true, mutable: true },
        fullname: { required: true, mutable: true },
      },
      customAttributes: {
        [WARD_ATTRIBUTE]: new cognito.StringAttribute({ minLen: 3, maxLen: 32, mutable: false }),
      },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        passwordHistorySize: 5,
        tempPasswordValidity: Duration.days(3),
      },
      // Officers open citizens' personal data: a second factor always, by an authenticator app
      // (TOTP). SMS would need an SNS role and spending limits, and SIM-swap makes it the weaker factor.
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      // Threat protection (compromised credentials, adaptive authentication) in enforcing mode
      // needs the Plus plan. A ward has tens of officers, so it costs little per month (billed
      // per monthly active user, with no free tier), and it protects accounts that open personal data.
      featurePlan: cognito.FeaturePlan.PLUS,
      standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
      userInvitation: {
        emailSubject: `Tài khoản cán bộ một cửa: ${ward.name}`,
        emailBody:
          `Tài khoản của bạn trên Một Cửa Số (${ward.name}) đã được tạo. ` + 'Tên đăng nhập: {username}. Mật khẩu tạm thời: {####} (đổi ở lần đăng nhập đầu, trong 3 ngày).',
      },
      userVerification: {
        emailSubject: 'Mã xác minh e-mail: Một Cửa Số',
        emailBody: 'Mã xác minh địa chỉ e-mail của bạn trên Một Cửa Số là {####}.',
      },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    for (const role of OFFICER_ROLES) {
      new cognito.UserPoolGroup(this, `Group-${role}`, { userPool: this.userPool, groupName: role, description: `Một Cửa Số: ${role}` });
    }

    // The hosted sign-in pages (e-mail, password, then the TOTP code the pool requires).
    this.domain = this.userPool.addDomain('Domain', { cognitoDomain: { domainPrefix: `mot-cua-so-${ward.slug}` } });
  }

  /** The issuer of the pool's ID tokens. */
  get issuer(): string {
    return `https://cognito-idp.${Stack.of(this).region}.${Stack.of(this).urlSuffix}/${this.userPool.userPoolId}`;
  }

  /**
   * The officers' console (served at each of `siteUrls` + OFFICER_CONSOLE_BASE: the distribution,
   * and the ward's own domain if it has one): a public client (no secret)
   * of the hosted sign-in with the authorization-code flow and PKCE, returning to the console's
   * sign-in page; created once the site's URL is known (the distribution needs the domain first).
   */
  addWebClient(siteUrls: readonly string[]): cognito.UserPoolClient {
    if (this.webClientOrUndefined) throw new Error('The officers\u2019 web client exists already');
    const { ward } = this.props;
    this.webClientOrUndefined = this.userPool.addClient('WebClient', {
      userPoolClientName: `mot-cua-so-${ward.slug}-officers-web`,
      generateSecret: false,
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: OFFICER_WEB_SCOPES.map((scope) => cognito.OAuthScope.custom(scope)),
        callbackUrls: siteUrls.map((siteUrl) => `${siteUrl}${OFFICER_PAGES.signInDone}`),
        logoutUrls: siteUrls.map((siteUrl) => `${siteUrl}${OFFICER_PAGES.worklists}`),
      },
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: OFFICER_TOKEN_VALIDITY.id,
      accessTokenValidity: OFFICER_TOKEN_VALIDITY.access,
      refreshTokenValidity: OFFICER_TOKEN_VALIDITY.refresh,
      readAttributes: new cognito.ClientAttributes().withStandardAttributes({ email: true, emailVerified: true, fullname: true }).withCustomAttributes(WARD_ATTRIBUTE),
      // The ward is the administrator's to set, never the officer's.
      writeAttributes: new cognito.ClientAttributes().withStandardAttributes({ email: true, fullname: true }),
    });
    // Only the hosted sign-in signs officers in: no SRP, password or custom flow straight to the
    // pool (left unset, Cognito would allow SRP and custom authentication), only token refreshes.
    (this.webClientOrUndefined.node.defaultChild as cognito.CfnUserPoolClient).explicitAuthFlows = ['ALLOW_REFRESH_TOKEN_AUTH'];
    return this.webClientOrUndefined;
  }

  /** The web client; addWebClient must have run. */
  get webClient(): cognito.UserPoolClient {
    if (!this.webClientOrUndefined) throw new Error('The officers\u2019 web client is created with addWebClient(siteUrls)');
    return this.webClientOrUndefined;
  }

  /** `/config.json`'s `officerSignIn`: the hosted sign-in's endpoints and the web client. */
  signInConfig(): OidcClientConfig {
    const base = this.domain.baseUrl();
    return {
      issuer: this.issuer,
      authorizationEndpoint: `${base}/oauth2/authorize`,
      tokenEndpoint: `${base}/oauth2/token`,
      clientId: this.webClient.userPoolClientId,
      scope: OFFICER_WEB_SCOPES.join(' '),
      redirectPath: OFFICER_PAGES.signInDone,
    };
  }

  /**
   * The API Gateway authorizer of the officer routes, created on first use (an authorizer that no
   * method uses fails synthesis). It reads the ID token from the `Authorization` header.
   */
  officerAuthorizer(): apigw.CognitoUserPoolsAuthorizer {
    this.authorizer ??= new apigw.CognitoUserPoolsAuthorizer(this, 'Authorizer', {
      authorizerName: 'officers',
      cognitoUserPools: [this.userPool],
      identitySource: apigw.IdentitySource.header('Authorization'),
    });
    return this.authorizer;
  }
}
