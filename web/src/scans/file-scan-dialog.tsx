import { useState } from 'react';
import { communicationsApi, type Communication } from '../communications/communications.api.js';
import { channelLabels } from '../customers/customer-vocabulary.js';
import { CustomerPicker, type PreviewCustomer } from '../templates/preview/customer-picker.js';
import { DialogForm } from '../ui/dialog-form.js';
import { SelectField, TextField, useForm } from '../ui/form.js';
import { formatDateTime } from '../ui/format.js';
import { Segmented } from '../ui/segmented.js';
import { useApiList } from '../ui/use-api-data.js';
import { scansApi, type Scan } from './scans.api.js';

const communicationLabel = (communication: Communication) =>
  `${communication.templateName} · ${communication.channel ? channelLabels[communication.channel] : 'not routed'} · ${formatDateTime(communication.sentAt ?? communication.createdAt)}`;

const ways = [
  { value: 'reference', label: 'By the code on the paper' },
  { value: 'customer', label: 'By customer' },
] as const;
type Way = (typeof ways)[number]['value'];

/**
 * Files an unmatched scan by hand: by the reference code a person reads off the paper (the server
 * checks its check character), or by choosing the customer and, if it answers one, their letter.
 */
export function FileScanDialog({
  scan,
  onClose,
  onFiled,
}: {
  scan: Scan;
  onClose: () => void;
  onFiled: (scan: Scan) => void;
}) {
  const [way, setWay] = useState<Way>('reference');
  const [customer, setCustomer] = useState<PreviewCustomer | null>(null);
  const communications = useApiList<'communications', Communication>(
    customer ? communicationsApi.listPath({ customerId: customer.id }, 50) : null,
    'communications',
  );
  const form = useForm(
    { reference: '', communicationId: '' },
    async (values) => {
      onFiled(
        await scansApi.file(
          scan.id,
          way === 'reference'
            ? { reference: values.reference }
            : // An empty id is sent as such, so the server names the missing customer next to its field.
              { customerId: customer?.id ?? '', communicationId: values.communicationId || undefined },
        ),
      );
      onClose();
    },
    { fields: ['reference', 'customerId', 'communicationId'] },
  );
  return (
    <DialogForm
      title={`File ${scan.filename} by hand`}
      onClose={onClose}
      form={form}
      submitLabel="File it"
      busyLabel="Filing…"
      noValidate
    >
      <Segmented label="How to file it" choices={ways} value={way} onChange={setWay} />
      {way === 'reference' ? (
        <TextField
          form={form}
          name="reference"
          label="Reference code"
          placeholder="TDG-XXXXX-XXXXX"
          hint="As printed under the QR code of the letter; a mistyped character is caught."
          autoComplete="off"
        />
      ) : (
        <>
          {customer ? (
            <div className="ticket-chosen">
              <span>
                Customer: <span className="strong">{customer.name}</span>
              </span>
              <button type="button" className="button button-small" onClick={() => setCustomer(null)}>
                Choose another
              </button>
            </div>
          ) : (
            <div className={form.errors.fields.customerId ? 'field field-invalid' : 'field'}>
              <CustomerPicker onPick={setCustomer} />
              {form.errors.fields.customerId && <p className="field-error">Customer {form.errors.fields.customerId}</p>}
            </div>
          )}
          <SelectField
            form={form}
            name="communicationId"
            label="The letter it answers"
            empty={customer ? 'None in particular' : 'Choose the customer first'}
            disabled={!customer}
            choices={(communications.items ?? []).map((communication) => ({
              value: communication.id,
              label: communicationLabel(communication),
            }))}
          />
        </>
      )}
    </DialogForm>
  );
}
