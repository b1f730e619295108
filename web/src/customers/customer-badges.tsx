import { lifecycleLabels, type LifecycleStage } from './customer-vocabulary.js';

export function LifecycleBadge({ stage }: { stage: LifecycleStage }) {
  return <span className={`badge lifecycle lifecycle-${stage}`}>{lifecycleLabels[stage]}</span>;
}

export function TagList({ tags }: { tags: string[] }) {
  if (tags.length === 0) return <span className="muted">—</span>;
  return (
    <span className="badges">
      {tags.map((tag) => (
        <span key={tag} className="badge customer-tag">
          {tag}
        </span>
      ))}
    </span>
  );
}
