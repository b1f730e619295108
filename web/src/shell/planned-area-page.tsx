import { PageHeader } from '../ui/page.js';
import type { PlannedArea } from './workspace-areas.js';

/** The page of an area that is not built yet: what it will hold, instead of "Page not found". */
export function PlannedAreaPage({ label, planned }: { label: string; planned: PlannedArea }) {
  return (
    <>
      <PageHeader title={label} description={`Coming with the ${planned.module} module.`} />
      <section className="card" aria-labelledby="coming-heading">
        <h2 id="coming-heading">What is coming</h2>
        <ul className="planned-list">
          {planned.coming.map((item) => (
            <li key={item}>{item}</li>
          ))}
        </ul>
      </section>
    </>
  );
}
