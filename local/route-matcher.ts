import type { RouteDefinition } from '../shared/runtime/routes';

/** The API Gateway resource a request path lands on, with every method defined on it. */
export interface ResourceMatch {
  /** The resource path, with `{param}` placeholders, e.g. `/dossiers/{code}/status`. */
  readonly resourcePath: string;
  /** Decoded values of the `{param}` segments, as API Gateway passes them. */
  readonly pathParameters: Readonly<Record<string, string>>;
  /** The routes of this resource, one per method. */
  readonly routes: readonly RouteDefinition[];
}

type Segment = { readonly literal: string } | { readonly parameter: string };

interface CompiledResource {
  readonly resourcePath: string;
  readonly segments: readonly Segment[];
  /** One character per segment, literal ('1') before parameter ('0'), to rank overlapping resources. */
  readonly specificity: string;
  readonly routes: readonly RouteDefinition[];
}

/**
 * Finds the resource for a request path the way API Gateway's resource tree does: a `{param}`
 * matches exactly one non-empty segment, and a literal segment wins over a parameter at the same
 * depth (`/verify/public-key` before `/verify/{code}`). The method is looked up on that resource
 * only: a method it lacks is not searched for on another resource.
 */
export function createResourceMatcher(routes: readonly RouteDefinition[]): (path: string) => ResourceMatch | undefined {
  const resources = compileResources(routes);
  return (path) => {
    const requestSegments = splitPath(path);
    let best: { readonly resource: CompiledResource; readonly pathParameters: Record<string, string> } | undefined;
    for (const resource of resources) {
      const pathParameters = matchSegments(resource.segments, requestSegments);
      if (pathParameters !== undefined && (best === undefined || resource.specificity > best.resource.specificity)) {
        best = { resource, pathParameters };
      }
    }
    return best && { resourcePath: best.resource.resourcePath, pathParameters: best.pathParameters, routes: best.resource.routes };
  };
}

function compileResources(routes: readonly RouteDefinition[]): CompiledResource[] {
  const routesByPath = new Map<string, RouteDefinition[]>();
  for (const route of routes) {
    routesByPath.set(route.path, [...(routesByPath.get(route.path) ?? []), route]);
  }
  return [...routesByPath].map(([resourcePath, routesOfPath]) => {
    const segments = splitPath(resourcePath).map((segment): Segment => {
      const parameter = /^\{([A-Za-z0-9_]+)\}$/.exec(segment)?.[1];
      return parameter === undefined ? { literal: segment } : { parameter };
    });
    const specificity = segments.map((segment) => ('literal' in segment ? '1' : '0')).join('');
    return { resourcePath, segments, specificity, routes: routesOfPath };
  });
}

/** `/a/b/` → `['a', 'b', '']`: a trailing slash is a segment of its own, which no route matches. */
function splitPath(path: string): string[] {
  return path.replace(/^\//, '').split('/');
}

function matchSegments(resourceSegments: readonly Segment[], requestSegments: readonly string[]): Record<string, string> | undefined {
  if (resourceSegments.length !== requestSegments.length) {
    return undefined;
  }
  const pathParameters: Record<string, string> = {};
  for (const [index, segment] of resourceSegments.entries()) {
    const requestSegment = requestSegments[index] ?? '';
    if ('literal' in segment) {
      if (segment.literal !== safeDecode(requestSegment)) {
        return undefined;
      }
    } else {
      if (requestSegment === '') {
        return undefined;
      }
      pathParameters[segment.parameter] = safeDecode(requestSegment);
    }
  }
  return pathParameters;
}

/** Percent-decodes, keeping the text as it is when it is not valid percent-encoding. */
export function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
