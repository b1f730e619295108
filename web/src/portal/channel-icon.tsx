import type { Channel } from '../customers/customer-vocabulary.js';

// Line drawings on a 24-unit grid, in the text's colour: they need no font to have the glyph.
const drawings: Record<Channel, string> = {
  email: 'M3 6h18v12H3z M3 7l9 6 9-6',
  sms: 'M4 5h16v11H9l-5 4z',
  letter: 'M6 3h9l4 4v14H6z M14 3v5h5 M9 12h7 M9 16h7',
  fax: 'M7 9V3h10v6 M4 9h16v8H4z M7 14h10v7H7z',
  portal: 'M6 16V11a6 6 0 0 1 12 0v5l2 2H4z M10 21h4',
};

/** A picture of the channel, beside its written name (so it is decorative: hidden from screen readers). */
export function ChannelIcon({ channel }: { channel: Channel }) {
  return (
    <svg
      className="portal-channel-icon"
      viewBox="0 0 24 24"
      width="18"
      height="18"
      aria-hidden="true"
      focusable="false"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.8"
      strokeLinejoin="round"
      strokeLinecap="round"
    >
      <path d={drawings[channel]} />
    </svg>
  );
}
