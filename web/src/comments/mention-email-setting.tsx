import type { ResponseOf } from '../api/api-types.js';
import { api } from '../api/client.js';
import { FormError, formErrors, useSubmission } from '../ui/form.js';
import { useApiData } from '../ui/use-api-data.js';
import './comments.css';

type Settings = ResponseOf<'/api/notifications/settings'>;

const settingsPath = '/api/notifications/settings';

/** Whether a mention in a comment also reaches me by email. */
export function MentionEmailSetting() {
  const settings = useApiData<Settings>(settingsPath);
  const save = useSubmission(async (emailMentions: boolean) => {
    settings.replace(await api.put<Settings>(settingsPath, { emailMentions }));
  });
  if (!settings.data) return null;
  return (
    <div className="card mention-email-setting">
      <label className="checkbox">
        <input
          type="checkbox"
          checked={settings.data.emailMentions}
          disabled={save.saving}
          onChange={(event) => void save.run(event.target.checked)}
        />
        Also email me when a colleague mentions me in a comment
      </label>
      <FormError message={formErrors(save.error, []).general} />
    </div>
  );
}
