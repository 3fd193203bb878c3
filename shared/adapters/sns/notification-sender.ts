import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { DigestSender } from '../../use-cases/alert-digest';
import type { NotificationSender } from '../../use-cases/notify';

/** SNS's limit on a subject: under 100 characters, one line. */
const SUBJECT_MAX = 99;

/**
 * SMS straight to a phone number, and officer alerts to the ward's topic (whose e-mail
 * subscriptions deliver them). SMS are Transactional (delivered even to numbers on a
 * do-not-disturb list, with the better routes), from the ward's sender id, and never dearer than
 * the ward's maximum price (SNS drops an SMS it would have to pay more for).
 */
export function snsNotificationSender(client: SNSClient, alertsTopicArn: string): NotificationSender {
  return {
    async sendSms(sms) {
      const result = await client.send(
        new PublishCommand({
          PhoneNumber: sms.phone,
          Message: sms.text,
          MessageAttributes: {
            'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
            // SNS refuses sender ids with spaces, which the ward configuration allows.
            'AWS.SNS.SMS.SenderID': { DataType: 'String', StringValue: sms.senderId.replaceAll(' ', '') },
            'AWS.SNS.SMS.MaxPrice': { DataType: 'Number', StringValue: String(sms.maxPriceUsd) },
          },
        }),
      );
      return { messageId: result.MessageId ?? '' };
    },

    async sendAlert(alert) {
      const result = await client.send(
        new PublishCommand({
          TopicArn: alertsTopicArn,
          Subject: alert.subject.replace(/[\r\n]+/g, ' ').slice(0, SUBJECT_MAX),
          Message: alert.body,
        }),
      );
      return { messageId: result.MessageId ?? '' };
    },
  };
}

/** The officers' digest, to the ward's topic (whose e-mail subscriptions deliver it). */
export function snsDigestSender(client: SNSClient, alertsTopicArn: string): DigestSender {
  return {
    async sendDigest(digest) {
      const result = await client.send(
        new PublishCommand({ TopicArn: alertsTopicArn, Subject: digest.subject.replace(/[\r\n]+/g, ' ').slice(0, SUBJECT_MAX), Message: digest.body }),
      );
      return { messageId: result.MessageId ?? '' };
    },
  };
}
