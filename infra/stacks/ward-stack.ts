import { CfnOutput, Fn, Lazy, RemovalPolicy, Stack, Tags, type StackProps } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import type { Construct } from 'constructs';
import { letLogsUse } from '../constructs/log-key';
import type { OidcClientConfig } from '../../shared/api/portal-config';
import type { SiteOrigins } from '../../shared/api/site-headers';
import { WARD_TAG, wardSiteUrlParameterName } from '../../shared/domain/city';
import type { WardConfig } from '../../shared/domain/ward-config';
import { ROUTES, type RouteAccess } from '../../shared/runtime/routes';
import { citizenSignInOf } from '../config/citizen-sign-in';
import { ArchiveBucket } from '../constructs/archive-bucket';
import { AuditorRole } from '../constructs/auditor-role';
import { CatalogLoader } from '../constructs/catalog-loader';
import { DeadlineWorkflow } from '../constructs/deadline-workflow';
import { IdHashKey } from '../constructs/id-hash-key';
import { NationalSyncSecret } from '../constructs/national-sync-secret';
import { NotificationRetries } from '../constructs/notification-retries';
import { CityHandOver } from '../constructs/city-handover';
import { WardNotifications } from '../constructs/notifications';
import { OfficerPool } from '../constructs/officer-pool';
import { ScheduledJobs } from '../constructs/scheduled-jobs';
import { SigningKey } from '../constructs/signing-key';
import { StreamConsumers } from '../constructs/stream-consumers';
import { UploadsBucket } from '../constructs/uploads-bucket';
import { WardApi } from '../constructs/ward-api';
import { WardFunction, type ResourceUser } from '../constructs/ward-function';
import { WardAlarms } from '../constructs/ward-alarms';
import { WardDashboard } from '../constructs/ward-dashboard';
import { WardSite } from '../constructs/ward-site';
import { WardTable } from '../constructs/ward-table';

export interface WardStackProps extends StackProps {
  readonly ward: WardConfig;
}

/** Everything one ward runs on: its table, uploads, keys, functions and API. */
export class WardStack extends Stack {
  /** The pages and the API behind one CloudFront distribution. */
  readonly site: WardSite;

  constructor(scope: Construct, id: string, props: WardStackProps) {
    super(scope, id, { ...props, description: props.description ?? `Một Cửa Số: ${props.ward.name}, ${props.ward.province}` });
    const { ward } = props;
    Tags.of(this).add('project', 'mot-cua-so');
    // The city bus's policy knows a ward's roles by this tag (city-stack.ts).
    Tags.of(this).add(WARD_TAG, ward.slug);

    const dataKey = this.dataKey(ward.slug);
    const table = new WardTable(this, 'Data', { encryptionKey: dataKey, slug: ward.slug });
    // The site's distribution is created after the functions (it fronts their API): its origin is filled in at synthesis.
    const siteOrigin = Lazy.string({ produce: () => this.site.url });
    const uploads = new UploadsBucket(this, 'Uploads', {
      encryptionKey: dataKey,
      // The pages post presigned uploads from the distribution's origin, or from the ward's own domain.
      allowedOrigins: [siteOrigin, ...(ward.publicBaseUrl ? [new URL(ward.publicBaseUrl).origin] : [])],
    });
    // The archive has a key of its own, so that the auditor needs no right on the data key.
    const archive = new ArchiveBucket(this, 'Archive', { wardSlug: ward.slug, retentionYears: ward.retentionYears, accessLogs: uploads.accessLogs });
    const idHashKey = new IdHashKey(this, 'IdHash', { wardSlug: ward.slug });
    const signingKey = new SigningKey(this, 'Signing', { ward });

    const grantAccess = (user: ResourceUser, access: RouteAccess): void => {
      if (access.table) table.grantTo(user, access.table);
      if (access.uploads?.length) uploads.grantTo(user, access.uploads);
      if (access.archive?.length) archive.grantTo(user, access.archive);
      if (access.idHashKey) idHashKey.grantTo(user);
      if (access.signing) signingKey.grantTo(user);
    };
    const routes = ROUTES.map((route) => {
      const fn = new WardFunction(this, route.id, {
        ward,
        handler: route.handler,
        description: `${route.method} ${route.path}`,
        memoryMb: route.memoryMb,
        logKey: dataKey,
        withResultFonts: route.rendersResults,
      });
      grantAccess(fn, route.access);
      return { route, fn, handler: fn.lambda };
    });

    new CatalogLoader(this, 'CatalogLoader', { ward, table, logKey: dataKey });
    // Deadlines: one Standard execution per dossier clock generation; the deadline starter
    // (a stream consumer with `access.deadlines`) is granted through deadlines.grantTo.
    const deadlines = new DeadlineWorkflow(this, 'Deadlines', { ward, table, logKey: dataKey });
    const officers = new OfficerPool(this, 'Officers', { ward });
    // The distribution proves to the API's web ACL that a request came through it with this value:
    // the UUID of the stack's id, per stack, stable across deployments (both sides change together
    // only if the stack is recreated), never in the repository. It guards no data: it closes the
    // direct execute-api path, so that the forwarded viewer address cannot be forged.
    const originVerifySecret = Fn.select(2, Fn.split('/', this.stackId));
    const api = new WardApi(this, 'Api', {
      ward,
      routes,
      logKey: dataKey,
      officerAuthorizer: ROUTES.some((route) => route.auth === 'officer') ? officers.officerAuthorizer() : undefined,
      originVerifySecret,
    });

    // The pages and the API behind one CloudFront distribution (ward-site.ts). It depends on the
    // RestApi resource only, so the functions may name it: links in receipts, SMS and the
    // e-results' QR codes lead to the distribution, or to the ward's own domain when it has one.
    const site = new WardSite(this, 'Site', {
      ward,
      api: api.api,
      accessLogs: uploads.accessLogs,
      originVerifySecret,
      origins: siteOriginsOf(this.region, officers.domain.baseUrl(), citizenSignInOf(ward)),
    });
    this.site = site;
    officers.addWebClient([site.url, ...(ward.publicBaseUrl ? [new URL(ward.publicBaseUrl).origin] : [])]);
    site.deploy({
      ward: { slug: ward.slug, name: ward.name, province: ward.province },
      apiBaseUrl: '',
      citizenSignIn: citizenSignInOf(ward),
      officerSignIn: officers.signInConfig(),
    });
    const publicBaseUrl = ward.publicBaseUrl ?? site.url;
    for (const { fn } of routes) fn.addEnvironment('PUBLIC_BASE_URL', publicBaseUrl);

    // The stream consumers of shared/runtime/consumers.ts (notifier, deadline starter), each on its
    // filtered event source mapping with a dead-letter queue; SMS and officer alerts through SNS.
    const notifications = new WardNotifications(this, 'Notifications', { ward, encryptionKey: dataKey });
    // The national portal's sync endpoint and token, for the sync consumer and its retry job.
    const nationalSync = new NationalSyncSecret(this, 'NationalSync', { wardSlug: ward.slug, encryptionKey: dataKey });
    const grantNationalSync = (user: ResourceUser): void => {
      nationalSync.grantTo(user);
      // The records link each result to its public verify page.
      user.addEnvironment('PUBLIC_BASE_URL', publicBaseUrl);
    };
    // Reception without boundaries: the rule on the city bus, the inbound and hand-over queues and their workers.
    const city = new CityHandOver(this, 'CityHandOver', { ward, encryptionKey: dataKey, grantAccess, alarmAction: notifications.alarmAction });
    const streamConsumers = new StreamConsumers(this, 'StreamConsumers', {
      ward,
      table,
      encryptionKey: dataKey,
      grantAccess,
      notifications,
      publicBaseUrl,
      grantFor: {
        deadlines: (user) => deadlines.grantTo(user),
        nationalSync: grantNationalSync,
        cityBus: (user) => city.grantBusTo(user),
        handOverQueue: (user) => city.grantHandOverQueueTo(user),
      },
    });
    // A delivery that fails waits in the notifier's retry queue, for its worker, for hours if need be.
    const retries = new NotificationRetries(this, 'NotificationRetries', { ward, encryptionKey: dataKey, grantAccess, notifications, publicBaseUrl });
    for (const { consumer, fn } of streamConsumers.consumers) if (consumer.access.notify) retries.grantTo(fn);
    // The jobs of shared/runtime/schedules.ts (the archive manifest's daily seal), each on its EventBridge rule.
    new ScheduledJobs(this, 'ScheduledJobs', {
      ward,
      logKey: dataKey,
      grantAccess,
      alarmAction: notifications.alarmAction,
      grantNotify: (user) => notifications.grantAlertsTo(user),
      grantNationalSync,
    });

    const auditor = new AuditorRole(this, 'Auditor', { wardSlug: ward.slug, archive, signingKey, table });
    // Last: it alarms on every function created before it.
    new WardAlarms(this, 'Alarms', { ward, api: api.api, deadlines: deadlines.stateMachine, alarmAction: notifications.alarmAction });
    // After the alarms: its status widget shows every alarm of the stack.
    const dashboard = new WardDashboard(this, 'Dashboard', { ward });
    // The city's ward directory names this parameter for the URL the ward is served at, known only here.
    new ssm.StringParameter(this, 'SiteUrlParameter', {
      parameterName: wardSiteUrlParameterName(ward.slug),
      stringValue: publicBaseUrl,
      description: `${ward.slug}: the URL of the citizen portal, the officer console and the API`,
    });

    new CfnOutput(this, 'SiteUrl', { value: site.url, description: 'The citizen portal (/), the officer console (/can-bo/) and the API' });
    new CfnOutput(this, 'SiteBucketName', { value: site.bucket.bucketName });
    new CfnOutput(this, 'OfficerSignInDomain', { value: officers.domain.baseUrl(), description: "The officers' hosted sign-in (Cognito)" });
    new CfnOutput(this, 'ApiUrl', { value: api.api.url, description: 'Base URL of the ward API' });
    new CfnOutput(this, 'ArchiveBucketName', { value: archive.bucket.bucketName, description: 'Write-once archive of documents, cancellations and manifests (Object Lock)' });
    new CfnOutput(this, 'ArchiveKeyArn', { value: archive.encryptionKey.keyArn, description: "The archive's own KMS key" });
    new CfnOutput(this, 'SigningKeyArn', { value: signingKey.key.keyArn, description: "The ward's signing key (KMS, ECC_NIST_P256)" });
    new CfnOutput(this, 'SigningKeyAlias', { value: signingKey.aliasName });
    new CfnOutput(this, 'AuditorRoleArn', { value: auditor.role.roleArn, description: 'Read-only auditor of the archive (assume with MFA)' });
    new CfnOutput(this, 'TableName', { value: table.table.tableName });
    new CfnOutput(this, 'NationalSyncSecretArn', {
      value: nationalSync.secret.secretArn,
      description: "Endpoint and token of the national dossier sync: replace the placeholder value with the portal's",
    });
    new CfnOutput(this, 'UploadsBucketName', { value: uploads.bucket.bucketName });
    new CfnOutput(this, 'AccessLogsBucketName', { value: uploads.accessLogs.bucketName });
    new CfnOutput(this, 'OfficerUserPoolId', { value: officers.userPool.userPoolId, description: "The ward officers' Cognito user pool" });
    new CfnOutput(this, 'DashboardName', { value: dashboard.dashboard.dashboardName, description: "The ward's CloudWatch dashboard" });
    new CfnOutput(this, 'OfficerWebClientId', { value: officers.webClient.userPoolClientId, description: "App client id of the officers' web app" });
  }

  /**
   * The customer-managed key of the ward's data at rest: the table, the uploads bucket, the queues,
   * topic and log groups (whose lines can carry names and phone numbers); not the archive, which has its own.
   */
  private dataKey(wardSlug: string): kms.Key {
    const key = new kms.Key(this, 'DataKey', {
      enableKeyRotation: true,
      alias: wardDataKeyAlias(wardSlug),
      description: `Một Cửa Số ${wardSlug}: table, uploads and logs`,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    letLogsUse(key);
    return key;
  }
}

/** The alias of a ward's data key (table, uploads, logs): the city's report may decrypt the table with it (infra/constructs/city-report.ts). */
export const wardDataKeyAlias = (slug: string): string => `alias/mot-cua-so/${slug}/data`;

/**
 * The origins the pages reach besides their own, for their Content-Security-Policy: the identity
 * providers (the officers' Cognito domain, the city's provider for citizens: token endpoints by
 * fetch, authorization endpoints by navigation) and S3 in the ward's region, where the presigned
 * uploads go. S3 is named by its regional endpoint, not the uploads bucket's own host: the bucket's
 * CORS rule names the distribution, so the distribution naming the bucket would close a cycle.
 */
export function siteOriginsOf(region: string, officerSignInBase: string, citizen: OidcClientConfig): SiteOrigins {
  const originOf = (url: string) => new URL(url).origin;
  return {
    connect: [officerSignInBase, originOf(citizen.tokenEndpoint), `https://*.s3.${region}.amazonaws.com`],
    formAction: [officerSignInBase, originOf(citizen.authorizationEndpoint)],
  };
}
