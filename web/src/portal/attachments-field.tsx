import { AttachmentsField as SharedAttachmentsField } from '../ui/attachments-field.js';
import { portalApi, type PortalUpload } from './portal.api.js';

/** Files for a request or a reply, uploaded to the portal as they are picked. */
export const AttachmentsField = (props: {
  attachments: PortalUpload[];
  onChange: (attachments: PortalUpload[]) => void;
}) => (
  <SharedAttachmentsField
    {...props}
    label="Attach files"
    upload={(file) => portalApi.attach(file)}
    listClassName="portal-files"
  />
);
