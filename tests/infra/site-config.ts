import { PortalConfigSchema, type PortalConfig } from '../../shared/api/portal-config';
import type { WardStack } from '../../infra/stacks/ward-stack';

/** A resolved CloudFormation value as readable text: `{Ref:Id}`, `{GetAtt:Id.Attr}`, joins concatenated. */
export function intrinsicText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null) {
    if ('Ref' in value) return `{Ref:${String(value.Ref)}}`;
    if ('Fn::GetAtt' in value && Array.isArray(value['Fn::GetAtt'])) return `{GetAtt:${value['Fn::GetAtt'].join('.')}}`;
    if ('Fn::Join' in value && Array.isArray(value['Fn::Join'])) {
      const [separator, parts] = value['Fn::Join'] as [string, unknown[]];
      return parts.map(intrinsicText).join(separator);
    }
  }
  throw new Error(`Not a value of /config.json: ${JSON.stringify(value)}`);
}

/** The stack's `/config.json`, its deploy-time values as `{Ref:…}` text, checked against the portal's schema with them filled in. */
export function portalConfigOf(stack: WardStack): PortalConfig {
  const resolved = stack.resolve(stack.site.portalConfig) as unknown;
  const text = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(text)
      : typeof value === 'object' && value !== null && !('Ref' in value) && !('Fn::GetAtt' in value) && !('Fn::Join' in value)
        ? Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, text(inner)]))
        : typeof value === 'boolean' || typeof value === 'number'
          ? value
          : intrinsicText(value);
  const config = text(resolved) as PortalConfig;
  // As deployed: every token a host name or an id.
  const deployed = JSON.parse(JSON.stringify(config).replace(/\{(Ref|GetAtt):[^}]+\}/g, 'x1')) as unknown;
  PortalConfigSchema.parse(deployed);
  return config;
}
