import type { ReactNode } from 'react';
import { formatDateTime } from '../../ui/format.js';
import type { AttributeDefinition, Customer } from '../customers.api.js';

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </>
  );
}

const none = <span className="muted">—</span>;

function Addresses({ values, channel, undeliverable }: { values: string[]; channel: string; undeliverable: string[] }) {
  if (values.length === 0) return none;
  return (
    <ul className="plain-list">
      {values.map((value) => (
        <li key={value}>
          {value}
          {undeliverable.includes(`${channel}:${value}`) && <span className="badge badge-warning">Undeliverable</span>}
        </li>
      ))}
    </ul>
  );
}

export function DetailsPanel({
  customer,
  attributes,
  onEdit,
}: {
  customer: Customer;
  attributes: AttributeDefinition[];
  onEdit?: () => void;
}) {
  const address = customer.address;
  const labelOf = (key: string) => attributes.find((definition) => definition.key === key)?.label ?? key;
  const attributeEntries = Object.entries(customer.attributes);
  return (
    <section className="card" aria-labelledby="details-heading">
      <div className="card-header">
        <h2 id="details-heading">Details</h2>
        {onEdit && (
          <button type="button" className="button button-small" onClick={onEdit}>
            Edit details
          </button>
        )}
      </div>
      <dl className="details">
        <Row label="Email">
          <Addresses values={customer.emails} channel="email" undeliverable={customer.undeliverable} />
        </Row>
        <Row label="Phone">
          <Addresses values={customer.phones} channel="sms" undeliverable={customer.undeliverable} />
        </Row>
        <Row label="Fax">{customer.fax ?? none}</Row>
        <Row label="Address">
          {address ? (
            <address>
              {address.lines.map((line) => (
                <div key={line}>{line}</div>
              ))}
              <div>
                {address.postalCode} {address.city}
                {address.region && `, ${address.region}`}
              </div>
              <div>{address.country}</div>
            </address>
          ) : (
            none
          )}
        </Row>
        <Row label="Language">{customer.language}</Row>
        <Row label="Time zone">{customer.timeZone}</Row>
        <Row label="External ID">{customer.externalId ?? none}</Row>
        <Row label="Last contacted">{formatDateTime(customer.lastContactedAt)}</Row>
        <Row label="Created">{formatDateTime(customer.createdAt)}</Row>
        {attributeEntries.map(([key, value]) => (
          <Row key={key} label={labelOf(key)}>
            {String(value)}
          </Row>
        ))}
      </dl>
    </section>
  );
}
