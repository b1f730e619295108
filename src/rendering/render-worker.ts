import { parentPort } from 'node:worker_threads';
import { failureOf, renderAllChannels, renderDelivery, type ChannelOutcome } from './channels.js';
import { compileTemplate, type CompiledTemplate } from './compile.js';
import { RenderError } from './errors.js';
import type { RenderTask, TemplateSource, WireBatch, WireOutcome, WorkerMessage } from './render-pool.js';
import type { Brand, RenderContext } from './types.js';

/** One rendering thread of the render pool: it answers each task of a message as soon as it is done. */
const port = parentPort!;
const post = (message: WorkerMessage, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

/** Compiled templates by version and language: Liquid is parsed and MJML compiled once per version, never per message. */
const compiledVersions = new Map<string, Promise<CompiledTemplate>>();
const CACHE_LIMIT = 500;

function compiledFor(source: TemplateSource): Promise<CompiledTemplate> {
  if (!source.cacheKey) return compileTemplate(source.bodies, source.fragments);
  let compiled = compiledVersions.get(source.cacheKey);
  if (!compiled) {
    compiled = compileTemplate(source.bodies, source.fragments);
    // A version that does not compile is not kept, so a fixed fragment or engine is picked up.
    compiled.catch(() => compiledVersions.delete(source.cacheKey!));
    if (compiledVersions.size >= CACHE_LIMIT) compiledVersions.delete(compiledVersions.keys().next().value!);
    compiledVersions.set(source.cacheKey, compiled);
  }
  return compiled;
}

/** A Buffer arrives as a plain Uint8Array. */
const asBuffer = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/**
 * A brand arrives as a new copy with every message, while what is prepared once per brand (the
 * logo's image streams, the footer's height, the brand's view for templates) is kept by its
 * identity: an unchanged brand is answered with the copy revived before.
 */
const revivedBrands: { key: string; brand: Brand }[] = [];
const REVIVED_BRANDS = 20;

function reviveBrand(wire: Brand): Brand {
  const key = JSON.stringify({ ...wire, logo: wire.logo?.mimeType });
  const logo = wire.logo && asBuffer(wire.logo.data);
  const known = revivedBrands.find(
    (candidate) => candidate.key === key && (!logo || candidate.brand.logo!.data.equals(logo)),
  );
  if (known) return known.brand;
  const brand = wire.logo ? { ...wire, logo: { ...wire.logo, data: logo! } } : wire;
  if (revivedBrands.unshift({ key, brand }) > REVIVED_BRANDS) revivedBrands.pop();
  return brand;
}

async function perform(task: RenderTask, compiled: CompiledTemplate | RenderError): Promise<WireOutcome> {
  if (task.kind === 'preview') {
    const channels: ChannelOutcome[] = await renderAllChannels(
      compiled,
      task.template.bodies,
      task.context,
      task.recipientName,
    );
    return { status: 'rendered', result: channels };
  }
  if (compiled instanceof RenderError) return { status: 'failed', error: failureOf(compiled) };
  const item = await renderDelivery(
    compiled,
    task.channel,
    task.context,
    task.recipientName,
    task.envelope,
    task.reference,
  );
  // A Buffer may share its memory with others (Node's pool): hand over a private copy, moved without copying again.
  return { status: 'rendered', result: { ...item, bytes: new Uint8Array(item.bytes) } };
}

async function run(batch: WireBatch) {
  const brands = batch.brands.map(reviveBrand);
  const compiled = new Map<number, Promise<CompiledTemplate | RenderError>>();
  for (const wire of batch.tasks) {
    let outcome: WireOutcome;
    try {
      if (!compiled.has(wire.template)) {
        const source = batch.templates[wire.template]!;
        compiled.set(
          wire.template,
          compiledFor(source).catch((error: unknown) => {
            if (error instanceof RenderError) return error;
            throw error;
          }),
        );
      }
      const context: RenderContext = { ...wire.context, brand: brands[wire.context.brand]! };
      const task = { ...wire, template: batch.templates[wire.template]!, context } as RenderTask;
      outcome = await perform(task, await compiled.get(wire.template)!);
    } catch (error) {
      outcome =
        error instanceof RenderError
          ? { status: 'failed', error: failureOf(error) }
          : { status: 'error', message: error instanceof Error ? error.message : String(error) };
    }
    const transfer =
      outcome.status === 'rendered' && !Array.isArray(outcome.result) ? [outcome.result.bytes.buffer] : [];
    post({ type: 'outcome', index: wire.index, outcome }, transfer as ArrayBuffer[]);
  }
}

/**
 * Loads what the first render would (the email layout's MJML, fonts, the PDF engine) before the
 * thread takes work, so that a budget measures rendering, not start-up.
 */
async function warmUp() {
  const brand: Brand = {
    companyName: 'Tidings',
    colors: { primary: '#1d4ed8', accent: '#1d4ed8', text: '#1f2937' },
    font: 'Helvetica',
    senders: { emailFrom: 'hello@tidings.local', emailName: 'Tidings', smsSender: 'Tidings' },
    returnAddress: { lines: ['Main Street 1'], postalCode: '10115', city: 'Berlin', country: 'DE' },
  };
  const address = { lines: ['Main Street 2'], postalCode: '10115', city: 'Berlin', country: 'DE' };
  const context: RenderContext = {
    customer: { name: 'Ada', address },
    brand,
    data: {},
    language: 'en',
    timeZone: 'Europe/Berlin',
    now: new Date(),
  };
  const bodies = {
    email: { subject: 'Hello', body: 'Hello **{{ customer.name }}**', format: 'markdown' as const },
    sms: { text: 'Hello' },
    letter: { body: '# Hello\n\nHello {{ customer.name }}' },
    portal: { subject: 'Hello', body: 'Hello' },
  };
  await renderAllChannels(await compileTemplate(bodies, {}), bodies, context, 'Ada');
}

port.on('message', (batch: WireBatch) => void run(batch));
// A warm-up that fails changes nothing but speed; the real render reports the problem.
await warmUp().catch(() => undefined);
post({ type: 'ready' });
