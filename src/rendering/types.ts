export const renderChannels = ['email', 'sms', 'letter', 'fax', 'portal'] as const;
export type RenderChannel = (typeof renderChannels)[number];

/** The author's source for one language of a template version, per channel (each optional). */
export type ChannelBodies = {
  email?: { subject: string; body: string; format: 'markdown' | 'mjml' };
  sms?: { text: string };
  /** Markdown with Liquid. */
  letter?: { body: string };
  /** Markdown with Liquid. */
  fax?: { body: string };
  /** Markdown with Liquid. */
  portal?: { subject: string; body: string };
};

/** Where a template's source lives, as named in errors: 'email.subject', 'letter.body', … */
export type TemplateField =
  'email.subject' | 'email.body' | 'sms.text' | 'letter.body' | 'fax.body' | 'portal.subject' | 'portal.body';

export type PostalAddress = { lines: string[]; postalCode: string; city: string; region?: string; country: string };

/** A postal address with the addressee's name, as printed in a letter's window. */
export type Recipient = PostalAddress & { name: string };

export type Brand = {
  companyName: string;
  /** For the letterhead and the email header. */
  logo?: { mimeType: 'image/png' | 'image/jpeg'; data: Buffer };
  /** Hex colours such as #0B5FFF. */
  colors: { primary: string; accent: string; text: string };
  /** The letter's face by its classic PDF name; printed in Noto Sans, Noto Serif or Noto Sans Mono, embedded. */
  font: 'Helvetica' | 'Times-Roman' | 'Courier';
  senders: { emailFrom: string; emailName: string; replyTo?: string; smsSender: string; faxNumber?: string };
  returnAddress: PostalAddress;
  website?: string;
  legalFooter?: string;
};

/** Everything a template may read: {{ customer.name }}, {{ brand.companyName }}, {{ data.amount }}… */
export type RenderContext = {
  /** At least name, givenName, familyName, emails, phones, address, language, timeZone, attributes. */
  customer: Record<string, unknown>;
  contact?: Record<string, unknown>;
  brand: Brand;
  /** The send's own data. */
  data: Record<string, unknown>;
  /** BCP 47, e.g. 'de' or 'en-US': formats dates, money and numbers. */
  language: string;
  /** IANA, e.g. 'Europe/Berlin': formats dates. */
  timeZone: string;
  now: Date;
};

/** Fragment sources by key (Liquid + Markdown), usable in any body as {% fragment 'legal-disclosure' %}. */
export type FragmentSources = Record<string, string>;

/** An image the HTML refers to as cid:…, sent as a related MIME part. */
export type InlineImage = { cid: string; contentType: string; filename: string; content: Buffer };

export type RenderedEmail = { subject: string; html: string; text: string; inlineImages?: InlineImage[] };

export type SmsEncoding = 'GSM-7' | 'UCS-2';
export type SmsMeasure = { encoding: SmsEncoding; characters: number; segments: number };
export type RenderedSms = SmsMeasure & { text: string };

/** `text`: the words a reader finds in the document (recipient, date, body), for the search index. */
export type RenderedDocument = { pdf: Buffer; pages: number; text: string };
/** `reference`: the communication's reference code, printed with its QR code so that a paper answer finds it. */
export type LetterOptions = { recipient?: Recipient; reference?: string };
export type FaxOptions = { recipient?: Recipient; recipientFaxNumber?: string; reference?: string };

export type RenderedPortalMessage = { subject: string; html: string };
