import type { Adapter, AdapterPayload } from 'oidc-provider';

/**
 * Where a local identity provider keeps its sessions, interactions, codes and grants: in this
 * process's memory, each entry until it expires. A restart of `npm start` signs everyone out,
 * which is all local mode needs (the tokens already issued stay valid: they are self-contained).
 */
export function memoryStore(): new (name: string) => Adapter {
  const entries = new Map<string, { payload: AdapterPayload; expiresAt: number }>();
  const grants = new Map<string, Set<string>>();
  return class MemoryStore implements Adapter {
    constructor(private readonly name: string) {}

    private key(id: string): string {
      return `${this.name}:${id}`;
    }

    upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
      const key = this.key(id);
      entries.set(key, { payload, expiresAt: Date.now() + expiresIn * 1000 });
      if (payload.grantId !== undefined) grants.set(payload.grantId, (grants.get(payload.grantId) ?? new Set()).add(key));
      return Promise.resolve();
    }

    find(id: string): Promise<AdapterPayload | undefined> {
      return Promise.resolve(live(this.key(id)));
    }

    findByUid(uid: string): Promise<AdapterPayload | undefined> {
      const found = [...entries.keys()].find((key) => key.startsWith(`${this.name}:`) && live(key)?.uid === uid);
      return Promise.resolve(found === undefined ? undefined : live(found));
    }

    findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
      const found = [...entries.keys()].find((key) => key.startsWith(`${this.name}:`) && live(key)?.userCode === userCode);
      return Promise.resolve(found === undefined ? undefined : live(found));
    }

    consume(id: string): Promise<void> {
      const entry = entries.get(this.key(id));
      if (entry !== undefined) entry.payload = { ...entry.payload, consumed: Math.floor(Date.now() / 1000) };
      return Promise.resolve();
    }

    destroy(id: string): Promise<void> {
      entries.delete(this.key(id));
      return Promise.resolve();
    }

    revokeByGrantId(grantId: string): Promise<void> {
      for (const key of grants.get(grantId) ?? []) entries.delete(key);
      grants.delete(grantId);
      return Promise.resolve();
    }
  };

  function live(key: string): AdapterPayload | undefined {
    const entry = entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= Date.now()) {
      entries.delete(key);
      return undefined;
    }
    return entry.payload;
  }
}
