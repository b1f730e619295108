import { useState } from 'react';
import { formatNumber } from '../../ui/format.js';
import { useSubmission } from '../../ui/form.js';
import { ErrorNotice, Notice } from '../../ui/states.js';
import { auditApi, type ChainVerification } from './audit.api.js';

/** Re-checks every event's hash link on demand. */
export function useChainVerification() {
  const [result, setResult] = useState<ChainVerification | null>(null);
  const submission = useSubmission(async () => {
    setResult(null);
    setResult(await auditApi.verify());
  });
  return { verify: () => void submission.run(), verifying: submission.saving, error: submission.error, result };
}

/** The verdict: how many events hold together, or the first one that breaks the chain. */
export function ChainVerdict({ result, error }: { result: ChainVerification | null; error: unknown }) {
  if (error !== undefined) return <ErrorNotice error={error} />;
  if (!result) return null;
  if (result.ok) {
    return (
      <Notice tone="success" className="verdict">
        ✓ Intact: {formatNumber(result.checked)} events verified
      </Notice>
    );
  }
  return (
    <Notice tone="error" className="verdict">
      ✗ Broken at event #{result.firstBreak?.seq}: {result.firstBreak?.reason}. {formatNumber(result.checked)} events
      before it verified.
    </Notice>
  );
}
