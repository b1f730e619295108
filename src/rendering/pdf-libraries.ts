import { createRequire } from 'node:module';
import type * as Fontkit from 'fontkit';
import type PDFKit from 'pdfkit';

const require = createRequire(import.meta.url);

/**
 * pdfkit and fontkit, loaded when the first PDF is drawn: together about a quarter of a second of
 * every start (each `tidings` command, the server) that a process drawing no PDF never pays. Both
 * are required as CommonJS, so that the fontkit the letter fonts are parsed with is pdfkit's own.
 */
export const pdfDocument = (): typeof PDFKit => require('pdfkit') as typeof PDFKit;
export const fontkit = (): typeof Fontkit => require('fontkit') as typeof Fontkit;
