import { AppError } from '../shared/errors.js';
import { ifHeaderHolds, parseIfHeader, submittedTokens, type ResourceState } from './if-header.js';
import type { WebdavLocks } from './webdav-locks.js';
import { DAV_PREFIX, segmentsOf, type Namespace, type Resource } from './webdav-namespace.js';
import { etagOf } from './webdav-properties.js';

/** What a request carries besides its body: the lock tokens its If header submits, already checked. */
export type Conditions = { submitted: Set<string> };

const noState: ResourceState = { etag: null, lockTokens: [] };

/**
 * Evaluates the If header: 412 when no list holds. Untagged lists are checked against the request's
 * resource, tagged ones against the resource their URL names (nothing, outside the share).
 */
export async function evaluateConditions(
  locks: Pick<WebdavLocks, 'covering'>,
  namespace: Namespace,
  resource: Resource,
  ifHeader: string | undefined,
): Promise<Conditions> {
  if (!ifHeader) return { submitted: new Set() };
  const lists = parseIfHeader(ifHeader);
  const stateOf = async (target: Resource): Promise<ResourceState> => ({
    etag: etagOf(target),
    lockTokens: (await locks.covering(namespace, target)).map((lock) => lock.token),
  });
  const states = new Map<string | null, ResourceState>();
  for (const list of lists) {
    if (states.has(list.resource)) continue;
    if (list.resource === null) {
      states.set(null, await stateOf(resource));
      continue;
    }
    const pathname = new URL(list.resource, 'http://tag.invalid').pathname;
    const inShare = pathname === DAV_PREFIX || pathname.startsWith(`${DAV_PREFIX}/`);
    states.set(list.resource, inShare ? await stateOf(await namespace.resolve(segmentsOf(pathname))) : noState);
  }
  if (!ifHeaderHolds(lists, (tag) => states.get(tag)!))
    throw new AppError('conflict', 'webdav.precondition_failed', 'No list of the If header holds.');
  return { submitted: submittedTokens(lists) };
}
