// The brand kit's colours as the portal can use them: a brand colour is used for links and buttons
// only in a shade dark enough to read on white (WCAG AA, 4.5:1), whatever colour the kit holds.

type Rgb = [number, number, number];

const hexColor = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i;

export function parseHex(color: string): Rgb | null {
  const match = hexColor.exec(color.trim());
  if (!match) return null;
  const digits = match[1]!.length === 3 ? [...match[1]!].map((digit) => digit + digit).join('') : match[1]!;
  return [0, 2, 4].map((start) => parseInt(digits.slice(start, start + 2), 16)) as Rgb;
}

const toHex = (rgb: Rgb) => `#${rgb.map((part) => Math.round(part).toString(16).padStart(2, '0')).join('')}`;

/** Relative luminance as WCAG defines it. */
function luminance([r, g, b]: Rgb): number {
  const linear = (channel: number) => {
    const c = channel / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

export function contrast(a: Rgb, b: Rgb): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

const WHITE: Rgb = [255, 255, 255];
const READABLE = 4.5;

/** The colour, darkened in small steps until white text on it (and it on white) reads at 4.5:1. */
export function readableOnWhite(color: string, fallback: string): string {
  let rgb = parseHex(color) ?? parseHex(fallback)!;
  while (contrast(rgb, WHITE) < READABLE) rgb = rgb.map((part) => part * 0.92) as Rgb;
  return toHex(rgb);
}

/** A pale tint of the colour, for selected and highlighted backgrounds behind dark text. */
export function tintOf(color: string, share = 0.1): string {
  const rgb = parseHex(color) ?? WHITE;
  return toHex(rgb.map((part) => 255 - (255 - part) * share) as Rgb);
}

/** A darker shade of the colour, for hover states. */
export function shadeOf(color: string, factor = 0.82): string {
  const rgb = parseHex(color) ?? WHITE;
  return toHex(rgb.map((part) => part * factor) as Rgb);
}
