import { useState } from 'react';
import { useSession } from '../auth/session.js';
import { ConfirmButton } from '../ui/confirm-button.js';
import { RunButton, useSubmission } from '../ui/form.js';
import { may } from '../ui/permissions.js';
import { ErrorNotice } from '../ui/states.js';
import { documentsApi, type NewContent, type Progress, type TidingsDocument } from './documents.api.js';
import { NewContentDialog } from './file-upload.js';

/**
 * What may be done with a document's content now: without a lock, a new version or a check-out;
 * the holder checks in (with a new file or none) or cancels; a manager breaks another's lock.
 */
export function ContentActions({
  document,
  onChanged,
}: {
  document: TidingsDocument;
  /** Called after a change, to read the document again. */
  onChanged: () => Promise<void>;
}) {
  const { user } = useSession();
  const [dialog, setDialog] = useState<'version' | 'checkin' | null>(null);
  const checkOut = useSubmission(async () => {
    await documentsApi.checkOut(document.id);
    await onChanged();
  });
  const cancel = useSubmission(async () => {
    await documentsApi.cancelCheckOut(document.id);
    await onChanged();
  });
  if (!user || !may(user, 'documents.write')) return null;
  const { lock } = document;
  const mine = lock !== null && lock.by.id === user.id;
  const close = () => setDialog(null);
  const sendWith = (change: typeof documentsApi.addVersion) => async (content: NewContent, onProgress: Progress) => {
    await change(document.id, content, onProgress);
    await onChanged();
  };
  return (
    <>
      {lock === null && (
        <>
          <RunButton submission={checkOut} label="Check out" busyLabel="Checking out…" />
          <button type="button" className="button" onClick={() => setDialog('version')}>
            Upload new version
          </button>
        </>
      )}
      {mine && (
        <>
          <button type="button" className="button button-primary" onClick={() => setDialog('checkin')}>
            Check in
          </button>
          <RunButton submission={cancel} label="Cancel check-out" busyLabel="Cancelling…" />
        </>
      )}
      {lock !== null && !mine && may(user, 'documents.manage') && (
        <ConfirmButton
          label="Break lock"
          question={`Break ${lock.by.name}'s lock?`}
          consequence={`${lock.by.name} can no longer check in their changes; the break is recorded in the audit trail.`}
          danger
          onConfirm={async () => {
            await documentsApi.breakLock(document.id);
            await onChanged();
          }}
        />
      )}
      {[checkOut.error, cancel.error].map(
        (error, index) => error !== undefined && <ErrorNotice key={index} error={error} />,
      )}
      {dialog === 'version' && (
        <NewContentDialog
          title="Upload a new version"
          submitLabel="Upload version"
          fileRequired
          send={sendWith(documentsApi.addVersion)}
          onClose={close}
        />
      )}
      {dialog === 'checkin' && (
        <NewContentDialog
          title="Check in"
          submitLabel="Check in"
          fileRequired={false}
          send={sendWith(documentsApi.checkIn)}
          onClose={close}
        />
      )}
    </>
  );
}
