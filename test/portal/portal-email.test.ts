import { describe, expect, it } from 'vitest';
import { readArchivedEmail } from '../../src/portal/portal-email.js';

/** A tiny PNG, as the brand logo travels: an inline part the HTML names by Content-ID. */
const pixel = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

function eml(html: string) {
  return Buffer.from(
    [
      'From: Tidings Demo Energy <service@tidings.local>',
      'To: ann@customers.example',
      'Subject: =?UTF-8?Q?Z=C3=A4hlerstand_f=C3=A4llig?=',
      'Message-ID: <1@tidings.local>',
      'MIME-Version: 1.0',
      'Content-Type: multipart/related; boundary="rel"',
      '',
      '--rel',
      'Content-Type: multipart/alternative; boundary="alt"',
      '',
      '--alt',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Please send your meter reading.',
      '--alt',
      'Content-Type: text/html; charset=utf-8',
      '',
      html,
      '--alt--',
      '--rel',
      'Content-Type: image/png',
      'Content-ID: <brand-logo@tidings>',
      'Content-Disposition: inline; filename="logo.png"',
      'Content-Transfer-Encoding: base64',
      '',
      pixel,
      '--rel--',
      '',
    ].join('\r\n'),
  );
}

describe('an archived email as the portal shows it', () => {
  it('keeps the layout, the text part and the subject as sent', async () => {
    const email = await readArchivedEmail(
      eml(
        '<html><head><title>Zählerstand</title><style>p { color: red }</style></head><body>' +
          '<table role="presentation" width="100%" style="background-color:#1d4ed8;padding:20px 24px"><tr>' +
          '<td align="left"><p style="font-weight:bold;color:#ffffff">Dear Ann,</p></td></tr></table></body></html>',
      ),
    );
    expect(email.subject).toBe('Zählerstand fällig');
    expect(email.text).toContain('Please send your meter reading.');
    expect(email.html).toContain(
      '<table role="presentation" width="100%" style="background-color:#1d4ed8;padding:20px 24px">',
    );
    expect(email.html).toContain('<td align="left"><p style="font-weight:bold;color:#ffffff">Dear Ann,</p></td>');
    // The head's title and style are not part of what the customer reads.
    expect(email.html).not.toContain('Zählerstand');
    expect(email.html).not.toContain('color: red');
  });

  it('shows its own inline images and nothing that loads from elsewhere or runs', async () => {
    const email = await readArchivedEmail(
      eml(
        '<img src="cid:brand-logo@tidings" alt="Tidings">' +
          '<img src="https://tracker.example/open.gif" alt="pixel">' +
          '<div style="background-image:url(https://tracker.example/bg.gif);color:#333333">Body</div>' +
          '<p onclick="steal()">Click</p><script>steal()</script>' +
          '<a href="javascript:steal()">bad link</a> <a href="https://tidings.local/bills">your bill</a>' +
          '<form action="https://evil.example"><input name="iban"></form><iframe src="https://evil.example"></iframe>',
      ),
    );
    const html = email.html!;
    expect(html).toContain(`<img src="data:image/png;base64,${pixel}" alt="Tidings" />`);
    expect(html).not.toContain('tracker.example');
    expect(html).toContain('<div style="color:#333333">Body</div>');
    expect(html).not.toMatch(/onclick|script|steal|evil\.example|<form|<input|<iframe/);
    expect(html).toContain(
      '<a href="https://tidings.local/bills" rel="noopener noreferrer nofollow" target="_blank">your bill</a>',
    );
  });
});
