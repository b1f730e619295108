import { eq } from 'drizzle-orm';
import { fieldChanges } from '../audit/audit-changes.js';
import type { AuditTrail } from '../audit/audit.service.js';
import { authorize } from '../auth/policy.js';
import type { BlobStore } from '../blobs/blob-store.js';
import type { Database } from '../db/database.js';
import type { Brand } from '../rendering/index.js';
import type { Actor } from '../shared/actor.js';
import type { Clock } from '../shared/clock.js';
import { AppError } from '../shared/errors.js';
import { brandKit } from './templates.tables.js';

export type BrandKit = typeof brandKit.$inferSelect;
/** A change of the kit; a currency left out stays as it is. */
export type BrandInput = Omit<BrandKit, 'id' | 'logoSha256' | 'logoMimeType' | 'updatedAt' | 'currency'> & {
  currency?: string;
};

/** What a fresh installation renders with until someone sets the real brand. */
export const defaultBrand: BrandInput = {
  companyName: 'Tidings Demo Energy',
  colors: { primary: '#1d4ed8', accent: '#0f766e', text: '#1f2937' },
  font: 'Helvetica',
  senders: { emailFrom: 'service@tidings.local', emailName: 'Tidings Demo Energy', smsSender: 'TIDINGS' },
  returnAddress: { lines: ['Marienstraße 12'], postalCode: '10117', city: 'Berlin', country: 'DE' },
  website: 'https://tidings.local',
  legalFooter: 'Tidings Demo Energy GmbH · Registered in Berlin HRB 000000',
  currency: 'EUR',
};

/** Each setting that changed, with its value before and after; the logo has its own event. */
const brandChanges = (before: BrandKit, after: BrandKit) => {
  const settings = ({ id: _id, updatedAt: _updatedAt, logoSha256: _sha, logoMimeType: _mime, ...rest }: BrandKit) =>
    rest;
  return fieldChanges(settings(before), settings(after));
};

export type BrandService = ReturnType<typeof createBrandService>;

/** How long the brand a process renders with may lag behind a change made by another process. */
const REVALIDATE_MS = 1_000;

export function createBrandService({
  db,
  audit,
  blobs,
  clock,
}: {
  db: Database;
  audit: Pick<AuditTrail, 'record'>;
  blobs: Pick<BlobStore, 'put' | 'read'>;
  clock: Clock;
}) {
  async function get(): Promise<BrandKit> {
    const [row] = await db.select().from(brandKit).where(eq(brandKit.id, 1));
    return (
      row ?? {
        id: 1,
        ...defaultBrand,
        logoSha256: null,
        logoMimeType: null,
        website: defaultBrand.website ?? null,
        legalFooter: defaultBrand.legalFooter ?? null,
        currency: defaultBrand.currency!,
        updatedAt: new Date(0),
      }
    );
  }

  // The brand as rendered, with when the kit was last looked at. A change made here forgets it at
  // once; one made by another process is noticed at the next look, at most REVALIDATE_MS later.
  let cached: { updatedAt: number; brand: Brand; checkedAt: number } | undefined;

  /** Writes the kit and its audit entry (the summary made from what was saved) in one transaction. */
  async function save(
    actor: Actor,
    kit: Omit<typeof brandKit.$inferInsert, 'id' | 'updatedAt'>,
    action: string,
    summaryOf: (saved: BrandKit) => Record<string, unknown>,
  ) {
    const saved = await db.transaction(async (tx) => {
      const values = { id: 1, ...kit, updatedAt: clock.now() };
      const [saved] = await tx
        .insert(brandKit)
        .values(values)
        .onConflictDoUpdate({ target: brandKit.id, set: values })
        .returning();
      await audit.record(tx, actor, { action, entityType: 'brand_kit', entityId: '1', summary: summaryOf(saved!) });
      return saved!;
    });
    cached = undefined;
    return saved;
  }

  return {
    get,

    /**
     * The brand as the renderer takes it, logo bytes included: kept in this process and read again
     * only when the kit changed (a deliverer calls this for every batch; it asks the database at
     * most once every REVALIDATE_MS).
     */
    async forRendering(): Promise<Brand> {
      const now = clock.now().getTime();
      if (cached && now - cached.checkedAt < REVALIDATE_MS) return cached.brand;
      const kit = await get();
      if (cached && cached.updatedAt === kit.updatedAt.getTime()) {
        cached.checkedAt = now;
        return cached.brand;
      }
      const logo =
        kit.logoSha256 && kit.logoMimeType
          ? { mimeType: kit.logoMimeType as 'image/png' | 'image/jpeg', data: await blobs.read(kit.logoSha256) }
          : undefined;
      const brand: Brand = {
        companyName: kit.companyName,
        colors: kit.colors,
        font: kit.font,
        senders: kit.senders,
        returnAddress: kit.returnAddress,
        website: kit.website ?? undefined,
        legalFooter: kit.legalFooter ?? undefined,
        logo,
      };
      cached = { updatedAt: kit.updatedAt.getTime(), brand, checkedAt: now };
      return brand;
    },

    async update(actor: Actor, input: BrandInput) {
      authorize(actor, 'brand.manage');
      const before = await get();
      return save(actor, input, 'brand.updated', (saved) => ({
        companyName: input.companyName,
        changes: brandChanges(before, saved),
      }));
    },

    async setLogo(actor: Actor, content: Buffer, mimeType: string) {
      authorize(actor, 'brand.manage');
      const isPng = content.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
      const isJpeg = content[0] === 0xff && content[1] === 0xd8;
      if (!(mimeType === 'image/png' && isPng) && !(mimeType === 'image/jpeg' && isJpeg)) {
        throw new AppError(
          'unsupported_media_type',
          'brand.logo_format',
          'The logo must be a PNG or JPEG image, sent with its content type.',
        );
      }
      const stored = await blobs.put(content);
      const { id: _id, updatedAt: _updatedAt, ...current } = await get();
      return save(
        actor,
        { ...current, logoSha256: stored.sha256, logoMimeType: mimeType },
        'brand.logo_changed',
        () => ({
          sha256: stored.sha256,
          size: stored.size,
        }),
      );
    },

    logo: async () => {
      const kit = await get();
      return kit.logoSha256 ? { data: await blobs.read(kit.logoSha256), mimeType: kit.logoMimeType! } : undefined;
    },
  };
}
