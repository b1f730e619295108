import { useCallback, useState } from 'react';
import type { FieldProblem } from '../../api/client.js';
import type { Channel } from '../template-vocabulary.js';
import { templatesApi, type ComplianceFailure, type Variants } from '../templates.api.js';
import type { ComplianceState } from './compliance-panel.js';
import { channelFields, fieldId, fieldValue, placeOf } from './draft.js';
import type { Highlight } from './source-field.js';

/** The compliance check of a saved version, on demand, after a save, or as a refused submission reported it. */
export function useCompliance(templateKey: string | null) {
  const [state, setState] = useState<ComplianceState>({ status: 'idle' });

  const check = useCallback(
    async (versionNumber: number) => {
      if (!templateKey) return;
      setState({ status: 'checking', versionNumber });
      try {
        const { failures } = await templatesApi.compliance(templateKey, versionNumber);
        setState({ status: 'done', versionNumber, failures, fromSubmit: false });
      } catch (error) {
        setState({ status: 'failed', versionNumber, error });
      }
    },
    [templateKey],
  );

  const refusedSubmission = useCallback((versionNumber: number, details: FieldProblem[]) => {
    setState({
      status: 'done',
      versionNumber,
      failures: details.map((detail) => ({ rule: '', ...detail })),
      fromSubmit: true,
    });
  }, []);

  return { state, check, refusedSubmission };
}

export type ProblemsInPlace = { highlights: Record<string, Highlight>; channelNotes: Record<string, string[]> };

/**
 * Failures placed in the editor: on their field (and line) while that field still reads as it was
 * saved, or on the channel as a whole when they name no field.
 */
export function problemsInPlace(failures: ComplianceFailure[], current: Variants, saved: Variants): ProblemsInPlace {
  const highlights: Record<string, Highlight> = {};
  const channelNotes: Record<string, string[]> = {};
  for (const failure of failures) {
    const { language, channel, field, line, column } = placeOf(failure.path);
    if (!language || !channel || !current[language]) continue;
    if (field && channelFields[channel].some((entry) => entry.field === field)) {
      const unchanged =
        fieldValue(current[language] ?? {}, channel, field) === fieldValue(saved[language] ?? {}, channel, field);
      if (unchanged) highlights[fieldId(language, channel, field)] ??= { line, column, message: failure.message };
    } else {
      (channelNotes[`${language}.${channel}`] ??= []).push(failure.message);
    }
  }
  return { highlights, channelNotes };
}

export const channelKey = (language: string, channel: Channel) => `${language}.${channel}`;
